#include "via_params.h"

#include <array>

#include "fast_scan.h"
#include "sipring/parser/host.h"

namespace sipring::parser::detail {

namespace {

// received = IPv4address / IPv6address (RFC 3261); RFC 5118 §4.5 asks to accept "[...]" too.
bool is_ip_address(std::string_view s) noexcept {
  std::array<std::uint8_t, 4> v4{};
  std::array<std::uint8_t, 16> v6{};
  if (s.size() >= 2 && s.front() == '[' && s.back() == ']')
    return parse_ipv6_address(s.substr(1, s.size() - 2), v6);
  return parse_ipv4_address(s, v4) || parse_ipv6_address(s, v6);
}

enum class via_param : std::uint8_t { other, branch, received, maddr, ttl, rport };

via_param classify(std::string_view name) noexcept {
  switch (name.size()) {
    case 3: return fast::iequals_lower(name, "ttl") ? via_param::ttl : via_param::other;
    case 5:
      if (fast::iequals_lower(name, "rport")) return via_param::rport;
      return fast::iequals_lower(name, "maddr") ? via_param::maddr : via_param::other;
    case 6: return fast::iequals_lower(name, "branch") ? via_param::branch : via_param::other;
    case 8: return fast::iequals_lower(name, "received") ? via_param::received : via_param::other;
    default: return via_param::other;
  }
}

}  // namespace

void clear_via_params(via& v) noexcept {
  v.branch = {};
  v.received = {};
  v.maddr = {};
  v.ttl = {};
  v.has_rport = false;
  v.rport_has_value = false;
  v.rport = 0;
}

error_code take_via_param(const header_param& p, via& v,
                          value_tokens tokens) noexcept {
  std::string_view* field = nullptr;
  const via_param kind = classify(p.name);
  if (kind == via_param::other) return error_code::none;
  if (kind == via_param::branch) {
    const bool token = tokens == value_tokens::unknown ? fast::is_token_text(p.value)
                                                         : tokens == value_tokens::yes;
    if (!p.has_value || p.quoted || !token) return error_code::bad_param;
    field = &v.branch;
  } else if (kind == via_param::received) {
    if (!p.has_value || p.quoted || !is_ip_address(p.value)) return error_code::bad_param;
    field = &v.received;
  } else if (kind == via_param::maddr) {
    host_kind k{};
    if (!p.has_value || p.quoted || parse_host(p.value, k) != error_code::none)
      return error_code::bad_param;
    field = &v.maddr;
  } else if (kind == via_param::ttl) {
    if (!p.has_value || p.quoted) return error_code::bad_param;
    std::uint16_t ttl = 0;
    if (p.value.size() > 3 || parse_port(p.value, ttl) != error_code::none || ttl > 255)
      return error_code::bad_number;
    field = &v.ttl;
  } else {  // rport
    if (v.has_rport || p.quoted) return error_code::bad_param;
    if (p.has_value) {
      if (const auto e = parse_port(p.value, v.rport); e != error_code::none) return e;
      v.rport_has_value = true;
    }
    v.has_rport = true;
    return error_code::none;
  }
  if (!field->empty()) return error_code::bad_param;  // repeated: which one would count?
  *field = p.value;
  return error_code::none;
}

}  // namespace sipring::parser::detail
