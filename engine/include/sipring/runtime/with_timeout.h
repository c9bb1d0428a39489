#pragma once
// with_timeout: bounds a cancellable operation in time. `make(token)` starts it with a
// cancel_token that its I/O operations and sleeps take; when `timeout` passes first the token is
// cancelled, the operation ends with ECANCELED, and with_timeout gives ETIMEDOUT. (An operation
// that ignores the token cannot be interrupted: pass it to every await that may block.)

#include <chrono>
#include <type_traits>

#include "sipring/runtime/cancel.h"
#include "sipring/runtime/reactor.h"
#include "sipring/runtime/result.h"
#include "sipring/runtime/task.h"
#include "sipring/runtime/timer_wheel.h"

namespace sipring::runtime {

namespace detail {

// Cancels its token when it fires.
struct timeout_entry : timer_entry {
  cancel_token* token;
  bool fired = false;
  explicit timeout_entry(cancel_token* t) noexcept : timer_entry(&expire), token(t) {}
  static void expire(timer_entry& e) noexcept {
    auto& self = static_cast<timeout_entry&>(e);
    self.fired = true;
    self.token->cancel();
  }
};

}  // namespace detail

/// `make`: cancel_token& -> task<result<T>>.
template <class F>
auto with_timeout(reactor& r, std::chrono::nanoseconds timeout, F make)
    -> std::invoke_result_t<F&, cancel_token&> {
  cancel_token token;
  detail::timeout_entry deadline(&token);
  r.timers().insert(deadline, timer_wheel::clock::now() + timeout);
  auto outcome = co_await make(token);
  r.timers().cancel(deadline);
  if (deadline.fired && !outcome.ok()) co_return error(ETIMEDOUT);
  co_return outcome;
}

}  // namespace sipring::runtime
