#include "sipring/runtime/listen_socket.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include <charconv>
#include <cstring>

namespace sipring::runtime {

std::string socket_address::to_string() const {
  char host[INET6_ADDRSTRLEN] = {};
  if (family() == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&storage);
    inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
    return std::string(host) + ":" + std::to_string(ntohs(a->sin_port));
  }
  const auto* a = reinterpret_cast<const sockaddr_in6*>(&storage);
  inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
  return "[" + std::string(host) + "]:" + std::to_string(ntohs(a->sin6_port));
}

std::optional<socket_address> parse_socket_address(std::string_view text) {
  std::string_view host, port;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') return std::nullopt;
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || text.find(':') != colon) return std::nullopt;
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  unsigned p = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || p > 65535) return std::nullopt;
  const std::string h(host);
  socket_address out;
  if (auto* a4 = reinterpret_cast<sockaddr_in*>(&out.storage); inet_pton(AF_INET, h.c_str(), &a4->sin_addr) == 1) {
    a4->sin_family = AF_INET;
    a4->sin_port = htons(static_cast<std::uint16_t>(p));
    out.length = sizeof(sockaddr_in);
    return out;
  }
  out = socket_address{};
  auto* a6 = reinterpret_cast<sockaddr_in6*>(&out.storage);
  if (inet_pton(AF_INET6, h.c_str(), &a6->sin6_addr) != 1) return std::nullopt;
  a6->sin6_family = AF_INET6;
  a6->sin6_port = htons(static_cast<std::uint16_t>(p));
  out.length = sizeof(sockaddr_in6);
  return out;
}

result<int> open_listener(socket_kind kind, const socket_address& address, const socket_options& options) {
  const int type = (kind == socket_kind::udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC;
  const int fd = ::socket(address.family(), type, 0);
  if (fd < 0) return error(errno);
  auto fail = [fd]() -> result<int> {
    const int e = errno;
    ::close(fd);
    return error(e);
  };
  const int one = 1;
  if (::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0) return fail();
  if (::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) return fail();
  if (address.family() == AF_INET6 && ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one) != 0)
    return fail();
  if (options.receive_buffer > 0 &&
      ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &options.receive_buffer, sizeof options.receive_buffer) != 0)
    return fail();
  if (options.send_buffer > 0 &&
      ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &options.send_buffer, sizeof options.send_buffer) != 0)
    return fail();
  if (::bind(fd, address.get(), address.length) != 0) return fail();
  if (kind == socket_kind::tcp && ::listen(fd, options.backlog) != 0) return fail();
  return fd;
}

std::optional<socket_address> local_address(int fd) {
  socket_address out;
  out.length = sizeof out.storage;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&out.storage), &out.length) != 0) return std::nullopt;
  return out;
}

}  // namespace sipring::runtime
