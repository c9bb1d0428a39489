#include "transport.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sipring::load {

namespace {
constexpr int socket_buffer = 8 << 20;

bool bind_to(int fd, const std::string& ip, std::string& why) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  if (inet_pton(AF_INET, ip.c_str(), &a.sin_addr) != 1) {
    why = "bad local address " + ip;
    return false;
  }
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    why = "bind " + ip + ": " + std::strerror(errno);
    return false;
  }
  return true;
}
}  // namespace

int open_udp(const std::string& ip, std::uint16_t& port, std::string& why) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    why = std::string("socket: ") + std::strerror(errno);
    return -1;
  }
  (void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &socket_buffer, sizeof socket_buffer);
  (void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &socket_buffer, sizeof socket_buffer);
  if (!bind_to(fd, ip, why)) {
    ::close(fd);
    return -1;
  }
  port = local_port(fd);
  return fd;
}

int open_tcp(const std::string& ip, std::string& why) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    why = std::string("socket: ") + std::strerror(errno);
    return -1;
  }
  const int one = 1;
  (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  // The port is chosen at connect() for the whole 4-tuple, where the kernel may reuse one in
  // TIME_WAIT (net.ipv4.tcp_tw_reuse: on loopback by default); bound here, every closed
  // connection would hold its port for 60 s and a connection per transaction at a few hundred
  // per second runs out of ephemeral ports.
  (void)setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
  if (!bind_to(fd, ip, why)) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::uint16_t local_port(int fd) {
  sockaddr_in a{};
  socklen_t l = sizeof a;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&a), &l) != 0) return 0;
  return ntohs(a.sin_port);
}

void datagram_batch::commit(std::size_t n, const sockaddr_in& to) noexcept {
  _to[_n] = to;
  _iov[_n] = {_arena.get() + _n * slot_size, n};
  auto& h = _msgs[_n].msg_hdr;
  h = {};
  h.msg_name = &_to[_n];
  h.msg_namelen = sizeof(sockaddr_in);
  h.msg_iov = &_iov[_n];
  h.msg_iovlen = 1;
  ++_n;
}

void datagram_batch::send(std::string_view bytes, const sockaddr_in& to) noexcept {
  auto room = space();
  const std::size_t n = bytes.size() < room.size() ? bytes.size() : room.size();
  std::memcpy(room.data(), bytes.data(), n);
  commit(n, to);
}

unsigned datagram_batch::flush() noexcept {
  unsigned refused = 0, at = 0;
  while (at < _n) {
    const int sent = ::sendmmsg(_fd, _msgs.data() + at, _n - at, MSG_DONTWAIT);
    if (sent > 0) {
      at += static_cast<unsigned>(sent);
      continue;
    }
    // This datagram cannot go (a full buffer, an ICMP error): drop it, UDP retransmits.
    ++refused;
    ++at;
  }
  _n = 0;
  return refused;
}

stream_connection::stream_connection(int fd, const crypto::tls_context* tls, std::string_view server_name,
                                     std::size_t out_capacity)
    : _fd(fd), _out(out_capacity) {
  if (tls) {
    crypto::tls_output_sink sink{this, [](void* self, std::span<const char> c) {
                                   return static_cast<stream_connection*>(self)->queue_raw(c);
                                 }};
    _tls = std::make_unique<crypto::tls_session>(*tls, sink, server_name);
  }
}

stream_connection::~stream_connection() {
  _tls.reset();
  if (_fd >= 0) ::close(_fd);
}

bool stream_connection::queue_raw(std::span<const char> bytes) noexcept {
  if (_out_begin == _out_end) _out_begin = _out_end = 0;
  if (_out.size() - _out_end < bytes.size()) {
    // Compact, then grow if it still does not fit (a slow peer; rare).
    std::memmove(_out.data(), _out.data() + _out_begin, _out_end - _out_begin);
    _out_end -= _out_begin;
    _out_begin = 0;
    if (_out.size() - _out_end < bytes.size()) _out.resize(_out_end + bytes.size() + _out.size());
  }
  std::memcpy(_out.data() + _out_end, bytes.data(), bytes.size());
  _out_end += bytes.size();
  return true;
}

bool stream_connection::send(std::string_view bytes) noexcept {
  if (_failed) return false;
  if (_tls) return _tls->write(bytes);
  return queue_raw(std::span<const char>(bytes.data(), bytes.size()));
}

bool stream_connection::flush() noexcept {
  while (_out_end > _out_begin && !_failed) {
    const ssize_t n = ::send(_fd, _out.data() + _out_begin, _out_end - _out_begin, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n > 0) {
      _out_begin += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return true;
    _failed = true;
    return false;
  }
  return !_failed;
}

}  // namespace sipring::load
