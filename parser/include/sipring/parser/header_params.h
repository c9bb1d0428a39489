#pragma once
// Header parameters (RFC 3261 §25.1 generic-param): `;name[=value]` after a header element,
// with LWS allowed around ';' and '='. Values are a token, a host (IPv6 reference included) or
// a quoted string. Shared by Via, name-addr headers, Content-Type, Event, Subscription-State.

#include <string_view>

#include "sipring/parser/error.h"

namespace sipring::parser {

struct header_param {
  std::string_view name;   ///< as written (compare case-insensitively)
  std::string_view value;  ///< empty when there is no '='; a quoted value keeps its quotes
  bool has_value = false;
  bool quoted = false;     ///< value is a quoted-string (quotes included in `value`)
};

/// Iterates the parameters of `text`, which is either empty or starts (after LWS) with ';'.
/// next() stores the next parameter and returns true; it returns false at the end or on an
/// error, after which error() says what was wrong (bad_param, or bad_quoting for an
/// unterminated quoted string) and error_offset() where, relative to `text`.
class header_param_reader {
 public:
  explicit constexpr header_param_reader(std::string_view text) noexcept : _text(text) {}

  bool next(header_param& param) noexcept;
  error_code error() const noexcept { return _error; }
  std::size_t error_offset() const noexcept { return _error_at; }

 private:
  bool fail(error_code code) noexcept;

  std::string_view _text;
  std::size_t _pos = 0;
  error_code _error = error_code::none;
  std::size_t _error_at = 0;
};

/// Checks every parameter of `text`; none on success.
error_code validate_header_params(std::string_view text) noexcept;

/// Case-insensitive ASCII comparison (header and parameter names).
bool iequals(std::string_view a, std::string_view b) noexcept;

/// The value of a quoted-string without its quotes, escapes left in place ("a\"b" -> a\"b).
constexpr std::string_view unquote(std::string_view quoted) noexcept {
  return quoted.size() >= 2 && quoted.front() == '"' && quoted.back() == '"'
             ? quoted.substr(1, quoted.size() - 2)
             : quoted;
}

/// Length of the quoted-string at the start of `s` (which begins with '"'), quotes included;
/// 0 when it is not terminated or holds a control character other than HT/folding.
std::size_t quoted_string_length(std::string_view s) noexcept;

}  // namespace sipring::parser
