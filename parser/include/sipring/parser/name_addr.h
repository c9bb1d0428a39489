#pragma once
// The name-addr family (RFC 3261 §20.10, §20.20, §20.34, §20.39, §20.30, §20.31, RFC 3327 Path):
// one element of From, To, Contact, Route, Record-Route, Reply-To or Path. List headers are
// split into elements first (list_splitter in header_values.h); the URI itself is parsed later
// by parse_uri on the `uri` span.

#include <cstdint>
#include <string_view>

#include "sipring/parser/error.h"
#include "sipring/parser/uri.h"

namespace sipring::parser {

struct name_addr {
  std::string_view display_name;  ///< without quotes (escapes left in place); empty if none
  bool display_quoted = false;    ///< the display name was a quoted-string
  std::string_view uri;           ///< the addr-spec text, without <>
  bool angle_brackets = false;    ///< the address was written as <addr-spec>
  std::string_view params;        ///< header params after the address, starting at ';', or empty
  std::string_view tag;           ///< value of the tag param; empty if absent
  std::string_view expires;       ///< value of the expires param (digits); empty if absent
  std::string_view q;             ///< value of the q param (a valid qvalue); empty if absent
};

/// Parses one element: `[display-name] <addr-spec> *(;param)` or a bare `addr-spec *(;param)`.
/// Errors: bad_name_addr (structure), bad_uri (empty, no scheme, LWS or controls in the URI),
/// bad_quoting (unterminated display name), bad_param (params, tag/q/expires values or repeats),
/// bad_number (expires above 2^32-1). On error `out` holds what was parsed so far.
error_code parse_name_addr(std::string_view element, name_addr& out) noexcept;

/// One element and its URI: the same results (fields and error codes) as parse_name_addr(element,
/// na) followed, when that succeeds, by parse_uri(na.uri, u); `u` is written only when both do.
/// The common `<sip:...>` form is validated in one pass over the URI.
error_code parse_name_addr_uri(std::string_view element, name_addr& na, uri& u) noexcept;

/// True when a Contact value is the wildcard `*` (LWS around it allowed).
bool is_contact_star(std::string_view contact_value) noexcept;

/// Converts a qvalue ("0", "0.5", "1.000" …) to thousandths; false when it is not a qvalue.
bool parse_qvalue(std::string_view q, std::uint16_t& thousandths) noexcept;

/// Converts delta-seconds (1*DIGIT) to a number; false when not digits or above 2^32-1.
bool parse_delta_seconds(std::string_view digits, std::uint32_t& seconds) noexcept;

}  // namespace sipring::parser
