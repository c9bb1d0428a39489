#pragma once
// Why a TLS handshake or session failed, in sipring's own words: wolfSSL's error codes are
// mapped once (tls_error.cc) so the engine logs and counts reasons without knowing wolfSSL.

#include <cstdint>
#include <string_view>

namespace sipring::crypto {

enum class tls_error : std::uint8_t {
  none,
  unknown_ca,          ///< the peer's chain does not end at a CA we trust (for this peer)
  name_mismatch,       ///< the certificate names none of the names we expected
  expired,             ///< a certificate of the chain is past its notAfter
  not_yet_valid,       ///< a certificate of the chain is before its notBefore
  revoked,             ///< a configured CRL lists the certificate
  untrusted_server,    ///< a valid certificate, but not one of the servers trusted for the peer
  no_certificate,      ///< the peer presented no certificate where one is required
  bad_certificate,     ///< unparsable or badly signed certificate
  protocol_version,    ///< the peer offers neither TLS 1.2 nor TLS 1.3
  no_shared_cipher,    ///< no cipher suite or group in common
  not_tls,             ///< the bytes are not TLS at all (a plaintext client on the TLS port)
  handshake_timeout,   ///< the handshake did not finish in time (set by the transport)
  peer_alert,          ///< the peer sent a fatal alert
  peer_closed,         ///< the peer closed the TLS session (close_notify) or the connection
  bad_record,          ///< a record failed to decrypt or authenticate
  internal,            ///< anything else (wolfSSL's code is in tls_session::library_error())
};

/// A short readable reason, e.g. "certificate expired".
std::string_view describe(tls_error e) noexcept;

}  // namespace sipring::crypto
