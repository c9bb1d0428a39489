#pragma once
// One TCP or TLS connection: its socket, its framer, its output queue, its TLS session (TLS
// only) and its deadlines (idle, unfinished message, unfinished handshake), checked by one timer
// entry. Owned by the shard's transport_layer connection table; served by transport_layer::serve.
//
// TLS sits between the socket and the framer: received bytes are fed to the session and its
// plaintext to the framer; written messages go through the session, whose ciphertext comes back
// through tls_sink to the same non-blocking socket write a TCP connection uses.

#include <memory>
#include <string>

#include "sipring/crypto/tls_session.h"

#include "sipring/parser/stream_framer.h"
#include "sipring/runtime/cancel.h"
#include "sipring/runtime/task.h"
#include "sipring/runtime/timer_wheel.h"
#include "sipring/transport/flow.h"
#include "sipring/transport/tls_credentials.h"

namespace sipring::transport {

class transport_layer;

class stream_connection {
 public:
  using time_point = runtime::timer_wheel::clock::time_point;

  stream_connection(transport_layer& owner, int fd, flow f, std::uint32_t max_message_size)
      : framer(max_message_size), _owner(&owner), _fd(fd), _flow(f), _deadline(this) {}
  stream_connection(const stream_connection&) = delete;
  stream_connection& operator=(const stream_connection&) = delete;

  int fd() const noexcept { return _fd; }
  const flow& identity() const noexcept { return _flow; }

  /// Writes now (non-blocking); what the socket does not take is queued and sent by the
  /// writer coroutine. False when the connection is closing or its queue overflowed. TLS: the
  /// message is sealed first; before the handshake finished it waits in plaintext.
  bool write(std::span<const iovec> message);

  /// Arms the deadline timer; called when the connection starts being served.
  void start_deadlines(time_point now);
  /// Records traffic (restarts the idle time) and whether a message is half-received.
  void saw_traffic(time_point now, bool partial_message) noexcept;
  /// Ends the connection: its read loop stops and it is removed.
  void close(const char* why) noexcept;
  const char* close_reason() const noexcept { return _close_reason; }

  parser::stream_framer framer;
  runtime::cancel_token stop;  ///< cancels the read loop (close, deadlines, stop after grace)

  // ---- TLS only ----
  std::unique_ptr<crypto::tls_session> tls;
  std::shared_ptr<const tls_credentials> tls_credentials_used;  ///< kept for the session's lifetime
  bool federation_link = false;  ///< accepted on a federation port, or opened by us to a partner
  int partner = -1;              ///< the federation partner it authenticated as (-1: none)
  std::string refusal_detail;    ///< why the federation check refused the peer (for the log)

 private:
  friend class transport_layer;
  struct deadline_timer : runtime::timer_entry {
    explicit deadline_timer(stream_connection* c) noexcept : timer_entry(&fired), owner(c) {}
    static void fired(runtime::timer_entry& t) noexcept;
    stream_connection* owner;
  };
  runtime::task<void> drain_output();
  void check_deadlines() noexcept;
  /// The socket write behind write() (TCP) and the TLS session's ciphertext.
  bool write_raw(std::span<const iovec> bytes);
  static bool tls_sink(void* self, std::span<const char> ciphertext);
  void start_handshake(time_point now) noexcept {
    _handshaking = true;
    _handshake_started = now;
  }

  transport_layer* _owner;
  int _fd;
  flow _flow;
  deadline_timer _deadline;
  time_point _last_traffic{};
  time_point _partial_since{};
  bool _partial = false;
  bool _handshaking = false;  ///< TLS: the handshake has not finished
  bool _refusal_logged = false;
  bool _client_side = false;  ///< we opened it (TLS: we are the client)
  bool _resumption_saved = false;
  time_point _handshake_started{};
  std::string _pending_plain;  ///< TLS: messages written before the handshake finished
  bool _draining = false;
  bool _closing = false;
  const char* _close_reason = nullptr;
  std::string _output;  ///< bytes the socket did not take yet
};

}  // namespace sipring::transport
