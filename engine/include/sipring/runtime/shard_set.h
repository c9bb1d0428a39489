#pragma once
// The shards: one thread per configured CPU, pinned to it and named "sipring/N", each with its
// own reactor. Shards share nothing and talk only through invoke_on(): per ordered pair of
// shards one single-producer/single-consumer ring carries calls one way and their replies the
// other; a shard that sleeps is woken with IORING_OP_MSG_RING (batched: once per turn and
// target, and only when the target sleeps). No mutex on that path.
//
// Stop: request_stop() (any thread) makes every shard cancel its stop tokens at once (listeners),
// give in-flight work `stop_grace` to finish, then cancel its grace tokens (connections); a
// shard's thread ends when its last task has finished.

#include <atomic>
#include <chrono>
#include <coroutine>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "sipring/runtime/cancel.h"
#include "sipring/runtime/reactor.h"
#include "sipring/runtime/spsc_ring.h"
#include "sipring/runtime/task.h"

namespace sipring::runtime {

struct shard_set_options {
  /// One shard per CPU, its thread pinned to it. Empty: `count` shards, not pinned.
  std::vector<unsigned> cpus;
  unsigned count = 1;
  reactor_options reactor;
  /// How long in-flight work may run once a stop began.
  std::chrono::milliseconds stop_grace{5000};
  /// Slots per ring between two shards (a power of two); calls beyond wait in a local queue.
  std::size_t ring_capacity = 4096;
};

class shard_set;

namespace detail {

// One cross-shard call, living in the caller's frame until its reply.
struct cross_call {
  task<void> (*execute)(cross_call&);  ///< runs the function on the target shard
  std::coroutine_handle<> caller;
  unsigned from = 0;
};

struct cross_message {
  cross_call* call = nullptr;
  bool reply = false;
};

template <class T>
struct is_task : std::false_type {};
template <class T>
struct is_task<task<T>> : std::true_type {};

template <class F>
struct call_traits {
  using returned = std::invoke_result_t<F&>;
  static constexpr bool returns_task = is_task<returned>::value;
  using value = typename std::conditional_t<returns_task, returned, task<returned>>::value_type;
};

template <class F>
struct typed_call : cross_call {
  using traits = call_traits<F>;
  using value = typename traits::value;

  F fn;
  std::optional<std::conditional_t<std::is_void_v<value>, bool, value>> out;

  explicit typed_call(F f) : cross_call{&run, {}, 0}, fn(std::move(f)) {}

  static task<void> run(cross_call& base) {
    auto& self = static_cast<typed_call&>(base);
    if constexpr (traits::returns_task) {
      if constexpr (std::is_void_v<value>) {
        co_await self.fn();
        self.out.emplace(true);
      } else {
        self.out.emplace(co_await self.fn());
      }
    } else if constexpr (std::is_void_v<value>) {
      self.fn();
      self.out.emplace(true);
    } else {
      self.out.emplace(self.fn());
    }
  }
};

}  // namespace detail

/// What a shard's code sees of its shard.
class shard_context {
 public:
  unsigned id() const noexcept { return _id; }
  reactor& loop() noexcept { return *_reactor; }
  shard_set& shards() noexcept { return *_set; }
  bool stopping() const noexcept { return _stopping; }

  /// Cancelled as soon as a stop begins (listening sockets: no new work), or at once when it
  /// has begun already. Unregister with forget() before the token dies.
  void cancel_at_stop(cancel_token& t) {
    if (_stopping) t.cancel();
    else _at_stop.push_back(&t);
  }
  /// Cancelled when the stop's grace period ends (connections, long waits), or at once when it
  /// has ended already.
  void cancel_after_grace(cancel_token& t) {
    if (_grace_over) t.cancel();
    else _after_grace.push_back(&t);
  }
  void forget(cancel_token& t) noexcept;

 private:
  friend class shard_set;
  unsigned _id = 0;
  reactor* _reactor = nullptr;
  shard_set* _set = nullptr;
  bool _stopping = false;
  bool _grace_over = false;
  std::vector<cancel_token*> _at_stop, _after_grace;
};

class shard_set {
 public:
  using shard_main = std::function<task<void>(shard_context&)>;

  explicit shard_set(shard_set_options options);
  /// Stops (if running) and joins every shard.
  ~shard_set();
  shard_set(const shard_set&) = delete;
  shard_set& operator=(const shard_set&) = delete;

  /// Starts the shards: each pins and names its thread, creates its reactor and runs `main`.
  /// Returns an empty string, or why a shard could not start (then none runs).
  std::string start(shard_main main);
  /// Begins a graceful stop of every shard (from any thread).
  void request_stop() noexcept;
  /// Waits until every shard thread has ended.
  void join();

  unsigned size() const noexcept { return static_cast<unsigned>(_shards.size()); }
  /// After join(): coroutine frames the shards still held when they ended (a leak when not 0).
  std::size_t frames_left() const noexcept;
  /// The CPU shard `n` is pinned to, or -1.
  int cpu_of(unsigned n) const noexcept;
  /// The calling shard's id (0 on a thread that is not a shard).
  static unsigned this_shard() noexcept;

  /// Runs `fn` (returning a value, or a task) on shard `n` and resumes the caller on its own
  /// shard with the result. Call from a shard thread. `fn` is moved to the target and must not
  /// refer to the caller's shard-local state.
  template <class F>
  auto invoke_on(unsigned n, F fn) -> task<typename detail::call_traits<F>::value>;

  /// Runs `fn` on every shard, from any thread (control events such as SIGHUP; takes a lock, so
  /// never on a message's path).
  void post_to_all(std::function<void(shard_context&)> fn);

 private:
  struct shard;
  struct post_call;

  void run_shard(shard& s, shard_main& main);
  static void drain(void* shard_ptr);
  void send(unsigned from, unsigned to, detail::cross_message m);
  void begin_stop(shard& s);

  shard_set_options _options;
  std::vector<std::unique_ptr<shard>> _shards;
  // _rings[from * size + to]
  std::vector<std::unique_ptr<spsc_ring<detail::cross_message>>> _rings;
  std::atomic<bool> _stop_requested{false};
  bool _joined = true;
};

// ---------------------------------------------------------------------------------------------

struct shard_set::post_call {
  shard_set& set;
  unsigned to;
  detail::cross_call& call;

  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    call.caller = h;
    call.from = this_shard();
    set.send(call.from, to, {&call, false});
  }
  void await_resume() const noexcept {}
};

template <class F>
auto shard_set::invoke_on(unsigned n, F fn) -> task<typename detail::call_traits<F>::value> {
  using traits = detail::call_traits<F>;
  using value = typename traits::value;
  if (n == this_shard()) {
    if constexpr (traits::returns_task) {
      co_return co_await fn();
    } else if constexpr (std::is_void_v<value>) {
      fn();
      co_return;
    } else {
      co_return fn();
    }
  } else {
    detail::typed_call<F> call(std::move(fn));
    co_await post_call{*this, n, call};
    if constexpr (!std::is_void_v<value>) co_return std::move(*call.out);
  }
}

}  // namespace sipring::runtime
