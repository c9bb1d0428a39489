#pragma once
// What the engine needs to know of a peer's certificate: its DNS names (for RFC 6125 matching
// and for logs) and its DER (for checking it against one partner's CAs). Filled in by
// tls_session during the handshake, so it is there even when the handshake is refused.

#include <string>
#include <string_view>
#include <vector>

namespace sipring::crypto {

struct peer_certificate {
  bool present = false;
  std::vector<std::string> dns_names;  ///< subjectAltName dNSName entries, in order
  std::string common_name;             ///< the subject's CN ("" when none)
  std::vector<unsigned char> der;      ///< the leaf certificate
  std::vector<std::vector<unsigned char>> chain_der;  ///< intermediates the peer sent (no leaf)

  /// The name to log: the first dNSName, else the CN, else "(no certificate)".
  std::string_view display_name() const noexcept;
  /// RFC 6125 §6.4: `host` matches a dNSName (the CN only when there is no dNSName at all),
  /// case-insensitively, a wildcard only as the whole left-most label ("*.example.com" matches
  /// "a.example.com", not "example.com" nor "a.b.example.com").
  bool matches(std::string_view host) const noexcept;
};

/// One RFC 6125 comparison of a presented identifier with a reference host name.
bool dns_name_matches(std::string_view presented, std::string_view host) noexcept;

}  // namespace sipring::crypto
