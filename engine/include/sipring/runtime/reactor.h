#pragma once
// One shard's event loop: its io_uring, its timer wheel, its ready queue of coroutines. The only
// code in sipring that talks to io_uring (see reactor.cc); everything above awaits the
// operations below. A reactor belongs to the thread that created it and runs there.
//
// Each loop turn: resume the ready coroutines, fire due timers, drain the cross-shard inboxes,
// then one io_uring_submit_and_wait for everything queued during the turn (submissions are
// batched, never one syscall per operation), then dispatch the completions.

#include <sys/socket.h>
#include <sys/uio.h>

#include <atomic>
#include <chrono>
#include <coroutine>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "sipring/runtime/buffer_ring.h"
#include "sipring/runtime/cancel.h"
#include "sipring/runtime/io_completion.h"
#include "sipring/runtime/result.h"
#include "sipring/runtime/task.h"
#include "sipring/runtime/timer_wheel.h"

struct io_uring;
struct io_uring_sqe;

namespace sipring::runtime {

struct reactor_options {
  unsigned ring_entries = 4096;
  /// Provided receive buffers (a power of two) and their size: a UDP datagram or a TCP read
  /// lands in one.
  unsigned receive_buffers = 1024;
  unsigned receive_buffer_size = 4096;
  std::chrono::nanoseconds timer_tick = std::chrono::milliseconds(1);
  /// Timer wheel slots (a power of two): with 1 ms ticks, 32768 slots make one turn 32.8 s, so
  /// SIP's transaction timers (up to 64*T1 = 32 s) are all due within their first turn.
  std::size_t timer_slots = 32768;
  /// Wake-up coalescing under load: when > 0, a turn that found completions waits up to this
  /// long for `coalesce_count` more before dispatching (fewer wake-ups, more latency). Off by
  /// default.
  std::chrono::microseconds coalesce_window{0};
  unsigned coalesce_count = 16;
  /// How late a timer may fire when nothing else wakes the reactor: the wait for the next
  /// timer is stretched by this much, so that timers due within it share one wake-up (thousands
  /// of transaction timers would otherwise wake the loop every tick). 0: exact.
  std::chrono::microseconds timer_slack{0};
};

class reactor {
 public:
  /// Creates this thread's reactor. Fails with a message naming each missing kernel feature
  /// and the Linux version that brought it.
  static std::unique_ptr<reactor> create(const reactor_options& options, std::string& why);
  ~reactor();
  reactor(const reactor&) = delete;
  reactor& operator=(const reactor&) = delete;

  /// The calling thread's reactor, or nullptr.
  static reactor* current() noexcept;

  /// Runs the loop until stop() and every spawned task has finished.
  void run();
  /// Asks run() to return once the spawned tasks are done (they are not cancelled here).
  void stop() noexcept;
  bool stopping() const noexcept { return _stopping; }

  /// Starts `t` on this reactor, detached; run() returns only after it finished.
  void spawn(task<void> t);
  /// Spawned tasks not yet finished.
  std::size_t live_tasks() const noexcept { return _live_tasks; }

  /// Resumes `h` on this reactor's next turn (from this thread only).
  void schedule(std::coroutine_handle<> h);

  timer_wheel& timers() noexcept { return _timers; }
  buffer_ring& receive_buffers() noexcept { return *_buffers; }
  const timer_wheel::clock::time_point& now() const noexcept { return _now; }

  // ---- Operations. Each returns an awaitable whose co_await gives result<int> (the
  // completion's res, or the error); a cancel_token, if given, can cancel it (ECANCELED).
  class io_awaitable;
  io_awaitable recv(int fd, std::span<char> into, cancel_token* token = nullptr);
  io_awaitable send(int fd, std::span<const char> bytes, cancel_token* token = nullptr);
  /// sendmsg with a gather list and an optional destination (UDP); `msg` must stay alive until
  /// the operation completes (it lives in the awaiting frame).
  io_awaitable sendmsg(int fd, const msghdr* msg, cancel_token* token = nullptr);
  io_awaitable accept(int fd, cancel_token* token = nullptr);
  io_awaitable connect(int fd, const sockaddr* address, socklen_t length, cancel_token* token = nullptr);
  io_awaitable close(int fd);
  io_awaitable read(int fd, std::span<char> into, cancel_token* token = nullptr);

  /// Suspends until `deadline` (timer wheel); ECANCELED when cancelled.
  class sleep_awaitable;
  sleep_awaitable sleep_until(timer_wheel::clock::time_point deadline, cancel_token* token = nullptr);
  sleep_awaitable sleep_for(std::chrono::nanoseconds d, cancel_token* token = nullptr);

  /// Multishot operations: one submission, a completion per event until cancelled or ended.
  class multishot;
  /// Releasing a multishot cancels it; the reactor frees it after the kernel's last completion.
  struct multishot_release {
    void operator()(multishot* m) const noexcept;
  };
  using multishot_ptr = std::unique_ptr<multishot, multishot_release>;
  /// Connections accepted on a listening socket (each item: the new fd).
  multishot_ptr accept_multishot(int fd);
  /// Bytes received on a stream socket into provided buffers (an item of 0 bytes: end of stream).
  multishot_ptr recv_multishot(int fd);
  /// Datagrams (with their source address) received on a UDP socket into provided buffers:
  /// each item's buffer holds the kernel's io_uring_recvmsg_out layout (see datagram.h).
  multishot_ptr recvmsg_multishot(int fd);

  // ---- Cross-shard wake-ups (used by shard_set): wake `other` from this thread, batched (one
  // IORING_OP_MSG_RING per target per turn at most, or an eventfd write where MSG_RING is
  // missing). `on_wake` runs on the woken reactor's thread at the start of each turn.
  void wake(reactor& other) noexcept;
  /// Wakes this reactor from any thread (an eventfd write): control events, not the hot path.
  void notify() noexcept;
  void set_wake_handler(void (*on_wake)(void*), void* context) noexcept;
  /// True while this reactor is (about to be) blocked in the kernel; producers read it.
  bool sleeping() const noexcept { return _sleeping.load(std::memory_order_seq_cst); }

  // ---- For the awaitables and multishot streams (not for other callers).
  io_uring_sqe* next_sqe();
  void submit_cancel(io_completion& op);
  void mark_inflight(int delta) noexcept { _inflight += delta; }

 private:
  explicit reactor(const reactor_options& options);
  bool init(std::string& why);
  void turn();
  void dispatch_completions();
  void resume_ready();

  reactor_options _options;
  std::unique_ptr<io_uring> _ring;
  timer_wheel _timers;
  timer_wheel::clock::time_point _now;
  std::unique_ptr<buffer_ring> _buffers;
  std::vector<std::coroutine_handle<>> _ready, _running;
  std::size_t _live_tasks = 0;
  int _inflight = 0;
  bool _stopping = false;
  bool _msg_ring = false;
  int _event_fd = -1;
  std::atomic<bool> _sleeping{false};
  void (*_on_wake)(void*) = nullptr;
  void* _wake_context = nullptr;
  io_completion _wake_completion;
  io_completion _ignored_completion;
  struct eventfd_completion : io_completion {
    reactor* owner;
  } _eventfd_completion;
  std::vector<reactor*> _to_wake;
  std::uint64_t _eventfd_value = 0;
  std::vector<multishot*> _orphans;  ///< released multishots awaiting their last completion
  friend class multishot;
};

// ---------------------------------------------------------------------------------------------

class reactor::io_awaitable : io_completion, cancel_token::target {
 public:
  using prep_function = void (*)(io_uring_sqe*, const io_awaitable&);

  io_awaitable(reactor& r, prep_function prep, cancel_token* token) noexcept
      : io_completion{&completed}, cancel_token::target{&cancel_it}, _r(&r), _prep(prep), _token(token) {}

  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h);
  result<int> await_resume() noexcept {
    if (_token) _token->detach(*this);
    return from_completion(_res);
  }

  // The operation's arguments (what prep reads).
  int fd = -1;
  void* buffer = nullptr;
  std::size_t length = 0;
  const void* address = nullptr;
  unsigned flags = 0;

 private:
  static void completed(io_completion& c, int res, unsigned flags) noexcept;
  static void cancel_it(cancel_token::target& t) noexcept;

  reactor* _r;
  prep_function _prep;
  cancel_token* _token;
  std::coroutine_handle<> _waiter;
  int _res = 0;
  bool _submitted = false;
};

class reactor::sleep_awaitable : timer_entry, cancel_token::target {
 public:
  sleep_awaitable(reactor& r, timer_wheel::clock::time_point deadline, cancel_token* token) noexcept
      : timer_entry(&fired), cancel_token::target{&cancel_it}, _r(&r), _deadline(deadline), _token(token) {}

  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h);
  result<void> await_resume() noexcept {
    if (_token) _token->detach(*this);
    if (_cancelled) return error(ECANCELED);
    return {};
  }

 private:
  static void fired(timer_entry& t) noexcept;
  static void cancel_it(cancel_token::target& t) noexcept;

  reactor* _r;
  timer_wheel::clock::time_point _deadline;
  cancel_token* _token;
  std::coroutine_handle<> _waiter;
  bool _cancelled = false;
};

/// A multishot operation's completions, queued until the owner takes them. Destroying it
/// cancels the operation; it must then stay alive until the kernel's last completion, so
/// destruction hands it to the reactor, which frees it then.
class reactor::multishot : io_completion {
 public:
  enum class kind { accept, recv, recvmsg };

  /// One event: an accepted fd (accept), or a received buffer (recv, recvmsg).
  struct item {
    int res = 0;  ///< the fd, or the byte count
    received_buffer buffer;
  };

  multishot(reactor& r, kind k, int fd);
  ~multishot() = default;
  multishot(const multishot&) = delete;
  multishot& operator=(const multishot&) = delete;

  /// The next event, or the error that ended the operation (ECANCELED after cancel(), or when
  /// `token` is cancelled while waiting: that cancels the whole operation). Re-arms the
  /// operation when the kernel ended it for lack of buffers (ENOBUFS).
  class next_awaitable;
  next_awaitable next(cancel_token* token = nullptr);
  /// Stops the operation; a pending next() completes with ECANCELED.
  void cancel();

  /// Events received and not yet taken: 0 means the next next() would wait (a consumer that
  /// batches its output flushes then).
  std::size_t queued() const noexcept { return _queue.size() - _queue_head; }

  /// For recvmsg: the message header layout the kernel fills in each buffer.
  const msghdr& recvmsg_header() const noexcept { return _msg; }

 private:
  friend class reactor;
  static void completed(io_completion& c, int res, unsigned flags) noexcept;
  void arm();
  /// Gives back what was queued and not taken (buffers, accepted fds).
  void drop_queue() noexcept;

  struct event {
    int res;
    unsigned flags;
  };
  reactor* _r;
  kind _kind;
  int _fd;
  msghdr _msg{};
  sockaddr_storage _name{};
  std::vector<event> _queue;  ///< events not yet taken, oldest first
  std::size_t _queue_head = 0;
  std::coroutine_handle<> _waiter;
  bool _armed = false;
  bool _cancelled = false;
  bool _orphaned = false;  ///< owner gone: free on the last completion
};

class reactor::multishot::next_awaitable : cancel_token::target {
 public:
  next_awaitable(multishot& m, cancel_token* token) noexcept
      : cancel_token::target{&cancel_it}, _m(&m), _token(token) {}
  bool await_ready();
  void await_suspend(std::coroutine_handle<> h) noexcept {
    _m->_waiter = h;
    if (_token) _token->attach(*this);
  }
  result<item> await_resume();

 private:
  static void cancel_it(cancel_token::target& t) noexcept {
    static_cast<next_awaitable&>(t)._m->cancel();
  }
  multishot* _m;
  cancel_token* _token;
};

}  // namespace sipring::runtime
