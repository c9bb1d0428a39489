#include "sipring/crypto/peer_certificate.h"

#include <algorithm>

namespace sipring::crypto {
namespace {

char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equal_ci(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

std::string_view strip_dot(std::string_view s) noexcept {
  if (!s.empty() && s.back() == '.') s.remove_suffix(1);
  return s;
}

}  // namespace

bool dns_name_matches(std::string_view presented, std::string_view host) noexcept {
  presented = strip_dot(presented);
  host = strip_dot(host);
  if (presented.empty() || host.empty()) return false;
  if (presented.find('*') == std::string_view::npos) return equal_ci(presented, host);
  // A wildcard only as the whole left-most label, with at least two labels after it.
  if (presented.size() < 3 || presented[0] != '*' || presented[1] != '.') return false;
  const std::string_view suffix = presented.substr(1);  // ".example.com"
  if (suffix.find('*') != std::string_view::npos) return false;
  if (suffix.find('.', 1) == std::string_view::npos) return false;  // "*.com"
  const std::size_t dot = host.find('.');
  if (dot == std::string_view::npos || dot == 0) return false;  // the label must not be empty
  return equal_ci(host.substr(dot), suffix);
}

std::string_view peer_certificate::display_name() const noexcept {
  if (!dns_names.empty()) return dns_names.front();
  if (!common_name.empty()) return common_name;
  return "(no certificate)";
}

bool peer_certificate::matches(std::string_view host) const noexcept {
  if (!present) return false;
  if (!dns_names.empty())
    return std::any_of(dns_names.begin(), dns_names.end(),
                       [&](const std::string& n) { return dns_name_matches(n, host); });
  return !common_name.empty() && dns_name_matches(common_name, host);
}

}  // namespace sipring::crypto
