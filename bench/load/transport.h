#pragma once
// The generator's sockets. UDP: one socket per shard, datagrams queued into a batch
// (copied into its own arena) and sent with one sendmmsg per flush. TCP/TLS: a stream
// connection whose output queue is flushed with non-blocking send()s, framed on input by the
// parser's stream_framer (and, for TLS, a byte-buffer crypto::tls_session).

#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sipring/crypto/tls_context.h"
#include "sipring/crypto/tls_session.h"
#include "sipring/parser/stream_framer.h"

namespace sipring::load {

/// A non-blocking UDP socket bound to ip:0 with large buffers; -1 and `why` on failure.
int open_udp(const std::string& ip, std::uint16_t& port, std::string& why);
/// A non-blocking TCP socket bound to ip:0 (not connected yet).
int open_tcp(const std::string& ip, std::string& why);
/// The local port of a bound socket.
std::uint16_t local_port(int fd);

/// Datagrams queued for one socket, sent together.
class datagram_batch {
 public:
  static constexpr unsigned capacity = 64;
  static constexpr std::size_t slot_size = 2048;

  explicit datagram_batch(int fd = -1) : _fd(fd), _arena(new char[capacity * slot_size]) {}
  void set_fd(int fd) noexcept { _fd = fd; }

  /// Room for the next datagram (slot_size bytes); flushes first when the batch is full.
  std::span<char> space() noexcept {
    if (_n == capacity) flush();
    return {_arena.get() + _n * slot_size, slot_size};
  }
  /// Queues the first `n` bytes of the last space() to `to`.
  void commit(std::size_t n, const sockaddr_in& to) noexcept;
  /// Copies and queues `bytes` (up to slot_size) to `to`.
  void send(std::string_view bytes, const sockaddr_in& to) noexcept;
  /// Sends what is queued; returns how many datagrams the kernel refused.
  unsigned flush() noexcept;
  unsigned queued() const noexcept { return _n; }

 private:
  int _fd;
  std::unique_ptr<char[]> _arena;
  std::array<mmsghdr, capacity> _msgs{};
  std::array<iovec, capacity> _iov{};
  std::array<sockaddr_in, capacity> _to{};
  unsigned _n = 0;
};

/// One TCP or TLS connection's byte queues.
class stream_connection {
 public:
  /// Plain TCP when `tls` is null. `out_capacity`: the output queue's first size (it grows).
  stream_connection(int fd, const crypto::tls_context* tls, std::string_view server_name,
                    std::size_t out_capacity = 256 * 1024);
  ~stream_connection();
  stream_connection(const stream_connection&) = delete;
  stream_connection& operator=(const stream_connection&) = delete;

  int fd() const noexcept { return _fd; }
  bool failed() const noexcept { return _failed; }
  void fail() noexcept { _failed = true; }
  bool is_tls() const noexcept { return _tls != nullptr; }
  crypto::tls_session* tls() noexcept { return _tls.get(); }

  /// Queues plaintext (encrypted at once over TLS). False when the connection failed.
  bool send(std::string_view bytes) noexcept;
  /// Writes what the socket takes now; false on a socket error (then failed()).
  bool flush() noexcept;
  bool pending_output() const noexcept { return _out_end > _out_begin; }

  /// Received bytes (ciphertext over TLS). Calls on_message(std::string_view) for each framed
  /// message; false when the stream cannot go on (framing error, TLS failure).
  template <class F>
  bool received(std::span<const char> bytes, F&& on_message);

  /// Queues raw bytes (ciphertext: the TLS sink).
  bool queue_raw(std::span<const char> bytes) noexcept;

 private:
  bool drain_plaintext(std::span<const char> bytes);

  int _fd;
  std::unique_ptr<crypto::tls_session> _tls;
  parser::stream_framer _framer;
  std::vector<char> _out;
  std::size_t _out_begin = 0, _out_end = 0;
  bool _failed = false;
  char _plain[16384];
};

template <class F>
bool stream_connection::received(std::span<const char> bytes, F&& on_message) {
  auto frame = [&]() -> bool {
    for (;;) {
      auto e = _framer.next();
      if (e.what == parser::framer_event::kind::need_more) return true;
      if (e.what == parser::framer_event::kind::error) return false;
      if (e.what == parser::framer_event::kind::message) on_message(e.message);
    }
  };
  if (!_tls) {
    while (!bytes.empty()) {
      const std::size_t took = _framer.append(bytes);
      if (took == 0) return false;
      bytes = bytes.subspan(took);
      if (!frame()) return false;
    }
    return true;
  }
  _tls->feed(bytes);
  if (!_tls->established()) {
    const auto s = _tls->handshake();
    if (s == crypto::tls_session::step::failed) return false;
    if (s == crypto::tls_session::step::want_more) return true;
  }
  for (;;) {
    const auto r = _tls->read(std::span<char>(_plain, sizeof _plain));
    if (r.status == crypto::tls_session::step::failed) return false;
    if (r.status == crypto::tls_session::step::want_more) return true;
    std::span<const char> plain(_plain, r.size);
    while (!plain.empty()) {
      const std::size_t took = _framer.append(plain);
      if (took == 0) return false;
      plain = plain.subspan(took);
      if (!frame()) return false;
    }
  }
}

}  // namespace sipring::load
