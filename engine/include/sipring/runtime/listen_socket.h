#pragma once
// Listening sockets, opened once per shard on the same address with SO_REUSEPORT so that the
// kernel spreads datagrams and connections across the shards.

#include <sys/socket.h>

#include <optional>
#include <string>
#include <string_view>

#include "sipring/runtime/result.h"

namespace sipring::runtime {

/// An IPv4 or IPv6 address with a port.
struct socket_address {
  sockaddr_storage storage{};
  socklen_t length = 0;

  const sockaddr* get() const noexcept { return reinterpret_cast<const sockaddr*>(&storage); }
  int family() const noexcept { return storage.ss_family; }
  /// "192.0.2.1:5060" or "[2001:db8::1]:5060".
  std::string to_string() const;
};

/// Parses "IPv4:port" or "[IPv6]:port"; nullopt when it is neither.
std::optional<socket_address> parse_socket_address(std::string_view text);

struct socket_options {
  int receive_buffer = 0;  ///< SO_RCVBUF in bytes; 0 keeps the kernel's default
  int send_buffer = 0;     ///< SO_SNDBUF in bytes; 0 keeps the kernel's default
  int backlog = 1024;      ///< TCP listen backlog
};

enum class socket_kind { udp, tcp };

/// A socket bound to `address` with SO_REUSEADDR and SO_REUSEPORT (and listening, for TCP); an
/// IPv6 socket is IPv6-only. The fd, or the errno of the step that failed.
result<int> open_listener(socket_kind kind, const socket_address& address, const socket_options& options);

/// The address a socket is bound to (its port, when it was bound to port 0).
std::optional<socket_address> local_address(int fd);

}  // namespace sipring::runtime
