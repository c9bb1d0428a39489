#include "sipring/sip/local_identity.h"

#include <array>

#include "sipring/parser/host.h"

namespace sipring::sip {

namespace {

std::string_view strip_brackets(std::string_view host) noexcept {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') return host.substr(1, host.size() - 2);
  return host;
}

bool iequal(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

std::string lower(std::string_view s) {
  std::string out(strip_brackets(s));
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return out;
}

// Compares two hosts; IPv6 literals are compared as addresses so "::1" matches "0:0::1".
bool same_host(std::string_view a, std::string_view b) noexcept {
  a = strip_brackets(a);
  b = strip_brackets(b);
  std::array<std::uint8_t, 16> x{}, y{};
  if (a.find(':') != std::string_view::npos && b.find(':') != std::string_view::npos &&
      parser::parse_ipv6_address(a, x) && parser::parse_ipv6_address(b, y))
    return x == y;
  return iequal(a, b);
}

}  // namespace

local_identity::local_identity(std::vector<std::string> domains,
                               const std::vector<transport::listener_info>& listeners) {
  for (const auto& d : domains) _domains.push_back(lower(d));
  for (const auto& l : listeners) {
    _addresses.push_back({lower(l.bound.ip_text()), l.bound.port()});
    // The advertised sent-by, "host:port" or "[v6]:port" or "host".
    std::string_view sent_by = l.sent_by;
    std::uint16_t port = l.bound.port();
    std::string_view host = sent_by;
    const std::size_t close = sent_by.rfind(']');
    const std::size_t colon = sent_by.rfind(':');
    if (colon != std::string_view::npos && (close == std::string_view::npos || colon > close) &&
        sent_by.find(':') == colon) {
      host = sent_by.substr(0, colon);
      std::uint16_t p = 0;
      if (parser::parse_port(sent_by.substr(colon + 1), p) == parser::error_code::none) port = p;
    } else if (close != std::string_view::npos && colon == close + 1) {
      host = sent_by.substr(0, close + 1);
      std::uint16_t p = 0;
      if (parser::parse_port(sent_by.substr(colon + 1), p) == parser::error_code::none) port = p;
    }
    _addresses.push_back({lower(host), port});
  }
}

bool local_identity::is_our_domain(std::string_view host) const noexcept {
  for (const auto& d : _domains)
    if (same_host(d, host)) return true;
  for (const auto& a : _addresses)
    if (same_host(a.host, host)) return true;
  return false;
}

bool local_identity::is_this_proxy(const parser::uri& u) const noexcept {
  const std::uint16_t port = u.has_port ? u.port : (u.scheme == parser::uri_scheme::sips ? 5061 : 5060);
  for (const auto& a : _addresses)
    if (a.port == port && same_host(a.host, u.host)) return true;
  if (u.user.empty() && !u.has_port)
    for (const auto& d : _domains)
      if (same_host(d, u.host)) return true;
  return false;
}

}  // namespace sipring::sip
