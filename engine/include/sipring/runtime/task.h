#pragma once
// task<T>: the coroutine type every long-lived flow is written as. Lazy (nothing runs until it
// is awaited or spawned), move-only, resumes its awaiter by symmetric transfer (no stack growth
// however long a chain of tasks), frames from the shard's frame_allocator. Errors travel as
// values (task<result<T>>); an exception escaping a task is a bug and terminates.
//
// Destroying a task that has not finished destroys its frame (and the locals alive in it); a
// task suspended on an I/O operation must be cancelled and finish first (see cancel.h).

#include <coroutine>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include "sipring/runtime/frame_allocator.h"

namespace sipring::runtime {

template <class T = void>
class task;

namespace detail {

struct task_promise_base : pooled_frame {
  std::coroutine_handle<> continuation = std::noop_coroutine();

  struct final_awaiter {
    bool await_ready() const noexcept { return false; }
    template <class Promise>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> h) const noexcept {
      return h.promise().continuation;
    }
    void await_resume() const noexcept {}
  };

  std::suspend_always initial_suspend() const noexcept { return {}; }
  final_awaiter final_suspend() const noexcept { return {}; }
  void unhandled_exception() const noexcept { std::terminate(); }
};

template <class T>
struct task_promise : task_promise_base {
  std::optional<T> value;
  task<T> get_return_object() noexcept;
  template <class U>
  void return_value(U&& v) {
    value.emplace(std::forward<U>(v));
  }
  T take() { return std::move(*value); }
};

template <>
struct task_promise<void> : task_promise_base {
  task<void> get_return_object() noexcept;
  void return_void() const noexcept {}
  void take() const noexcept {}
};

}  // namespace detail

template <class T>
class [[nodiscard]] task {
 public:
  using promise_type = detail::task_promise<T>;
  using handle_type = std::coroutine_handle<promise_type>;
  using value_type = T;

  task() noexcept = default;
  explicit task(handle_type h) noexcept : _h(h) {}
  task(task&& other) noexcept : _h(std::exchange(other._h, {})) {}
  task& operator=(task&& other) noexcept {
    if (this != &other) {
      if (_h) _h.destroy();
      _h = std::exchange(other._h, {});
    }
    return *this;
  }
  task(const task&) = delete;
  task& operator=(const task&) = delete;
  ~task() {
    if (_h) _h.destroy();
  }

  /// Whether this holds a coroutine (not moved from or default-constructed).
  bool valid() const noexcept { return static_cast<bool>(_h); }
  /// Whether the coroutine ran to its end.
  bool done() const noexcept { return _h && _h.done(); }

  /// Starts (or continues) the task; the awaiter resumes when it finishes, with its value.
  auto operator co_await() && noexcept {
    struct awaiter {
      handle_type h;
      bool await_ready() const noexcept { return h.done(); }
      std::coroutine_handle<> await_suspend(std::coroutine_handle<> caller) const noexcept {
        h.promise().continuation = caller;
        return h;
      }
      T await_resume() const { return h.promise().take(); }
    };
    return awaiter{_h};
  }

  /// The coroutine, given up (for spawn and the like: the caller owns the frame from now on).
  handle_type release() noexcept { return std::exchange(_h, {}); }

 private:
  handle_type _h;
};

template <class T>
task<T> detail::task_promise<T>::get_return_object() noexcept {
  return task<T>(std::coroutine_handle<task_promise<T>>::from_promise(*this));
}

inline task<void> detail::task_promise<void>::get_return_object() noexcept {
  return task<void>(std::coroutine_handle<task_promise<void>>::from_promise(*this));
}

namespace detail {

// The coroutine sync_wait drives: starts at once, never suspends at its end (the frame frees
// itself), records that the awaited task finished.
struct sync_driver {
  struct promise_type {
    sync_driver get_return_object() noexcept { return {}; }
    std::suspend_never initial_suspend() const noexcept { return {}; }
    std::suspend_never final_suspend() const noexcept { return {}; }
    void return_void() const noexcept {}
    void unhandled_exception() const noexcept { std::terminate(); }
  };
};

template <class T>
sync_driver drive(task<T> t, std::optional<T>& out, bool& finished) {
  out.emplace(co_await std::move(t));
  finished = true;
}

inline sync_driver drive(task<void> t, bool& finished) {
  co_await std::move(t);
  finished = true;
}

}  // namespace detail

/// Runs `t` to its end on this thread without a reactor, for tasks that never suspend on I/O
/// (tests, start-up code), and returns its value. A task that suspends on something only a
/// reactor completes would never finish: that is a bug, and it terminates.
template <class T>
T sync_wait(task<T> t) {
  bool finished = false;
  if constexpr (std::is_void_v<T>) {
    detail::drive(std::move(t), finished);
    if (!finished) std::terminate();
  } else {
    std::optional<T> out;
    detail::drive(std::move(t), out, finished);
    if (!finished) std::terminate();
    return std::move(*out);
  }
}

}  // namespace sipring::runtime
