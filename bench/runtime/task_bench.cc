// BM_TaskResume/ready: awaiting a task<int> that finishes at once (frame from the shard's
// frame_allocator, symmetric transfer in and back out, frame freed), driven by sync_wait.
// BM_TaskResume/yield: one coroutine switch through a reactor's ready queue (schedule, then
// resumed by the loop's next round; a turn runs four rounds, so this includes a quarter of a
// turn's fixed cost: clock read, timer advance, an io_uring_submit with nothing to submit).

#include <benchmark/benchmark.h>

#include <coroutine>
#include <memory>
#include <string>

#include "sipring/runtime/reactor.h"
#include "sipring/runtime/task.h"

namespace {

using namespace sipring::runtime;

task<int> ready_value(int v) { co_return v + 1; }

task<void> await_ready_loop(benchmark::State& state) {
  int v = 0;
  for (auto _ : state) {
    v = co_await ready_value(v);
    benchmark::DoNotOptimize(v);
  }
}

void task_resume_ready(benchmark::State& state) {
  sync_wait(await_ready_loop(state));
  state.SetItemsProcessed(state.iterations());
}

struct yield_to {
  reactor* r;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) const { r->schedule(h); }
  void await_resume() const noexcept {}
};

task<void> yield_loop(reactor* r, benchmark::State* state) {
  for (auto _ : *state) co_await yield_to{r};
}

void task_resume_yield(benchmark::State& state) {
  reactor_options options;
  options.ring_entries = 64;
  options.receive_buffers = 16;
  options.receive_buffer_size = 1024;
  std::string why;
  const std::unique_ptr<reactor> r = reactor::create(options, why);
  if (!r) {
    state.SkipWithError(why.c_str());
    return;
  }
  r->spawn(yield_loop(r.get(), &state));
  r->stop();  // returns once the loop's task has finished
  r->run();
  state.SetItemsProcessed(state.iterations());
}

[[maybe_unused]] const bool registered = [] {
  benchmark::RegisterBenchmark("BM_TaskResume/ready", task_resume_ready);
  benchmark::RegisterBenchmark("BM_TaskResume/yield", task_resume_yield);
  return true;
}();

}  // namespace
