#pragma once
// Where a SIP message came from, and so how to reach that peer again: the transport, the peer's
// address and, for streams, the connection (RFC 5626 calls this a flow). Small and copyable: a
// binding in the location table and every transaction keep one.

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace sipring::transport {

enum class protocol : std::uint8_t { udp, tcp, tls };

/// "UDP", "TCP" or "TLS": the Via transport token.
std::string_view protocol_name(protocol p) noexcept;
/// Parses a Via transport token or a transport= URI parameter (case-insensitive).
bool parse_protocol(std::string_view token, protocol& out) noexcept;
/// Streams need a connection; only UDP does not.
constexpr bool is_stream(protocol p) noexcept { return p != protocol::udp; }

/// An IPv4 or IPv6 socket address, without sockaddr_storage's 128 bytes.
struct peer_address {
  union {
    sockaddr sa;
    sockaddr_in v4;
    sockaddr_in6 v6;
  } u{};

  const sockaddr* get() const noexcept { return &u.sa; }
  socklen_t length() const noexcept {
    return u.sa.sa_family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
  }
  int family() const noexcept { return u.sa.sa_family; }
  std::uint16_t port() const noexcept;
  void set_port(std::uint16_t port) noexcept;
  /// "192.0.2.1" or "2001:db8::1" (no brackets, no port): what a Via received= parameter holds.
  std::string ip_text() const;
  /// "192.0.2.1:5060" or "[2001:db8::1]:5060": for logs.
  std::string to_string() const;
  /// Copies a sockaddr of family AF_INET or AF_INET6; false for any other family or length.
  bool assign(const sockaddr* sa, socklen_t length) noexcept;
  /// Parses a numeric IP ("192.0.2.1", "2001:db8::1" or "[2001:db8::1]") with a port.
  static bool from_ip(std::string_view ip, std::uint16_t port, peer_address& out) noexcept;

  friend bool operator==(const peer_address& a, const peer_address& b) noexcept;
};

/// A connection on one shard: its slot in that shard's connection table and the slot's
/// generation, so an id kept after the connection closed never reaches a newer connection.
struct connection_id {
  std::uint32_t slot = 0;
  std::uint32_t generation = 0;  ///< 0: no connection
  bool valid() const noexcept { return generation != 0; }
  friend bool operator==(const connection_id&, const connection_id&) = default;
};

struct flow {
  protocol transport = protocol::udp;
  std::uint16_t shard = 0;      ///< stream: the shard owning the connection; udp: the receiving shard
  std::uint16_t listener = 0;   ///< index of the [[listen]] entry the message arrived on
  connection_id connection;     ///< streams only
  peer_address remote;          ///< the peer's address (the datagram's source, the connection's peer)
};

}  // namespace sipring::transport
