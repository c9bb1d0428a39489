#include "wolfssl_config.h"

#include "sipring/crypto/tls_session.h"

#include <algorithm>
#include <array>
#include <cstring>

#include <wolfssl/error-ssl.h>
#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/asn.h>
#include <wolfssl/wolfcrypt/asn_public.h>
#include <wolfssl/wolfcrypt/error-crypt.h>

#include "tls_error_map.h"

namespace sipring::crypto {
namespace {

WOLFSSL* ssl_of(void* p) noexcept { return static_cast<WOLFSSL*>(p); }

/// Fills the leaf's names and DER (DNS SANs only: e-mail and URI names are not host names).
void describe_leaf(peer_certificate& peer, const unsigned char* der, unsigned size) {
  peer.present = true;
  peer.der.assign(der, der + size);
  DecodedCert dc;
  wc_InitDecodedCert(&dc, der, size, nullptr);
  if (wc_ParseCert(&dc, CERT_TYPE, NO_VERIFY, nullptr) == 0) {
    if (dc.subjectCN && dc.subjectCNLen > 0)
      peer.common_name.assign(dc.subjectCN, static_cast<std::size_t>(dc.subjectCNLen));
    for (DNS_entry* e = dc.altNames; e; e = e->next)
      if (e->type == ASN_DNS_TYPE && e->name && e->len > 0)
        peer.dns_names.emplace_back(e->name, static_cast<std::size_t>(e->len));
  }
  wc_FreeDecodedCert(&dc);
}

/// TLS records start with a content type of 20..23 (24 heartbeat); an SSLv2-style hello with
/// the high bit set. Anything else (an ASCII letter: "OPTIONS", "REGISTER") is not TLS.
bool can_start_tls(unsigned char b) noexcept { return (b >= 20 && b <= 24) || (b & 0x80) != 0; }

// One scratch buffer per thread to gather a write's pieces into full records: sessions are used
// by the shard that owns them only, and nothing stays in it between calls.
constexpr std::size_t max_record = 16384;
thread_local std::array<char, max_record> scratch;

}  // namespace

struct tls_session::callbacks {
  static int recv(WOLFSSL*, char* buf, int size, void* user) {
    auto* s = static_cast<tls_session*>(user);
    if (s->_input.empty()) return WOLFSSL_CBIO_ERR_WANT_READ;
    if (!s->_received) {
      s->_received = true;
      s->_looks_plaintext = !can_start_tls(static_cast<unsigned char>(s->_input[0]));
    }
    const std::size_t n = std::min(s->_input.size(), static_cast<std::size_t>(size));
    std::memcpy(buf, s->_input.data(), n);
    s->_input = s->_input.subspan(n);
    return static_cast<int>(n);
  }

  static int send(WOLFSSL*, char* buf, int size, void* user) {
    auto* s = static_cast<tls_session*>(user);
    if (!s->_sink.write || !s->_sink.write(s->_sink.context, {buf, static_cast<std::size_t>(size)}))
      return WOLFSSL_CBIO_ERR_CONN_CLOSE;
    return size;
  }

  static int verify(int ok, WOLFSSL_X509_STORE_CTX* store) {
    auto* s = static_cast<tls_session*>(store->userCtx);
    if (!s) return ok;
    if (!s->_peer.present && store->certs && store->totalCerts > 0) {
      describe_leaf(s->_peer, store->certs[0].buffer, store->certs[0].length);
      for (int i = 1; i < store->totalCerts; ++i)
        s->_peer.chain_der.emplace_back(store->certs[i].buffer,
                                        store->certs[i].buffer + store->certs[i].length);
    }
    if (s->_verify == peer_verification::none) return 1;
    if (!ok) {
      // A CA with no CRL configured is not checked for revocation.
      if (store->error != CRL_MISSING) {
        if (s->_verify_error == tls_error::none) {
          s->_verify_error = detail::from_wolfssl(store->error);
          if (s->_verify_error == tls_error::internal) s->_verify_error = tls_error::bad_certificate;
        }
        return 0;
      }
    }
    if (store->error_depth != 0) return 1;
    // The leaf, its chain verified.
    if (!s->_server_name.empty() && !s->_peer.matches(s->_server_name)) {
      s->_verify_error = tls_error::name_mismatch;
      return 0;
    }
    if (s->_peer_check.check) {
      const tls_error e = s->_peer_check.check(s->_peer_check.context, s->_peer);
      if (e != tls_error::none) {
        s->_verify_error = e;
        return 0;
      }
    }
    return 1;
  }
};

tls_session::tls_session(const tls_context& context, tls_output_sink sink, std::string_view server_name)
    : _sink(sink), _verify(context.verification()) {
  auto* ssl = wolfSSL_new(static_cast<WOLFSSL_CTX*>(context.native()));
  _ssl = ssl;
  if (!ssl) {
    fail(tls_error::internal, MEMORY_E);
    return;
  }
  if (context.role() == tls_role::server) _ticket_state = context._ticket_state;
  wolfSSL_SSLSetIORecv(ssl, &callbacks::recv);
  wolfSSL_SSLSetIOSend(ssl, &callbacks::send);
  wolfSSL_SetIOReadCtx(ssl, this);
  wolfSSL_SetIOWriteCtx(ssl, this);
  wolfSSL_SetCertCbCtx(ssl, this);
  int mode = WOLFSSL_VERIFY_NONE;
  if (_verify != peer_verification::none) mode = WOLFSSL_VERIFY_PEER;
  if (context.role() == tls_role::server && _verify == peer_verification::required)
    mode |= WOLFSSL_VERIFY_FAIL_IF_NO_PEER_CERT;
  wolfSSL_set_verify(ssl, mode, &callbacks::verify);
  // Client: ask for a TLS 1.2 ticket too (TLS 1.3 tickets come unasked).
  if (context.role() == tls_role::client) {
    wolfSSL_UseSessionTicket(ssl);
    if (context._resume_without_key_exchange) wolfSSL_no_dhe_psk(ssl);  // offer psk_ke only
  }
  if (context.role() == tls_role::client && !server_name.empty()) {
    if (_verify != peer_verification::none) _server_name.assign(server_name);
    if (wolfSSL_UseSNI(ssl, WOLFSSL_SNI_HOST_NAME, server_name.data(),
                       static_cast<word16>(server_name.size())) != WOLFSSL_SUCCESS)
      fail(tls_error::internal, BAD_FUNC_ARG);
  }
}

tls_session::~tls_session() {
  if (_ssl) wolfSSL_free(ssl_of(_ssl));
}

void tls_session::fail(tls_error e, int library_error) noexcept {
  if (_error != tls_error::none) return;
  _error = e;
  _library_error = library_error;
}

void tls_session::resume(const tls_resumption& earlier) {
  if (!_ssl || earlier.empty()) return;
  wolfSSL_set_session(ssl_of(_ssl), static_cast<WOLFSSL_SESSION*>(earlier._session.get()));
}

tls_session::step tls_session::handshake() {
  if (_error != tls_error::none) return step::failed;
  if (_established) return step::done;
  auto* ssl = ssl_of(_ssl);
  const int rc = wolfSSL_negotiate(ssl);
  if (rc == WOLFSSL_SUCCESS) {
    _established = true;
    return step::done;
  }
  const int code = wolfSSL_get_error(ssl, rc);
  if (code == WOLFSSL_ERROR_WANT_READ) return step::want_more;
  tls_error e = _verify_error != tls_error::none ? _verify_error : detail::from_wolfssl(code);
  if (_looks_plaintext && _verify_error == tls_error::none) e = tls_error::not_tls;
  fail(e, code);
  _input = {};
  return step::failed;
}

tls_session::read_result tls_session::read(std::span<char> plaintext) {
  if (!_established) {
    const step s = handshake();
    if (s != step::done) return {0, s};
  }
  if (_error != tls_error::none) return {0, step::failed};
  auto* ssl = ssl_of(_ssl);
  const int want = static_cast<int>(std::min<std::size_t>(plaintext.size(), 1u << 30));
  const int rc = wolfSSL_read(ssl, plaintext.data(), want);
  if (rc > 0) return {static_cast<std::size_t>(rc), step::done};
  const int code = wolfSSL_get_error(ssl, rc);
  if (code == WOLFSSL_ERROR_WANT_READ) return {0, step::want_more};
  fail(code == WOLFSSL_ERROR_ZERO_RETURN ? tls_error::peer_closed : detail::from_wolfssl(code), code);
  _input = {};
  return {0, step::failed};
}

bool tls_session::write(std::span<const iovec> plaintext) {
  if (_error != tls_error::none || !_established) return false;
  auto* ssl = ssl_of(_ssl);
  auto put = [&](const char* p, std::size_t n) {
    while (n > 0) {
      const int chunk = static_cast<int>(std::min<std::size_t>(n, 1u << 30));
      const int rc = wolfSSL_write(ssl, p, chunk);
      if (rc <= 0) {
        const int code = wolfSSL_get_error(ssl, rc);
        fail(code == SOCKET_ERROR_E || code == SOCKET_PEER_CLOSED_E ? tls_error::peer_closed
                                                                     : detail::from_wolfssl(code),
             code);
        return false;
      }
      p += rc;
      n -= static_cast<std::size_t>(rc);
    }
    return true;
  };
  if (plaintext.size() == 1) return put(static_cast<const char*>(plaintext[0].iov_base), plaintext[0].iov_len);
  std::size_t fill = 0;
  for (const iovec& v : plaintext) {
    const char* p = static_cast<const char*>(v.iov_base);
    std::size_t n = v.iov_len;
    while (n > 0) {
      if (fill == 0 && n >= max_record) {  // whole records straight from the caller's memory
        const std::size_t whole = n - n % max_record;
        if (!put(p, whole)) return false;
        p += whole;
        n -= whole;
        continue;
      }
      const std::size_t take = std::min(n, max_record - fill);
      std::memcpy(scratch.data() + fill, p, take);
      fill += take;
      p += take;
      n -= take;
      if (fill == max_record) {
        if (!put(scratch.data(), fill)) return false;
        fill = 0;
      }
    }
  }
  return fill == 0 || put(scratch.data(), fill);
}

void tls_session::close() noexcept {
  if (!_ssl || !_established || _error != tls_error::none) return;
  wolfSSL_shutdown(ssl_of(_ssl));
}

bool tls_session::resumed() const noexcept {
  return _ssl && wolfSSL_session_reused(ssl_of(_ssl)) == 1;
}

std::string_view tls_session::version() const noexcept {
  if (!_ssl) return {};
  const char* v = wolfSSL_get_version(ssl_of(_ssl));
  return v ? std::string_view(v) : std::string_view();
}

std::string_view tls_session::cipher() const noexcept {
  if (!_ssl || !_established) return {};
  const int suite = wolfSSL_get_current_cipher_suite(ssl_of(_ssl));
  const char* name = wolfSSL_get_cipher_name_iana_from_suite(static_cast<byte>(suite >> 8),
                                                              static_cast<byte>(suite & 0xff));
  return name ? std::string_view(name) : std::string_view();
}

tls_resumption tls_session::resumption() const {
  tls_resumption r;
  if (!_ssl || !_established) return r;
  WOLFSSL_SESSION* s = wolfSSL_get1_session(ssl_of(_ssl));
  if (!s) return r;
  if (wolfSSL_SESSION_has_ticket(s) != 1) {
    wolfSSL_SESSION_free(s);
    return r;
  }
  r._session = std::shared_ptr<void>(s, [](void* p) { wolfSSL_SESSION_free(static_cast<WOLFSSL_SESSION*>(p)); });
  return r;
}

}  // namespace sipring::crypto
