#pragma once
// Via (RFC 3261 §20.42, §25.1 via-parm; RFC 3581 rport; RFC 5118 IPv6): one via-parm split into
// sent-protocol, sent-by and the parameters a proxy needs. Views point into the caller's text.

#include <cstdint>
#include <string_view>
#include <type_traits>
#include <utility>

#include "sipring/parser/error.h"
#include "sipring/parser/header_values.h"
#include "sipring/parser/host.h"
#include "sipring/parser/scratch.h"
#include "sipring/parser/simd_level.h"

namespace sipring::parser {

struct via {
  std::string_view protocol_name;     ///< "SIP" (any token is accepted; the caller checks)
  std::string_view protocol_version;  ///< "2.0"
  std::string_view transport;         ///< "UDP", "TCP", "TLS", "SCTP" or another token
  host_port sent_by;
  std::string_view branch;    ///< empty when absent
  std::string_view received;  ///< an IPv4 or IPv6 address, brackets kept if written (RFC 5118)
  std::string_view maddr;     ///< a host
  std::string_view ttl;       ///< 0-255
  bool has_rport = false;
  bool rport_has_value = false;
  std::uint16_t rport = 0;
  /// Every parameter as written (";branch=...;x=y"), known ones included: other parameters are
  /// read from here with header_param_reader. Empty when there is none.
  std::string_view params;
};

/// Parses ONE via-parm ("SIP/2.0/UDP host:5060;branch=..."): a list element as list_splitter
/// returns it. LWS (folding included) is allowed around '/' and ':' and between the parameters.
/// Errors: bad_via for the structure (sent-protocol, sent-by host, what follows it); bad_number
/// for a port, rport or ttl out of range or not a number; bad_param for a malformed parameter or
/// a known one (branch, received, maddr, ttl, rport) without a valid value or repeated;
/// bad_quoting for an unterminated quoted value. On success every field of `out` is written; on
/// error `out` is unspecified.
error_code parse_via(std::string_view element, via& out) noexcept;

namespace detail {
/// for_each_via's fast path: parses the via-parm at header_value[pos] (after LWS) as
/// list_splitter and parse_via would when it is a plain one (no quoting, no IPv6, no LWS
/// inside), stores it in `out` and moves `pos` past its ',' (npos after the last element).
/// False, with `pos` untouched (and `out` unspecified), when the element needs the general path.
bool parse_plain_via(std::string_view header_value, std::size_t& pos, via& out) noexcept;

/// parse_plain_via, through the given implementation's fast path first.
bool parse_plain_via_with(simd_level level, std::string_view header_value, std::size_t& pos,
                          via& out) noexcept;
}  // namespace detail

/// Parses every via-parm of a Via header value ("SIP/2.0/UDP a, SIP/2.0/TCP b") in order and
/// calls `f(const via&)` for each; `f` may return bool, false stopping the walk. An empty value
/// or element is bad_via; the first element that fails stops the walk with its code. `f` must
/// not throw.
template <class F>
error_code for_each_via_with(simd_level level, std::string_view header_value, F&& f) noexcept;

template <class F>
error_code for_each_via(std::string_view header_value, F&& f) noexcept {
  return for_each_via_with(active_simd_level(), header_value, std::forward<F>(f));
}

/// for_each_via with a given SIMD implementation: the same results with each. The level must be
/// one the CPU supports.
template <class F>
error_code for_each_via_with(simd_level level, std::string_view header_value, F&& f) noexcept {
  // Returns whether to go on.
  auto call = [&f](const via& v) {
    if constexpr (std::is_same_v<std::invoke_result_t<F&, const via&>, bool>) {
      return static_cast<bool>(f(v));
    } else {
      f(v);
      return true;
    }
  };
  detail::scratch<via> storage;  // every parser below writes every field: one via for all
  via& v = storage.get();
  std::size_t pos = 0;
  while (detail::parse_plain_via_with(level, header_value, pos, v)) {
    if (!call(static_cast<const via&>(v))) return error_code::none;
    if (pos == std::string_view::npos) return error_code::none;
  }
  // The rest, from the element the fast path left, element by element.
  list_splitter elements(header_value.substr(pos));
  std::string_view element;
  while (elements.next(element)) {
    if (element.empty()) return error_code::bad_via;
    if (const auto e = parse_via(element, v); e != error_code::none) return e;
    if (!call(static_cast<const via&>(v))) break;
  }
  return error_code::none;
}

}  // namespace sipring::parser
