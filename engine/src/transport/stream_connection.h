#pragma once
// One TCP connection (TLS will wrap the same shape): its socket, its framer, its output queue
// and its two deadlines (idle, unfinished message), checked by one timer entry. Owned by the
// shard's transport_layer connection table; served by transport_layer::serve.

#include <string>

#include "sipring/parser/stream_framer.h"
#include "sipring/runtime/cancel.h"
#include "sipring/runtime/task.h"
#include "sipring/runtime/timer_wheel.h"
#include "sipring/transport/flow.h"

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
  /// writer coroutine. False when the connection is closing or its queue overflowed.
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

 private:
  friend class transport_layer;
  struct deadline_timer : runtime::timer_entry {
    explicit deadline_timer(stream_connection* c) noexcept : timer_entry(&fired), owner(c) {}
    static void fired(runtime::timer_entry& t) noexcept;
    stream_connection* owner;
  };
  runtime::task<void> drain_output();
  void check_deadlines() noexcept;

  transport_layer* _owner;
  int _fd;
  flow _flow;
  deadline_timer _deadline;
  time_point _last_traffic{};
  time_point _partial_since{};
  bool _partial = false;
  bool _draining = false;
  bool _closing = false;
  const char* _close_reason = nullptr;
  std::string _output;  ///< bytes the socket did not take yet
};

}  // namespace sipring::transport
