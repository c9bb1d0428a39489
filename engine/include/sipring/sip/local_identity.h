#pragma once
// Who this server is: the domains it is authoritative for (registrar and proxy target) and the
// addresses it listens and advertises on (a Route or Request-URI naming one of them names this
// proxy, RFC 3261 §16.4). Built once at start, read-only and shared by every shard.

#include <string>
#include <string_view>
#include <vector>

#include "sipring/parser/uri.h"
#include "sipring/transport/listeners.h"

namespace sipring::sip {

class local_identity {
 public:
  local_identity(std::vector<std::string> domains, const std::vector<transport::listener_info>& listeners);

  /// The host is one of our domains or one of our own addresses (case-insensitive; IPv6 with or
  /// without brackets).
  bool is_our_domain(std::string_view host) const noexcept;
  /// The URI names this proxy itself: one of our addresses or advertised names, with the port of
  /// a listener (the default port 5060/5061 when it has none), or one of our domains without a
  /// user part (a pre-loaded Route to the domain's proxy).
  bool is_this_proxy(const parser::uri& u) const noexcept;

  const std::vector<std::string>& domains() const noexcept { return _domains; }

 private:
  struct address {
    std::string host;  ///< lowercased, without brackets
    std::uint16_t port;
  };
  std::vector<std::string> _domains;  ///< lowercased, without brackets
  std::vector<address> _addresses;
};

}  // namespace sipring::sip
