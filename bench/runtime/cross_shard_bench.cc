// BM_CrossShard/round_trip: shard 0 calls shard 1 with invoke_on (a function returning an int)
// and awaits the reply, one call at a time: a push on the SPSC ring, a MSG_RING wake-up of the
// sleeping target, the callee's task, the reply the same way back.
// BM_CrossShard/throughput/<in flight>: shard 0 keeps `in flight` calls outstanding (when_all
// over that many invoke_on per iteration), so that wake-ups and submissions are shared.
// BM_CrossShard/eventfd_ping_pong: the floor to compare round_trip with, no runtime: two threads
// on the same CPUs bounce a token over two eventfds with blocking reads (two cross-CPU
// wake-ups of a sleeping thread per round trip, like round_trip).
// All run two shards (or threads), pinned to CPUs 0 and 1 when the machine has two, and report items/s of
// wall-clock time (real time: the work spans both threads). The benchmark loop itself runs on
// shard 0's thread.

#include <benchmark/benchmark.h>

#include <pthread.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "sipring/runtime/shard_set.h"
#include "sipring/runtime/when_all.h"

namespace {

using namespace sipring::runtime;

shard_set_options two_shards() {
  shard_set_options o;
  if (std::thread::hardware_concurrency() >= 2) o.cpus = {0, 1};
  else o.count = 2;
  o.reactor.ring_entries = 1024;
  o.reactor.receive_buffers = 16;
  o.reactor.receive_buffer_size = 1024;
  return o;
}

task<void> round_trips(shard_context& ctx, benchmark::State* state) {
  for (auto _ : *state) {
    const int v = co_await ctx.shards().invoke_on(1, [] { return 1; });
    benchmark::DoNotOptimize(v);
  }
  ctx.shards().request_stop();
}

task<void> batches(shard_context& ctx, benchmark::State* state, std::size_t in_flight) {
  std::vector<task<int>> calls;
  for (auto _ : *state) {
    calls.clear();
    for (std::size_t i = 0; i < in_flight; ++i)
      calls.push_back(ctx.shards().invoke_on(1, [i] { return static_cast<int>(i); }));
    const std::vector<int> values = co_await when_all(std::move(calls));
    benchmark::DoNotOptimize(values.data());
  }
  ctx.shards().request_stop();
}

task<void> nothing() { co_return; }

// Workaround: shard_set::start runs a shard's main as soon as its own reactor exists, and an
// invoke_on to a shard whose reactor does not exist yet dereferences null in shard_set::send.
// So shard 0 waits (bounded) until every shard has entered its main.
template <class Body>
task<void> when_all_up(shard_context& ctx, std::atomic<unsigned>* up, Body* body) {
  for (int i = 0; i < 5000 && up->load(std::memory_order_acquire) < ctx.shards().size(); ++i)
    (void)co_await ctx.loop().sleep_for(std::chrono::milliseconds(1));
  co_await (*body)(ctx);
}

// Runs `body` (a task on shard 0) on a fresh pair of shards until it stops them.
template <class Body>
void on_two_shards(benchmark::State& state, Body body) {
  shard_set shards(two_shards());
  std::atomic<unsigned> up{0};
  const std::string why = shards.start([&body, &up](shard_context& ctx) -> task<void> {
    up.fetch_add(1, std::memory_order_release);
    if (ctx.id() == 0) ctx.loop().spawn(when_all_up(ctx, &up, &body));
    return nothing();
  });
  if (!why.empty()) {
    state.SkipWithError(why.c_str());
    return;
  }
  shards.join();
}

void round_trip(benchmark::State& state) {
  on_two_shards(state, [&state](shard_context& ctx) { return round_trips(ctx, &state); });
  state.SetItemsProcessed(state.iterations());
}

void throughput(benchmark::State& state) {
  const auto in_flight = static_cast<std::size_t>(state.range(0));
  on_two_shards(state, [&state, in_flight](shard_context& ctx) { return batches(ctx, &state, in_flight); });
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * in_flight));
}

void pin_to(unsigned cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  (void)pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

void eventfd_ping_pong(benchmark::State& state) {
  const bool pin = std::thread::hardware_concurrency() >= 2;
  const int ping = eventfd(0, EFD_CLOEXEC), pong = eventfd(0, EFD_CLOEXEC);
  std::atomic<bool> done{false};
  // The partner answers until told to stop (a last ping after `done`).
  std::thread partner([&] {
    if (pin) pin_to(1);
    for (;;) {
      std::uint64_t v = 0;
      if (::read(ping, &v, sizeof v) != sizeof v || done.load(std::memory_order_acquire)) break;
      v = 1;
      if (::write(pong, &v, sizeof v) != sizeof v) break;
    }
  });
  if (pin) pin_to(0);
  for (auto _ : state) {
    std::uint64_t v = 1;
    if (::write(ping, &v, sizeof v) != sizeof v || ::read(pong, &v, sizeof v) != sizeof v) {
      state.SkipWithError("eventfd");
      break;
    }
  }
  done.store(true, std::memory_order_release);
  const std::uint64_t one = 1;
  (void)::write(ping, &one, sizeof one);
  partner.join();
  ::close(ping);
  ::close(pong);
  state.SetItemsProcessed(state.iterations());
}

[[maybe_unused]] const bool registered = [] {
  benchmark::RegisterBenchmark("BM_CrossShard/eventfd_ping_pong", eventfd_ping_pong)->UseRealTime();
  benchmark::RegisterBenchmark("BM_CrossShard/round_trip", round_trip)->UseRealTime();
  for (int in_flight : {16, 256, 1024})
    benchmark::RegisterBenchmark("BM_CrossShard/throughput", throughput)->Arg(in_flight)->UseRealTime();
  return true;
}();

}  // namespace
