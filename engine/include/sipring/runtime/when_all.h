#pragma once
// when_all: runs several tasks of the same shard concurrently and resumes the caller once all
// have finished, with their values (std::monostate for a task<void>), in argument order.

#include <atomic>
#include <coroutine>
#include <cstddef>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "sipring/runtime/task.h"

namespace sipring::runtime {

namespace detail {

template <class T>
using value_or_monostate = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

// What the children share: how many are still running (plus one for the parent's own start),
// and whom to resume at the end.
struct when_all_counter {
  std::size_t remaining;
  std::coroutine_handle<> parent;
};

// One child: awaits its task, stores the value, and the last to finish resumes the parent.
struct when_all_child {
  struct promise_type : pooled_frame {
    when_all_counter* counter = nullptr;
    when_all_child get_return_object() noexcept {
      return {std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() const noexcept { return {}; }
    auto final_suspend() const noexcept {
      struct awaiter {
        bool await_ready() const noexcept { return false; }
        std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> h) const noexcept {
          when_all_counter& c = *h.promise().counter;
          return --c.remaining == 0 ? c.parent : std::noop_coroutine();
        }
        void await_resume() const noexcept {}
      };
      return awaiter{};
    }
    void return_void() const noexcept {}
    void unhandled_exception() const noexcept { std::terminate(); }
  };
  std::coroutine_handle<promise_type> handle;
};

template <class T>
when_all_child run_child(task<T> t, std::optional<value_or_monostate<T>>& out) {
  if constexpr (std::is_void_v<T>) {
    co_await std::move(t);
    out.emplace();
  } else {
    out.emplace(co_await std::move(t));
  }
}

// Starts the children and suspends the parent until the last one finishes.
struct when_all_start {
  when_all_counter& counter;
  std::vector<when_all_child>& children;
  bool await_ready() const noexcept { return children.empty(); }
  bool await_suspend(std::coroutine_handle<> parent) const noexcept {
    counter.parent = parent;
    for (when_all_child& c : children) {
      c.handle.promise().counter = &counter;
      c.handle.resume();
    }
    // The extra count was the parent's: if every child already finished, do not suspend.
    return --counter.remaining != 0;
  }
  void await_resume() const noexcept {}
};

}  // namespace detail

/// Runs every task concurrently; the values in order.
template <class... T>
task<std::tuple<detail::value_or_monostate<T>...>> when_all(task<T>... tasks) {
  std::tuple<std::optional<detail::value_or_monostate<T>>...> values;
  std::vector<detail::when_all_child> children;
  children.reserve(sizeof...(T));
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (children.push_back(detail::run_child(std::move(tasks), std::get<I>(values))), ...);
  }(std::index_sequence_for<T...>{});
  detail::when_all_counter counter{children.size() + 1, {}};
  co_await detail::when_all_start{counter, children};
  for (auto& c : children) c.handle.destroy();
  co_return std::apply([](auto&... v) { return std::make_tuple(std::move(*v)...); }, values);
}

/// Runs every task of the vector concurrently; the values in order.
template <class T>
task<std::vector<detail::value_or_monostate<T>>> when_all(std::vector<task<T>> tasks) {
  std::vector<std::optional<detail::value_or_monostate<T>>> values(tasks.size());
  std::vector<detail::when_all_child> children;
  children.reserve(tasks.size());
  for (std::size_t i = 0; i < tasks.size(); ++i)
    children.push_back(detail::run_child(std::move(tasks[i]), values[i]));
  detail::when_all_counter counter{children.size() + 1, {}};
  co_await detail::when_all_start{counter, children};
  for (auto& c : children) c.handle.destroy();
  std::vector<detail::value_or_monostate<T>> out;
  out.reserve(values.size());
  for (auto& v : values) out.push_back(std::move(*v));
  co_return out;
}

}  // namespace sipring::runtime
