#include "wolfssl_config.h"

#include "sipring/crypto/tls_context.h"

#include <cstdint>
#include <cstring>

#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/aes.h>
#include <wolfssl/wolfcrypt/random.h>

#include "file_check.h"

namespace sipring::crypto {

// Tickets are sealed with AES-256-GCM under the shared key: the nonce is all 16 of wolfSSL's IV
// bytes, a random prefix drawn when the context is made and a counter of the tickets it sealed
// (no RNG call per ticket; two contexts under one key collide only if their 8-byte prefixes do),
// the 16-byte tag goes in the first half of the 32-byte MAC field and the key name is the
// additional data. Each context (one per shard, used by that shard only) has its own key
// schedule and counter.
struct tls_context::ticket_state {
  Aes aes;
  bool aes_ready = false;
  std::uint8_t nonce_prefix[8] = {};
  std::uint64_t sealed = 0;  ///< tickets sealed so far: the nonce's second half
  std::shared_ptr<const session_ticket_keys> keys;
  static int seal(WOLFSSL*, unsigned char key_name[WOLFSSL_TICKET_NAME_SZ],
                  unsigned char iv[WOLFSSL_TICKET_IV_SZ], unsigned char mac[WOLFSSL_TICKET_MAC_SZ],
                  int enc, unsigned char* ticket, int in_len, int* out_len, void* user);
  ~ticket_state() {
    if (aes_ready) wc_AesFree(&aes);
  }
};

namespace {

constexpr int nonce_size = WOLFSSL_TICKET_IV_SZ;
constexpr int tag_size = 16;

constexpr const char* cipher_list =
    "TLS13-AES128-GCM-SHA256:TLS13-AES256-GCM-SHA384:TLS13-CHACHA20-POLY1305-SHA256:"
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

}  // namespace

int tls_context::ticket_state::seal(WOLFSSL*, unsigned char key_name[WOLFSSL_TICKET_NAME_SZ],
                                    unsigned char iv[WOLFSSL_TICKET_IV_SZ],
                                    unsigned char mac[WOLFSSL_TICKET_MAC_SZ], int enc,
                                    unsigned char* ticket, int in_len, int* out_len, void* user) {
  auto* st = static_cast<ticket_state*>(user);
  const auto& name = st->keys->name();
  if (enc) {
    std::memcpy(key_name, name.data(), name.size());
    static_assert(WOLFSSL_TICKET_IV_SZ == sizeof st->nonce_prefix + sizeof st->sealed);
    std::memcpy(iv, st->nonce_prefix, sizeof st->nonce_prefix);
    const std::uint64_t count = ++st->sealed;
    std::memcpy(iv + sizeof st->nonce_prefix, &count, sizeof count);
    std::memset(mac, 0, WOLFSSL_TICKET_MAC_SZ);
    if (wc_AesGcmEncrypt(&st->aes, ticket, ticket, static_cast<word32>(in_len), iv, nonce_size, mac,
                         tag_size, key_name, WOLFSSL_TICKET_NAME_SZ) != 0)
      return WOLFSSL_TICKET_RET_FATAL;
    *out_len = in_len;
    return WOLFSSL_TICKET_RET_OK;
  }
  // A ticket sealed under another key (an earlier one, or another server's): a full handshake.
  if (std::memcmp(key_name, name.data(), name.size()) != 0) return WOLFSSL_TICKET_RET_REJECT;
  if (wc_AesGcmDecrypt(&st->aes, ticket, ticket, static_cast<word32>(in_len), iv, nonce_size, mac,
                       tag_size, key_name, WOLFSSL_TICKET_NAME_SZ) != 0)
    return WOLFSSL_TICKET_RET_REJECT;
  *out_len = in_len;
  return WOLFSSL_TICKET_RET_OK;
}

std::unique_ptr<tls_context> tls_context::create(const tls_context_options& o, std::string& error) {
  std::unique_ptr<tls_context> c(new tls_context());
  c->_role = o.role;
  c->_verify = o.verify;
  c->_resume_without_key_exchange = o.role == tls_role::client && o.resumption_without_key_exchange;
  const bool server = o.role == tls_role::server;
  auto* ctx = wolfSSL_CTX_new(server ? wolfSSLv23_server_method() : wolfSSLv23_client_method());
  if (!ctx) {
    error = "cannot create a TLS context";
    return nullptr;
  }
  c->_ctx = ctx;

  if (wolfSSL_CTX_SetMinVersion(ctx, WOLFSSL_TLSV1_2) != WOLFSSL_SUCCESS ||
      wolfSSL_CTX_set_cipher_list(ctx, cipher_list) != WOLFSSL_SUCCESS) {
    error = "cannot set the TLS versions or cipher suites";
    return nullptr;
  }
  int groups[] = {WOLFSSL_ECC_X25519, WOLFSSL_ECC_SECP256R1, WOLFSSL_ECC_SECP384R1};
  if (wolfSSL_CTX_set_groups(ctx, groups, 3) != WOLFSSL_SUCCESS) {
    error = "cannot set the key exchange groups";
    return nullptr;
  }
  if (!server) {
    for (int g : groups)
      if (wolfSSL_CTX_UseSupportedCurve(ctx, static_cast<word16>(g)) != WOLFSSL_SUCCESS) {
        error = "cannot set the supported groups";
        return nullptr;
      }
  }

  if (!o.certificate_chain.empty()) {
    if (!detail::readable(o.certificate_chain, error)) return nullptr;
    if (wolfSSL_CTX_use_certificate_chain_file(ctx, o.certificate_chain.c_str()) != WOLFSSL_SUCCESS) {
      error = o.certificate_chain + ": no usable PEM certificate in the file";
      return nullptr;
    }
    if (o.private_key.empty()) {
      error = o.certificate_chain + ": no private key configured for the certificate";
      return nullptr;
    }
    if (!detail::readable(o.private_key, error)) return nullptr;
    if (wolfSSL_CTX_use_PrivateKey_file(ctx, o.private_key.c_str(), WOLFSSL_FILETYPE_PEM) !=
        WOLFSSL_SUCCESS) {
      error = o.private_key + ": no usable PEM private key (ECDSA or RSA, unencrypted) in the file";
      return nullptr;
    }
    if (wolfSSL_CTX_check_private_key(ctx) != WOLFSSL_SUCCESS) {
      error = o.private_key + ": the key does not match the certificate of " + o.certificate_chain;
      return nullptr;
    }
  } else if (server) {
    error = "a server needs a certificate chain";
    return nullptr;
  }

  for (const auto& f : o.trusted_cas) {
    if (!detail::readable(f, error)) return nullptr;
    if (wolfSSL_CTX_load_verify_locations(ctx, f.c_str(), nullptr) != WOLFSSL_SUCCESS) {
      error = f + ": no usable PEM CA certificate in the file";
      return nullptr;
    }
  }
  if (!o.crls.empty()) {
    if (wolfSSL_CTX_EnableCRL(ctx, WOLFSSL_CRL_CHECKALL) != WOLFSSL_SUCCESS) {
      error = "cannot enable CRL checking";
      return nullptr;
    }
    for (const auto& f : o.crls) {
      if (!detail::readable(f, error)) return nullptr;
      if (wolfSSL_CTX_LoadCRLFile(ctx, f.c_str(), WOLFSSL_FILETYPE_PEM) != WOLFSSL_SUCCESS) {
        error = f + ": not a PEM CRL signed by one of the trusted CAs";
        return nullptr;
      }
    }
  }
  if (o.verify != peer_verification::none && o.trusted_cas.empty()) {
    error = "peer verification needs trusted CAs";
    return nullptr;
  }

  int mode = WOLFSSL_VERIFY_NONE;
  if (o.verify != peer_verification::none) mode = WOLFSSL_VERIFY_PEER;
  if (server && o.verify == peer_verification::required) mode |= WOLFSSL_VERIFY_FAIL_IF_NO_PEER_CERT;
  wolfSSL_CTX_set_verify(ctx, mode, nullptr);  // tls_session installs its own callback

  if (server) {
    // Tickets only: wolfSSL's session cache is global and locked.
    wolfSSL_CTX_set_session_cache_mode(ctx, WOLFSSL_SESS_CACHE_OFF);
    if (o.tickets) {
      c->_tickets = o.tickets;
      auto st = std::make_shared<ticket_state>();
      st->keys = o.tickets;
      WC_RNG rng;
      if (wc_InitRng(&rng) != 0) {
        error = "cannot initialise the RNG";
        return nullptr;
      }
      const int drawn = wc_RNG_GenerateBlock(&rng, st->nonce_prefix, sizeof st->nonce_prefix);
      wc_FreeRng(&rng);
      if (drawn != 0) {
        error = "the RNG failed";
        return nullptr;
      }
      if (wc_AesInit(&st->aes, nullptr, INVALID_DEVID) != 0) {
        error = "cannot initialise AES";
        return nullptr;
      }
      st->aes_ready = true;
      if (wc_AesGcmSetKey(&st->aes, o.tickets->key().data(), session_ticket_keys::key_size) != 0) {
        error = "cannot set the session ticket key";
        return nullptr;
      }
      c->_ticket_state = std::move(st);
      wolfSSL_CTX_set_TicketEncCb(ctx, &ticket_state::seal);
      wolfSSL_CTX_set_TicketEncCtx(ctx, c->_ticket_state.get());
    } else {
      wolfSSL_CTX_set_TicketEncCb(ctx, nullptr);
      wolfSSL_CTX_NoTicketTLSv12(ctx);
      wolfSSL_CTX_no_ticket_TLSv13(ctx);
    }
  }
  return c;
}

tls_context::~tls_context() {
  // Sessions hold their own references on the WOLFSSL_CTX (wolfSSL counts them) and on the
  // ticket state.
  if (_ctx) wolfSSL_CTX_free(static_cast<WOLFSSL_CTX*>(_ctx));
}

}  // namespace sipring::crypto
