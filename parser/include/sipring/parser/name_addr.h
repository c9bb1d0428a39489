#pragma once
// The name-addr family (RFC 3261 §20.10, §20.20, §20.34, §20.39, §20.30, §20.31, RFC 3327 Path):
// one element of From, To, Contact, Route, Record-Route, Reply-To or Path. List headers are
// split into elements first (list_splitter in header_values.h); the URI itself is parsed later
// by parse_uri on the `uri` span.

#include <cstdint>
#include <string_view>
#include <type_traits>
#include <utility>

#include "sipring/parser/error.h"
#include "sipring/parser/header_values.h"
#include "sipring/parser/scratch.h"
#include "sipring/parser/simd_level.h"
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
/// na) followed, when that succeeds, by parse_uri(na.uri, u); on error `u` is unspecified
/// (the fast paths write it as they go).
/// The common `<sip:...>` form is validated in one pass over the URI.
error_code parse_name_addr_uri(std::string_view element, name_addr& na, uri& u) noexcept;

/// parse_name_addr_uri with a given SIMD implementation (parse_name_addr_uri uses
/// active_simd_level()): the same results with each. The level must be one the CPU supports.
error_code parse_name_addr_uri_with(simd_level level, std::string_view element, name_addr& na,
                                    uri& u) noexcept;

namespace detail {
/// for_each_name_addr's fast path: the element at header_value[pos] (after LWS) when the
/// implementation's fast path takes it, stored as parse_name_addr_uri would, with `pos` moved
/// past its ',' (npos after the last element). False, with nothing written, otherwise.
bool parse_plain_name_addr(simd_level level, std::string_view header_value, std::size_t& pos,
                           name_addr& na, uri& u) noexcept;
}  // namespace detail

/// Parses every element of a name-addr list value (Contact, Route, Record-Route, Path, or the
/// single element of From / To) with its URI, in order, and calls `f(const name_addr&, const
/// uri&)` for each; `f` may return bool, false stopping the walk. Elements are split as
/// list_splitter does; an empty element is bad_name_addr, and the first element that fails
/// stops the walk with parse_name_addr_uri's code. `f` must not throw.
template <class F>
error_code for_each_name_addr_with(simd_level level, std::string_view header_value, F&& f) noexcept {
  auto call = [&f](const name_addr& na, const uri& u) {
    if constexpr (std::is_same_v<std::invoke_result_t<F&, const name_addr&, const uri&>, bool>) {
      return static_cast<bool>(f(na, u));
    } else {
      f(na, u);
      return true;
    }
  };
  detail::scratch<name_addr> na_storage;  // every parser below writes every field it returns
  detail::scratch<uri> u_storage;
  name_addr& na = na_storage.get();
  uri& u = u_storage.get();
  std::size_t pos = 0;
  while (detail::parse_plain_name_addr(level, header_value, pos, na, u)) {
    if (!call(static_cast<const name_addr&>(na), static_cast<const uri&>(u))) return error_code::none;
    if (pos == std::string_view::npos) return error_code::none;
  }
  list_splitter elements(header_value.substr(pos));
  std::string_view element;
  while (elements.next(element)) {
    if (element.empty()) return error_code::bad_name_addr;
    if (const auto e = parse_name_addr_uri_with(level, element, na, u); e != error_code::none) return e;
    if (!call(static_cast<const name_addr&>(na), static_cast<const uri&>(u))) break;
  }
  return error_code::none;
}

/// for_each_name_addr_with(active_simd_level(), ...).
template <class F>
error_code for_each_name_addr(std::string_view header_value, F&& f) noexcept {
  return for_each_name_addr_with(active_simd_level(), header_value, std::forward<F>(f));
}

/// True when a Contact value is the wildcard `*` (LWS around it allowed).
bool is_contact_star(std::string_view contact_value) noexcept;

/// Converts a qvalue ("0", "0.5", "1.000" …) to thousandths; false when it is not a qvalue.
bool parse_qvalue(std::string_view q, std::uint16_t& thousandths) noexcept;

/// Converts delta-seconds (1*DIGIT) to a number; false when not digits or above 2^32-1.
bool parse_delta_seconds(std::string_view digits, std::uint32_t& seconds) noexcept;

}  // namespace sipring::parser
