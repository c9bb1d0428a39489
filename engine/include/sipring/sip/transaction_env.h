#pragma once
// What a shard's transactions (RFC 3261 §17) need from their surroundings: a timer wheel, the
// shard's current time, a way to send bytes to a flow, and the timer values. Transactions never
// touch sockets: they call `send` and read `*now`.

#include <sys/uio.h>

#include <chrono>
#include <span>

#include "sipring/runtime/timer_wheel.h"
#include "sipring/transport/flow.h"

namespace sipring::sip {

/// Sends one message (the iovecs, in order) to `to`. Returns false on a transport error
/// (RFC 3261 §17.1.4, §17.2.4); the transaction then tells its TU and terminates. Called on the
/// shard that owns the transaction; must not call back into the transaction layer.
using send_function = bool (*)(void* context, const transport::flow& to,
                               std::span<const iovec> bytes) noexcept;

/// RFC 3261 §17 and Table 4. Timer D and Timer C are not multiples of T1: they are given here.
struct transaction_timers {
  std::chrono::milliseconds t1{500};     ///< RTT estimate
  std::chrono::milliseconds t2{4000};    ///< the longest retransmit interval (non-INVITE, G)
  std::chrono::milliseconds t4{5000};    ///< how long a message may stay in the network (I, K)
  std::chrono::milliseconds timer_d{32000};  ///< INVITE client, unreliable: at least 32 s
  std::chrono::milliseconds timer_c{181000}; ///< proxy INVITE client (§16.6 step 11): > 3 min
};

/// One per shard, shared by every transaction of the shard's transaction_table.
struct transaction_env {
  runtime::timer_wheel* wheel = nullptr;
  /// The shard's current time: read whenever a timer is armed. The reactor updates it before it
  /// calls wheel->advance() and before it hands a received message to the transaction layer.
  const runtime::timer_wheel::clock::time_point* now = nullptr;
  send_function send = nullptr;
  void* send_context = nullptr;
  transaction_timers timers;
};

}  // namespace sipring::sip

namespace sipring::sip::detail {

/// A timer that knows the transaction it belongs to (the wheel's callback gets only the entry).
struct owned_timer : runtime::timer_entry {
  void* owner;
  owned_timer(callback fire, void* o) noexcept : runtime::timer_entry(fire), owner(o) {}
};

}  // namespace sipring::sip::detail
