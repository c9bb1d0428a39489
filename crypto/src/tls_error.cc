#include "wolfssl_config.h"

#include "sipring/crypto/tls_error.h"

#include <wolfssl/error-ssl.h>
#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/error-crypt.h>

#include "tls_error_map.h"

namespace sipring::crypto {

std::string_view describe(tls_error e) noexcept {
  switch (e) {
    case tls_error::none: return "no error";
    case tls_error::unknown_ca: return "certificate issued by an unknown CA";
    case tls_error::name_mismatch: return "certificate name mismatch";
    case tls_error::expired: return "certificate expired";
    case tls_error::not_yet_valid: return "certificate not yet valid";
    case tls_error::revoked: return "certificate revoked";
    case tls_error::untrusted_server: return "server not trusted for this peer";
    case tls_error::no_certificate: return "no peer certificate";
    case tls_error::bad_certificate: return "bad certificate";
    case tls_error::protocol_version: return "unsupported protocol version";
    case tls_error::no_shared_cipher: return "no shared cipher suite or group";
    case tls_error::not_tls: return "not TLS";
    case tls_error::handshake_timeout: return "handshake timeout";
    case tls_error::peer_alert: return "fatal alert from the peer";
    case tls_error::peer_closed: return "closed by the peer";
    case tls_error::bad_record: return "bad record";
    case tls_error::internal: return "internal TLS error";
  }
  return "unknown TLS error";
}

namespace detail {

tls_error from_wolfssl(int code) noexcept {
  switch (code) {
    case 0: return tls_error::none;
    case ASN_NO_SIGNER_E:
    case ASN_SELF_SIGNED_E:
      return tls_error::unknown_ca;
    case ASN_AFTER_DATE_E: return tls_error::expired;
    case ASN_BEFORE_DATE_E: return tls_error::not_yet_valid;
    case CRL_CERT_REVOKED: return tls_error::revoked;
    case DOMAIN_NAME_MISMATCH: return tls_error::name_mismatch;
    case NO_PEER_CERT: return tls_error::no_certificate;
    case ASN_PARSE_E:
    case ASN_SIG_CONFIRM_E:
    case ASN_SIG_OID_E:
    case ASN_SIG_KEY_E:
    case ASN_SIG_HASH_E:
    case ASN_UNKNOWN_OID_E:
    case ASN_VERSION_E:
    case ASN_GETINT_E:
    case ASN_EXPECT_0_E:
    case ASN_BITSTR_E:
    case ASN_OBJECT_ID_E:
    case ASN_TAG_NULL_E:
    case ASN_INPUT_E:
    case ASN_PATHLEN_INV_E:
    case ASN_PATHLEN_SIZE_E:
    case CRL_CERT_DATE_ERR:
    case VERIFY_CERT_ERROR:
    case MAX_CHAIN_ERROR:
      return tls_error::bad_certificate;
    case VERSION_ERROR: return tls_error::protocol_version;
    case MATCH_SUITE_ERROR:
    case ECC_CURVE_ERROR:
    case BAD_KEY_SHARE_DATA:
    case PEER_KEY_ERROR:
      return tls_error::no_shared_cipher;
    case UNKNOWN_RECORD_TYPE: return tls_error::not_tls;
    case FATAL_ERROR: return tls_error::peer_alert;
    case WOLFSSL_ERROR_ZERO_RETURN:
    case ZERO_RETURN:
    case SOCKET_PEER_CLOSED_E:
    case SOCKET_ERROR_E:
      return tls_error::peer_closed;
    case VERIFY_MAC_ERROR:
    case DECRYPT_ERROR:
    case AES_GCM_AUTH_E:
    case MAC_CMP_FAILED_E:
    case LENGTH_ERROR:
    case BUFFER_ERROR:
    case PARSE_ERROR:
    case SANITY_MSG_E:
    case OUT_OF_ORDER_E:
      return tls_error::bad_record;
    default: return tls_error::internal;
  }
}

}  // namespace detail
}  // namespace sipring::crypto
