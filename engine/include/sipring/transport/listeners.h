#pragma once
// The listening sockets of every [[listen]] entry, opened before the shards start: one socket
// per entry and shard, all bound to the same address with SO_REUSEPORT, so the kernel spreads
// datagrams and connections over the shards. An entry with port 0 gets one ephemeral port that
// every shard's socket then shares (tests use it).

#include <cstdint>
#include <string>
#include <vector>

#include "sipring/runtime/listen_socket.h"
#include "sipring/runtime/result.h"
#include "sipring/transport/flow.h"

namespace sipring::transport {

struct listener_spec {
  protocol transport = protocol::udp;
  runtime::socket_address address;
  std::string advertised;  ///< host[:port] for Via and Record-Route; empty: the bound address
  bool federation = false;  ///< TLS only: a port for federation partners (mutual TLS) only
};

/// What the SIP layer needs to know of one listener.
struct listener_info {
  protocol transport = protocol::udp;
  peer_address bound;       ///< the address actually bound (port 0 resolved)
  std::string sent_by;      ///< host:port for Via sent-by and Record-Route ("[::1]:5060" for IPv6)
  bool federation = false;  ///< TLS only: partners only, each must present a trusted certificate
};

struct listener_sockets {
  std::vector<listener_info> info;    ///< one per [[listen]] entry
  std::vector<std::vector<int>> fds;  ///< fds[entry][shard]

  listener_sockets() = default;
  listener_sockets(listener_sockets&&) noexcept = default;
  listener_sockets& operator=(listener_sockets&&) noexcept = default;
  ~listener_sockets();  ///< closes the sockets no shard took (see take)
  /// Hands the socket of `entry` for `shard` to its shard (which closes it); -1 after.
  int take(std::size_t entry, unsigned shard) noexcept;
};

/// Opens every entry's socket for `shards` shards; on failure names the entry and the reason.
runtime::result<listener_sockets> open_listeners(const std::vector<listener_spec>& specs, unsigned shards,
                                                 const runtime::socket_options& options, std::string& why);

}  // namespace sipring::transport
