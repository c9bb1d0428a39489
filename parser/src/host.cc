#include "sipring/parser/host.h"

#include "char_class.h"
#include "fast_scan.h"
#include "sipring/parser/header_params.h"

namespace sipring::parser {

namespace {

constexpr int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

constexpr bool is_alnum(char c) noexcept { return chars::is(c, chars::alpha | chars::digit); }

// domainlabel / toplabel: alphanum, with '-' allowed only inside.
bool is_label(std::string_view label) noexcept {
  if (label.empty() || label.front() == '-' || label.back() == '-') return false;
  for (char c : label)
    if (!is_alnum(c) && c != '-') return false;
  return true;
}

}  // namespace

bool parse_ipv4_address(std::string_view text, std::array<std::uint8_t, 4>& out) noexcept {
  std::size_t i = 0;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (i >= text.size() || text[i] != '.') return false;
      ++i;
    }
    unsigned value = 0;
    std::size_t digits = 0;
    while (i < text.size() && chars::is_digit(text[i]) && digits < 3) {
      value = value * 10 + unsigned(text[i] - '0');
      ++i;
      ++digits;
    }
    if (digits == 0 || value > 255) return false;
    out[static_cast<std::size_t>(part)] = static_cast<std::uint8_t>(value);
  }
  return i == text.size();
}

bool parse_ipv6_address(std::string_view text, std::array<std::uint8_t, 16>& out) noexcept {
  std::uint16_t groups[8] = {};
  int count = 0;  // 16-bit groups written
  int gap = -1;   // index of "::" in groups, -1 when absent
  std::size_t i = 0;
  if (text.size() >= 2 && text[0] == ':' && text[1] == ':') {
    gap = 0;
    i = 2;
  } else if (text.empty() || text[0] == ':') {
    return false;
  }
  while (i < text.size()) {
    const std::size_t start = i;
    unsigned value = 0;
    while (i < text.size() && i - start < 4 && hex_value(text[i]) >= 0) {
      value = value * 16 + unsigned(hex_value(text[i]));
      ++i;
    }
    if (i < text.size() && text[i] == '.') {
      // Embedded IPv4 (ls32): only as the last 32 bits.
      std::array<std::uint8_t, 4> v4{};
      if (count > 6 || !parse_ipv4_address(text.substr(start), v4)) return false;
      groups[count++] = static_cast<std::uint16_t>(v4[0] << 8 | v4[1]);
      groups[count++] = static_cast<std::uint16_t>(v4[2] << 8 | v4[3]);
      i = text.size();
      break;
    }
    if (i == start || count == 8) return false;
    groups[count++] = static_cast<std::uint16_t>(value);
    if (i == text.size()) break;
    if (text[i] != ':') return false;
    ++i;
    if (i < text.size() && text[i] == ':') {
      if (gap >= 0) return false;
      gap = count;
      ++i;
    } else if (i == text.size()) {
      return false;  // a single trailing ':'
    }
  }
  // Without "::" all 8 groups are written; with it, "::" stands for at least one zero group.
  if (gap < 0 ? count != 8 : count > 7) return false;
  std::uint16_t full[8] = {};
  if (gap < 0) {
    for (int k = 0; k < 8; ++k) full[k] = groups[k];
  } else {
    for (int k = 0; k < gap; ++k) full[k] = groups[k];
    const int tail = count - gap;
    for (int k = 0; k < tail; ++k) full[8 - tail + k] = groups[gap + k];
  }
  for (std::size_t k = 0; k < 8; ++k) {
    out[2 * k] = static_cast<std::uint8_t>(full[k] >> 8);
    out[2 * k + 1] = static_cast<std::uint8_t>(full[k] & 0xff);
  }
  return true;
}

bool is_hostname(std::string_view text) noexcept {
  if (!text.empty() && text.back() == '.') text.remove_suffix(1);
  if (text.empty()) return false;
  std::string_view label;
  for (;;) {
    const std::size_t dot = fast::find(text, '.');
    label = text.substr(0, dot);
    if (!is_label(label)) return false;
    if (dot == std::string_view::npos) break;
    text.remove_prefix(dot + 1);
  }
  return chars::is(label.front(), chars::alpha);  // toplabel starts with ALPHA
}

error_code parse_host(std::string_view text, host_kind& kind) noexcept {
  if (!text.empty() && text.front() == '[') {
    std::array<std::uint8_t, 16> v6{};
    if (text.size() < 2 || text.back() != ']' ||
        !parse_ipv6_address(text.substr(1, text.size() - 2), v6))
      return error_code::bad_uri;
    kind = host_kind::ipv6;
    return error_code::none;
  }
  // A plain hostname or IPv4 address in one pass; anything else takes the rules one by one.
  {
    std::size_t i = 0;
    host_kind k{};
    if (fast::scan_plain_host(text, i, k) && i == text.size()) {
      kind = k;
      return error_code::none;
    }
  }
  std::array<std::uint8_t, 4> v4{};
  if (parse_ipv4_address(text, v4)) {
    kind = host_kind::ipv4;
    return error_code::none;
  }
  if (is_hostname(text)) {
    kind = host_kind::hostname;
    return error_code::none;
  }
  return error_code::bad_uri;
}

error_code parse_port(std::string_view digits, std::uint16_t& port) noexcept {
  if (digits.empty()) return error_code::bad_number;
  std::uint32_t value = 0;
  for (char c : digits) {
    if (!chars::is_digit(c)) return error_code::bad_number;
    value = value * 10 + std::uint32_t(c - '0');
    if (value > 65535) return error_code::bad_number;
  }
  port = static_cast<std::uint16_t>(value);
  return error_code::none;
}

error_code parse_host_port(std::string_view text, host_port& out) noexcept {
  std::size_t host_end;
  if (!text.empty() && text.front() == '[') {
    host_end = fast::find(text, ']');
    host_end = host_end == std::string_view::npos ? text.size() : host_end + 1;
  } else {
    host_end = fast::find(text, ':');
    if (host_end == std::string_view::npos) host_end = text.size();
  }
  host_port hp;
  hp.host = text.substr(0, host_end);
  if (const auto e = parse_host(hp.host, hp.kind); e != error_code::none) return e;
  if (host_end < text.size()) {
    if (text[host_end] != ':') return error_code::bad_uri;
    if (const auto e = parse_port(text.substr(host_end + 1), hp.port); e != error_code::none)
      return e;
    hp.has_port = true;
  }
  out = hp;
  return error_code::none;
}

bool host_equal(std::string_view a, std::string_view b) noexcept {
  host_kind ka{}, kb{};
  if (parse_host(a, ka) != error_code::none || parse_host(b, kb) != error_code::none)
    return iequals(a, b);
  if (ka != kb) return false;
  switch (ka) {
    case host_kind::ipv4: {
      std::array<std::uint8_t, 4> x{}, y{};
      return parse_ipv4_address(a, x) && parse_ipv4_address(b, y) && x == y;
    }
    case host_kind::ipv6: {
      std::array<std::uint8_t, 16> x{}, y{};
      return parse_ipv6_address(a.substr(1, a.size() - 2), x) &&
             parse_ipv6_address(b.substr(1, b.size() - 2), y) && x == y;
    }
    case host_kind::hostname:
      break;
  }
  return iequals(a, b);
}

}  // namespace sipring::parser
