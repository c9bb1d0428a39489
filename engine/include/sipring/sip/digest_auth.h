#pragma once
// Digest authentication of SIP requests (RFC 3261 §22, RFC 7616, RFC 8760): writing the
// challenges of a 401/407, finding the credentials meant for our realm, and checking them.
//
// One digest_authenticator is built at start and shared read-only by every shard: its methods
// are const, take no lock and never allocate. Supported: algorithm MD5, SHA-256 and their -sess
// variants, qop=auth, and (MD5 only) the RFC 2069 form without qop. Not supported: auth-int,
// SHA-512-256, userhash. The digest-uri is hashed as sent and not compared with the Request-URI.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "sipring/crypto/digest_hash.h"
#include "sipring/parser/auth.h"
#include "sipring/parser/header_id.h"
#include "sipring/parser/message_view.h"
#include "sipring/sip/nonce.h"
#include "sipring/sip/user_directory.h"

namespace sipring::sip {

enum class auth_status : std::uint8_t {
  ok,
  stale_nonce,   ///< the response is right but the nonce is too old: challenge with stale=true
  bad_nonce,     ///< the nonce is not one of ours (forged, tampered, from another process)
  unknown_user,  ///< no HA1 for this user, realm and algorithm
  wrong_realm,   ///< credentials for another realm
  bad_response,  ///< wrong password (or wrong method/uri/nonce in the hash)
  unsupported,   ///< a scheme, algorithm or qop we do not do
  malformed,     ///< a required parameter missing or of the wrong size
};

/// The status's stable identifier, e.g. "stale_nonce" (for logs and tests).
std::string_view auth_status_name(auth_status s) noexcept;

struct auth_result {
  auth_status status = auth_status::malformed;
  std::string_view reason;  ///< a short static text for the log line, e.g. "response does not match"
};

enum class credentials_search : std::uint8_t {
  found,      ///< Digest credentials for our realm
  absent,     ///< none for our realm (none at all, other schemes or other realms)
  malformed,  ///< none for our realm, and at least one header of that name did not parse
};

/// What a digest response is computed from (RFC 7616 §3.4.1). Values unquoted and unescaped.
struct digest_input {
  crypto::hash_algorithm algorithm = crypto::hash_algorithm::md5;
  bool sess = false;          ///< MD5-sess / SHA-256-sess: HA1 becomes H(HA1:nonce:cnonce)
  std::string_view ha1;       ///< H(username:realm:password) in lowercase hex
  std::string_view nonce, nc, cnonce, qop;  ///< qop empty: the RFC 2069 form (nc, cnonce unused)
  std::string_view method, uri;
};

/// Writes the expected response, lowercase hex of hex_size(algorithm) chars, into `out`:
/// H(HA1:nonce:nc:cnonce:qop:HA2), or H(HA1:nonce:HA2) without qop, HA2 = H(method:uri).
/// False when `out` is too small. No allocation.
[[nodiscard]] bool compute_response(const digest_input& in, std::span<char> out) noexcept;

/// Writes HA1 = H(username:realm:password) as lowercase hex (what an htdigest line holds).
[[nodiscard]] bool compute_ha1(crypto::hash_algorithm a, std::string_view username,
                               std::string_view realm, std::string_view password,
                               std::span<char> out) noexcept;

class digest_authenticator {
 public:
  /// `realm` must be non-empty and free of control characters (it is written into headers):
  /// else std::invalid_argument. The algorithms offered are those `users` holds an HA1 of for
  /// `realm`: SHA-256 first, MD5 only when some user has an MD5 HA1; SHA-256 when it has none.
  digest_authenticator(user_directory users, std::string realm, std::chrono::seconds nonce_lifetime,
                       nonce_key key = nonce_key());

  std::string_view realm() const noexcept { return _realm; }
  const user_directory& users() const noexcept { return _users; }
  const nonce_key& nonces() const noexcept { return _nonces; }
  /// The algorithms challenges offer, in order of preference.
  std::span<const crypto::hash_algorithm> offered() const noexcept { return {_offered, _offered_count}; }

  /// Writes one challenge line per offered algorithm, SHA-256 before MD5 (RFC 8760 §2.4,
  /// RFC 7616 §3.7), each sharing one fresh nonce:
  ///   `WWW-Authenticate: Digest realm="…", nonce="…", qop="auth", algorithm=SHA-256[, stale=true]\r\n`
  /// `header` is www_authenticate (for a 401) or proxy_authenticate (for a 407). Returns the bytes
  /// written; 0 when `out` is smaller than max_challenges_size() needs or `header` is another id.
  std::size_t write_challenges(parser::header_id header, nonce_clock::time_point now, bool stale,
                               std::span<char> out) const noexcept;

  /// An upper bound on write_challenges's size: size the buffer with it.
  std::size_t max_challenges_size() const noexcept;

  /// Finds, among the `header` lines (authorization or proxy_authorization) of `msg`, the first
  /// Digest credentials whose realm is ours, and parses them into `out`.
  credentials_search find_credentials(const parser::message_view& msg, parser::header_id header,
                                      parser::credentials& out) const noexcept;

  /// Checks credentials for a request of `method` (its method token as sent, e.g. "REGISTER"):
  /// response per RFC 7616 §3.4.1 (H(HA1:nonce:nc:cnonce:qop:H(method:uri)); without qop,
  /// H(HA1:nonce:H(method:uri)); algorithm absent means MD5), compared in constant time.
  /// stale_nonce only when the response is right (RFC 7616 §3.3).
  auth_result verify(const parser::credentials& c, std::string_view method,
                     nonce_clock::time_point now) const noexcept;

 private:
  user_directory _users;
  std::string _realm;
  std::chrono::seconds _lifetime;
  nonce_key _nonces;
  crypto::hash_algorithm _offered[2] = {};
  std::size_t _offered_count = 0;
};

}  // namespace sipring::sip
