#pragma once
// Authentication headers (RFC 3261 §20.7, §20.27, §20.28, §20.44, §25.1; digest parameters of
// RFC 2617 and RFC 8760): credentials of Authorization / Proxy-Authorization and the challenge
// of WWW-Authenticate / Proxy-Authenticate. `scheme auth-param *(, auth-param)` with
// auth-param = token "=" ( token / quoted-string ), LWS allowed around '=' and ','.

#include <cstddef>
#include <string_view>

#include "sipring/parser/error.h"

namespace sipring::parser {

struct auth_param {
  std::string_view name;   ///< as written (compare case-insensitively)
  std::string_view value;  ///< a quoted value without its quotes (escapes left in place)
  bool quoted = false;
};

/// Iterates the auth-params of `text` (what follows the scheme). next() stores the next param
/// and returns true; false at the end or on an error, after which error() says what was wrong:
/// bad_auth (syntax) or bad_quoting (unterminated quoted string).
class auth_param_reader {
 public:
  explicit constexpr auth_param_reader(std::string_view text) noexcept : _text(text) {}

  bool next(auth_param& param) noexcept;
  error_code error() const noexcept { return _error; }

 private:
  bool fail(error_code code) noexcept;

  std::string_view _text;
  std::size_t _pos = 0;
  bool _started = false;
  error_code _error = error_code::none;
};

/// What credentials and challenges share. The Digest fields are views of the values (quoted ones
/// without quotes); empty when absent or when the scheme is not Digest.
struct auth_value {
  std::string_view scheme;  ///< as written, e.g. "Digest" or "NoOneKnowsThisScheme"
  bool is_digest = false;   ///< scheme is Digest (case-insensitive)
  std::string_view params;  ///< all that follows the scheme: auth-params (Digest) or raw text
  std::string_view username, realm, nonce, uri, response, algorithm, cnonce, opaque, qop, nc,
      stale, domain;
};

/// Authorization / Proxy-Authorization. Digest fills username, realm, nonce, uri, response,
/// algorithm, cnonce, opaque, qop (one value) and nc; other params stay in `params`.
struct credentials : auth_value {};

/// WWW-Authenticate / Proxy-Authenticate. Digest fills realm, domain, nonce, opaque, stale,
/// algorithm and qop (the list of options); other params stay in `params`.
struct challenge : auth_value {};

/// Parses an Authorization / Proxy-Authorization value. For Digest: every param well-formed, no
/// known param twice, nc 8 hex digits, response hex, qop a token; else bad_auth (bad_quoting for
/// an unterminated quoted string). Other schemes: only the scheme token is checked.
error_code parse_credentials(std::string_view value, credentials& out) noexcept;

/// Parses a WWW-Authenticate / Proxy-Authenticate value (one challenge). For Digest: every param
/// well-formed, no known param twice, stale true/false, qop a list of tokens; else bad_auth
/// (bad_quoting for an unterminated quoted string). Other schemes: only the scheme is checked.
error_code parse_challenge(std::string_view value, challenge& out) noexcept;

/// True when a challenge's qop list ("auth,auth-int") offers `option` (case-insensitive).
bool qop_offers(std::string_view qop_list, std::string_view option) noexcept;

/// True when a parsed challenge says stale=true (case-insensitive).
bool is_stale(const challenge& c) noexcept;

}  // namespace sipring::parser
