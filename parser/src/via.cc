#include "sipring/parser/via.h"

#include <array>

#include "char_class.h"
#include "fast_scan.h"
#include "sipring/parser/header_params.h"

namespace sipring::parser {

namespace {

// A cursor over one via-parm.
struct cursor {
  std::string_view s;
  std::size_t pos = 0;

  bool at_end() const noexcept { return pos >= s.size(); }
  bool at(char c) const noexcept { return pos < s.size() && s[pos] == c; }
  // Skips LWS; returns whether there was any.
  bool skip_lws() noexcept {
    const std::size_t start = pos;
    while (pos < s.size() && is_lws(s[pos])) ++pos;
    return pos != start;
  }
  std::string_view take_while(bool (*pred)(char) noexcept) noexcept {
    const std::size_t start = pos;
    while (pos < s.size() && pred(s[pos])) ++pos;
    return s.substr(start, pos - start);
  }
};

bool token_char(char c) noexcept { return chars::is_token(c); }
bool hostname_char(char c) noexcept {
  return chars::is(c, chars::alpha | chars::digit) || c == '-' || c == '.';
}
bool digit_char(char c) noexcept { return chars::is_digit(c); }

using fast::is_token_text;

// received = IPv4address / IPv6address (RFC 3261); RFC 5118 §4.5 asks to accept "[...]" too.
bool is_ip_address(std::string_view s) noexcept {
  std::array<std::uint8_t, 4> v4{};
  std::array<std::uint8_t, 16> v6{};
  if (s.size() >= 2 && s.front() == '[' && s.back() == ']')
    return parse_ipv6_address(s.substr(1, s.size() - 2), v6);
  return parse_ipv4_address(s, v4) || parse_ipv6_address(s, v6);
}

// Reads `protocol-name / protocol-version / transport` with LWS allowed around each '/'.
struct sent_protocol {
  std::string_view protocol_name, protocol_version, transport;
};

bool parse_sent_protocol(cursor& c, sent_protocol& v) noexcept {
  v.protocol_name = c.take_while(token_char);
  c.skip_lws();
  if (v.protocol_name.empty() || !c.at('/')) return false;
  ++c.pos;
  c.skip_lws();
  v.protocol_version = c.take_while(token_char);
  c.skip_lws();
  if (v.protocol_version.empty() || !c.at('/')) return false;
  ++c.pos;
  c.skip_lws();
  v.transport = c.take_while(token_char);
  return !v.transport.empty();
}

// Reads `host [ SWS ":" SWS port ]`.
error_code parse_sent_by(cursor& c, host_port& hp) noexcept {
  const std::size_t start = c.pos;
  if (c.at('[')) {
    const std::size_t close = fast::find(c.s, ']', c.pos);
    if (close == std::string_view::npos) return error_code::bad_via;
    c.pos = close + 1;
  } else {
    c.take_while(hostname_char);
  }
  hp.host = c.s.substr(start, c.pos - start);
  if (parse_host(hp.host, hp.kind) != error_code::none) return error_code::bad_via;
  const std::size_t after_host = c.pos;
  c.skip_lws();
  if (!c.at(':')) {
    c.pos = after_host;
    return error_code::none;
  }
  ++c.pos;
  c.skip_lws();
  if (const auto e = parse_port(c.take_while(digit_char), hp.port); e != error_code::none) return e;
  hp.has_port = true;
  return error_code::none;
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

// The known parameters, apart from a whole via: zeroing a via costs more than parsing one.
struct known_params {
  std::string_view branch, received, maddr, ttl;
  bool has_rport = false;
  bool rport_has_value = false;
  std::uint16_t rport = 0;
};

// Stores one known parameter; none for unknown ones.
error_code take_param(const header_param& p, known_params& v) noexcept {
  std::string_view* field = nullptr;
  const via_param kind = classify(p.name);
  if (kind == via_param::other) return error_code::none;
  if (kind == via_param::branch) {
    if (!p.has_value || p.quoted || !is_token_text(p.value)) return error_code::bad_param;
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

}  // namespace

error_code parse_via(std::string_view element, via& out) noexcept {
  cursor c{trim_lws(element)};
  sent_protocol sp;
  if (!parse_sent_protocol(c, sp)) return error_code::bad_via;
  if (!c.skip_lws()) return error_code::bad_via;  // LWS separates sent-protocol from sent-by
  host_port sent_by;
  if (const auto e = parse_sent_by(c, sent_by); e != error_code::none) return e;
  c.skip_lws();
  if (!c.at_end() && !c.at(';')) return error_code::bad_via;
  const std::string_view params = c.s.substr(c.pos);

  known_params k;
  header_param_reader reader(params);
  header_param p;
  while (reader.next(p))
    if (const auto e = take_param(p, k); e != error_code::none) return e;
  if (reader.error() != error_code::none) return reader.error();
  out.protocol_name = sp.protocol_name;
  out.protocol_version = sp.protocol_version;
  out.transport = sp.transport;
  out.sent_by = sent_by;
  out.branch = k.branch;
  out.received = k.received;
  out.maddr = k.maddr;
  out.ttl = k.ttl;
  out.has_rport = k.has_rport;
  out.rport_has_value = k.rport_has_value;
  out.rport = k.rport;
  out.params = params;
  return error_code::none;
}

}  // namespace sipring::parser
