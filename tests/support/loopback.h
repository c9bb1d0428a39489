#pragma once
// 127.0.0.1 addresses and connections for integration tests that talk to a server on loopback.

#include <netinet/in.h>

#include <cstdint>

namespace sipring::testing {

/// 127.0.0.1:port.
sockaddr_in loopback_address(std::uint16_t port);

/// A plain TCP connection to 127.0.0.1:port (blocking); -1 when it cannot connect.
int connect_loopback(std::uint16_t port);

}  // namespace sipring::testing
