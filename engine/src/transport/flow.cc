#include "sipring/transport/flow.h"

#include <arpa/inet.h>

#include <cstring>

namespace sipring::transport {

namespace {

bool iequal(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const char x = static_cast<char>(a[i] | 0x20), y = static_cast<char>(b[i] | 0x20);
    if (x != y) return false;
  }
  return true;
}

}  // namespace

std::string_view protocol_name(protocol p) noexcept {
  switch (p) {
    case protocol::udp: return "UDP";
    case protocol::tcp: return "TCP";
    case protocol::tls: return "TLS";
  }
  return "UDP";
}

bool parse_protocol(std::string_view token, protocol& out) noexcept {
  if (iequal(token, "udp")) out = protocol::udp;
  else if (iequal(token, "tcp")) out = protocol::tcp;
  else if (iequal(token, "tls")) out = protocol::tls;
  else return false;
  return true;
}

std::uint16_t peer_address::port() const noexcept {
  return ntohs(family() == AF_INET6 ? u.v6.sin6_port : u.v4.sin_port);
}

void peer_address::set_port(std::uint16_t port) noexcept {
  if (family() == AF_INET6) u.v6.sin6_port = htons(port);
  else u.v4.sin_port = htons(port);
}

std::string peer_address::ip_text() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (family() == AF_INET6) inet_ntop(AF_INET6, &u.v6.sin6_addr, buf, sizeof buf);
  else if (family() == AF_INET) inet_ntop(AF_INET, &u.v4.sin_addr, buf, sizeof buf);
  return buf;
}

std::string peer_address::to_string() const {
  if (family() == AF_INET6) return "[" + ip_text() + "]:" + std::to_string(port());
  return ip_text() + ":" + std::to_string(port());
}

bool peer_address::assign(const sockaddr* sa, socklen_t length) noexcept {
  if (sa == nullptr) return false;
  if (sa->sa_family == AF_INET && length >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    u = {};
    std::memcpy(&u.v4, sa, sizeof(sockaddr_in));
    return true;
  }
  if (sa->sa_family == AF_INET6 && length >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    u = {};
    std::memcpy(&u.v6, sa, sizeof(sockaddr_in6));
    return true;
  }
  return false;
}

bool peer_address::from_ip(std::string_view ip, std::uint16_t port, peer_address& out) noexcept {
  if (ip.size() >= 2 && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
  char text[INET6_ADDRSTRLEN + 1] = {};
  if (ip.empty() || ip.size() > INET6_ADDRSTRLEN) return false;
  std::memcpy(text, ip.data(), ip.size());
  peer_address a;
  if (inet_pton(AF_INET, text, &a.u.v4.sin_addr) == 1) {
    a.u.v4.sin_family = AF_INET;
  } else if (inet_pton(AF_INET6, text, &a.u.v6.sin6_addr) == 1) {
    a.u.v6.sin6_family = AF_INET6;
  } else {
    return false;
  }
  a.set_port(port);
  out = a;
  return true;
}

bool operator==(const peer_address& a, const peer_address& b) noexcept {
  if (a.family() != b.family()) return false;
  if (a.family() == AF_INET)
    return a.u.v4.sin_port == b.u.v4.sin_port && a.u.v4.sin_addr.s_addr == b.u.v4.sin_addr.s_addr;
  if (a.family() == AF_INET6)
    return a.u.v6.sin6_port == b.u.v6.sin6_port &&
           std::memcmp(&a.u.v6.sin6_addr, &b.u.v6.sin6_addr, sizeof(in6_addr)) == 0;
  return true;
}

}  // namespace sipring::transport
