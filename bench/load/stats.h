#pragma once
// What one shard counts: live counters the progress line reads (relaxed atomics, written by the
// shard only), and the histograms and per-step figures merged into the report at the end.

#include <array>
#include <atomic>
#include <cstdint>
#include <semaphore>
#include <string>
#include <vector>

#include "histogram.h"

namespace sipring::load {

struct step_stats {
  std::uint64_t started = 0, completed = 0, failed = 0;
  double seconds = 0;  ///< how long the shard spent in this step
  histogram latency;
};

struct shard_stats {
  // Live (progress line).
  std::atomic<std::uint64_t> started{0}, completed{0}, failed{0}, in_flight{0};
  std::atomic<std::uint64_t> window_p99_us{0};  ///< p99 of the last second
  std::atomic<bool> done{false};
  std::counting_semaphore<>* finished = nullptr;  ///< released once when done (main waits on it)
  std::atomic<bool> measuring{false};  ///< the measured phase began (after registrations)
  // Final (read after done).
  std::uint64_t failed_timeout = 0, failed_status = 0, failed_transport = 0;
  std::array<std::uint64_t, 700> statuses{};  ///< unexpected final statuses seen
  histogram latency;
  std::vector<step_stats> steps;
  double measured_s = 0;  ///< length of the measured phase
  double cpu_s = 0;       ///< the shard thread's CPU time over the measured phase
  std::uint64_t offered = 0;  ///< transactions the plan offered (open loop)
  std::uint64_t unparsed = 0;  ///< messages received that the parser refused (ignored)
  // --new-connection-per-transaction: the transactions' own connections (connected), and their
  // TLS handshakes (completed full or resumed; failed ones count as transport failures too).
  std::uint64_t connections_opened = 0, handshakes_full = 0, handshakes_resumed = 0, handshakes_failed = 0;
  std::string fatal;  ///< why the shard could not run (then the program exits 1)

  /// The shard's last word: the final figures above are written.
  void finish() noexcept {
    done.store(true);
    if (finished) finished->release();
  }
};

}  // namespace sipring::load
