// BM_TimerWheel/insert_cancel/<timers>/<spread ms>: arms `timers` entries with deadlines spread
// over `spread` ms (1 ms ticks, 1024 slots: a spread past 1024 ms puts entries a later turn of
// the wheel), then cancels them all, in the order armed; items are timers (one insert and one
// cancel each). The wheel's clock does not move.
// BM_TimerWheel/insert_fire/<timers>/<spread ms>: arms them the same way, then advances a
// synthetic clock one tick at a time until every entry has fired; items are timers fired.
// SIP's timers span 500 ms (T1) to 32 s (Timers B, F, H, J), hence the long spreads.

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <initializer_list>
#include <utility>
#include <vector>

#include "sipring/runtime/timer_wheel.h"

namespace {

using namespace sipring::runtime;
using clock_type = timer_wheel::clock;

std::size_t fired_count = 0;

void count_fired(timer_entry&) noexcept { ++fired_count; }

// Deadlines (offsets from the wheel's start), pseudo-random over [1 ms, spread ms].
std::vector<std::chrono::nanoseconds> offsets(std::size_t n, std::int64_t spread_ms) {
  std::vector<std::chrono::nanoseconds> out(n);
  std::uint64_t x = 0x9e3779b97f4a7c15ull;
  const auto spread = std::chrono::nanoseconds(std::chrono::milliseconds(spread_ms)).count();
  for (auto& o : out) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    o = std::chrono::nanoseconds(1'000'000 + static_cast<std::int64_t>(x % static_cast<std::uint64_t>(spread)));
  }
  return out;
}

void insert_cancel(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto deadlines = offsets(n, state.range(1));
  const clock_type::time_point start{};
  timer_wheel wheel(start);
  std::deque<timer_entry> entries;  // not movable: a deque builds them in place
  for (std::size_t i = 0; i < n; ++i) entries.emplace_back(&count_fired);
  for (auto _ : state) {
    for (std::size_t i = 0; i < n; ++i) wheel.insert(entries[i], start + deadlines[i]);
    for (std::size_t i = 0; i < n; ++i) wheel.cancel(entries[i]);
    benchmark::DoNotOptimize(wheel.size());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}

void insert_fire(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto deadlines = offsets(n, state.range(1));
  clock_type::time_point now{};
  timer_wheel wheel(now);
  std::deque<timer_entry> entries;
  for (std::size_t i = 0; i < n; ++i) entries.emplace_back(&count_fired);
  fired_count = 0;
  std::size_t ticks = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < n; ++i) wheel.insert(entries[i], now + deadlines[i]);
    // Bounded: every deadline is at most spread + 1 ms ahead.
    const auto end = now + std::chrono::milliseconds(state.range(1) + 2);
    while (wheel.size() != 0 && now < end) {
      now += wheel.tick();
      wheel.advance(now);
      ++ticks;
    }
  }
  if (fired_count != state.iterations() * n) state.SkipWithError("not every timer fired");
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  state.counters["ticks_per_timer"] = static_cast<double>(ticks) / static_cast<double>(state.iterations() * n);
}

[[maybe_unused]] const bool registered = [] {
  const std::initializer_list<std::pair<std::int64_t, std::int64_t>> sizes = {
      {1000, 1000}, {10000, 1000}, {10000, 32000}, {100000, 32000}};
  for (const auto& [timers, spread] : sizes) {
    benchmark::RegisterBenchmark("BM_TimerWheel/insert_cancel", insert_cancel)->Args({timers, spread});
    benchmark::RegisterBenchmark("BM_TimerWheel/insert_fire", insert_fire)->Args({timers, spread});
  }
  return true;
}();

}  // namespace
