// Shards on real threads: cross-shard calls, stop.

#include "sipring/runtime/shard_set.h"

#include <gtest/gtest.h>
#include <pthread.h>

#include <atomic>
#include <string>

namespace sipring::runtime {
namespace {

using namespace std::chrono_literals;

shard_set_options unpinned(unsigned n) {
  shard_set_options o;
  o.count = n;
  o.stop_grace = 200ms;
  o.reactor.receive_buffers = 64;
  return o;
}

TEST(ShardSet, ShardsRunOnNamedThreads) {
  shard_set shards(unpinned(3));
  std::atomic<int> ran{0};
  std::string names[3];
  const std::string why = shards.start([&](shard_context& ctx) -> task<void> {
    char name[16] = {};
    pthread_getname_np(pthread_self(), name, sizeof name);
    names[ctx.id()] = name;
    ++ran;
    co_return;
  });
  ASSERT_EQ(why, "");
  shards.request_stop();
  shards.join();
  EXPECT_EQ(ran.load(), 3);
  EXPECT_EQ(names[0], "sipring/0");
  EXPECT_EQ(names[2], "sipring/2");
}

// Every shard calls every other shard `calls` times, all in flight at once, and checks each
// reply arrives on its own shard with the callee's answer.
task<void> caller(shard_context& ctx, int calls, std::atomic<int>& good, std::atomic<int>& bad) {
  shard_set& shards = ctx.shards();
  const unsigned me = ctx.id();
  std::vector<task<void>> pending;
  auto one = [](shard_set& set, unsigned me_, unsigned to, int i, std::atomic<int>& g,
                std::atomic<int>& b) -> task<void> {
    const int answer = co_await set.invoke_on(to, [i] { return i * 2 + static_cast<int>(shard_set::this_shard()); });
    if (answer == i * 2 + static_cast<int>(to) && shard_set::this_shard() == me_) ++g;
    else ++b;
  };
  for (unsigned to = 0; to < shards.size(); ++to)
    for (int i = 0; i < calls; ++i) ctx.loop().spawn(one(shards, me, to, i, good, bad));
  co_return;
}

TEST(ShardSet, CrossShardCallsReturnToTheCallersShard) {
  for (unsigned n : {2u, 4u}) {
    shard_set shards(unpinned(n));
    std::atomic<int> good{0}, bad{0};
    const int calls = 3000;
    ASSERT_EQ(shards.start([&](shard_context& ctx) { return caller(ctx, calls, good, bad); }), "");
    // Wait for every call, bounded in time.
    for (int i = 0; i < 1000 && good + bad < static_cast<int>(n * n) * calls; ++i)
      std::this_thread::sleep_for(10ms);
    shards.request_stop();
    shards.join();
    EXPECT_EQ(good.load(), static_cast<int>(n * n) * calls) << n << " shards";
    EXPECT_EQ(bad.load(), 0);
  }
}

TEST(ShardSet, CallsMayRunTasksOnTheTarget) {
  shard_set shards(unpinned(2));
  std::atomic<int> result{0};
  ASSERT_EQ(shards.start([&](shard_context& ctx) -> task<void> {
    if (ctx.id() != 0) co_return;
    const int v = co_await ctx.shards().invoke_on(1, []() -> task<int> {
      (void)co_await reactor::current()->sleep_for(2ms);  // suspends on shard 1
      co_return static_cast<int>(shard_set::this_shard()) + 40;
    });
    co_await ctx.shards().invoke_on(1, [] {});  // void calls too
    result = v;
    ctx.shards().request_stop();
  }), "");
  shards.join();
  EXPECT_EQ(result.load(), 41);
}

TEST(ShardSet, StopCancelsListenersAtOnceAndConnectionsAfterTheGrace) {
  shard_set shards(unpinned(2));
  std::atomic<int> listener_cancelled{0}, connection_cancelled{0}, finished_in_grace{0};
  ASSERT_EQ(shards.start([&](shard_context& ctx) -> task<void> {
    reactor& r = ctx.loop();
    // A "listener" (waits forever until cancelled at stop) ...
    r.spawn([](shard_context& c, std::atomic<int>& out) -> task<void> {
      cancel_token token;
      c.cancel_at_stop(token);
      const result<void> e = co_await c.loop().sleep_for(1h, &token);
      if (!e.ok() && e.err() == error(ECANCELED)) ++out;
    }(ctx, listener_cancelled));
    // ... a "connection" that would run for an hour: cancelled when the grace ends ...
    r.spawn([](shard_context& c, std::atomic<int>& out) -> task<void> {
      cancel_token token;
      c.cancel_after_grace(token);
      const result<void> e = co_await c.loop().sleep_for(1h, &token);
      if (!e.ok() && e.err() == error(ECANCELED)) ++out;
    }(ctx, connection_cancelled));
    // ... and a transaction that finishes within the grace period.
    r.spawn([](shard_context& c, std::atomic<int>& out) -> task<void> {
      const result<void> e = co_await c.loop().sleep_for(50ms);
      if (e.ok()) ++out;
    }(ctx, finished_in_grace));
    co_return;
  }), "");
  std::this_thread::sleep_for(10ms);
  const auto start = std::chrono::steady_clock::now();
  shards.request_stop();
  shards.join();
  EXPECT_EQ(listener_cancelled.load(), 2);
  EXPECT_EQ(connection_cancelled.load(), 2);
  EXPECT_EQ(finished_in_grace.load(), 2);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

// Regression: main ran as soon as its own shard's reactor existed, so a call from its first line
// could reach a shard whose reactor was not created yet (a null pointer), and a late thread could
// wait on a latch start() had already destroyed.
TEST(ShardSet, CallsFromTheFirstLineOfMainFindEveryShardStarted) {
  for (int i = 0; i < 100; ++i) {
    shard_set shards(unpinned(2));
    std::atomic<int> answer{0};
    ASSERT_EQ(shards.start([&answer](shard_context& ctx) -> task<void> {
      if (ctx.id() != 0) co_return;
      answer = co_await ctx.shards().invoke_on(1, [] { return 7; });
      ctx.shards().request_stop();
    }), "");
    shards.join();
    ASSERT_EQ(answer.load(), 7) << "start " << i;
  }
}

// Regression: a stop requested before a shard's main had run found no token to cancel, and the
// main then waited for ever on the token it registered too late.
TEST(ShardSet, TokensRegisteredAfterTheStopBeganAreCancelledAtOnce) {
  for (int i = 0; i < 50; ++i) {
    shard_set shards(unpinned(2));
    ASSERT_EQ(shards.start([](shard_context& ctx) -> task<void> {
      cancel_token stop;
      ctx.cancel_at_stop(stop);
      while (!stop.cancelled()) (void)co_await ctx.loop().sleep_for(1h, &stop);
      ctx.forget(stop);
    }), "");
    shards.request_stop();  // usually before the mains have run
    shards.join();
  }
  SUCCEED();
}

TEST(ShardSet, PostToAllRunsOnEveryShard) {
  shard_set shards(unpinned(3));
  std::atomic<unsigned> seen{0};
  ASSERT_EQ(shards.start([](shard_context&) -> task<void> { co_return; }), "");
  shards.post_to_all([&seen](shard_context& ctx) { seen |= 1u << ctx.id(); });
  for (int i = 0; i < 500 && seen != 7u; ++i) std::this_thread::sleep_for(2ms);
  shards.request_stop();
  shards.join();
  EXPECT_EQ(seen.load(), 7u);
}

}  // namespace
}  // namespace sipring::runtime
