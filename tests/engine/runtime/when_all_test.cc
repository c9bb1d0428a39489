#include "sipring/runtime/when_all.h"

#include <gtest/gtest.h>

#include <string>

#include "sipring/runtime/reactor.h"
#include "sipring/runtime/with_timeout.h"

namespace sipring::runtime {
namespace {

using namespace std::chrono_literals;

task<int> value(int v) { co_return v; }
task<std::string> text(std::string s) { co_return s; }
task<void> nothing() { co_return; }

TEST(WhenAll, ValuesInArgumentOrderWhenEveryTaskFinishesAtOnce) {
  auto [a, b, c] = sync_wait(when_all(value(1), text("two"), nothing()));
  EXPECT_EQ(a, 1);
  EXPECT_EQ(b, "two");
  (void)c;
  std::vector<task<int>> many;
  for (int i = 0; i < 100; ++i) many.push_back(value(i));
  const std::vector<int> got = sync_wait(when_all(std::move(many)));
  ASSERT_EQ(got.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(got[static_cast<std::size_t>(i)], i);
}

class WithReactor : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    r = reactor::create(reactor_options{}, why);
    if (!r) GTEST_SKIP() << why;
  }
  std::unique_ptr<reactor> r;
};

task<int> sleep_then(reactor& r, std::chrono::milliseconds d, int v) {
  (void)co_await r.sleep_for(d);
  co_return v;
}

TEST_F(WithReactor, WhenAllWaitsForTheSlowestAndRunsThemConcurrently) {
  std::tuple<int, int, int> out{};
  const auto start = timer_wheel::clock::now();
  r->spawn([](reactor& rr, std::tuple<int, int, int>& o) -> task<void> {
    o = co_await when_all(sleep_then(rr, 30ms, 1), sleep_then(rr, 10ms, 2), sleep_then(rr, 20ms, 3));
  }(*r, out));
  r->stop();
  r->run();
  EXPECT_EQ(out, std::make_tuple(1, 2, 3));
  const auto took = timer_wheel::clock::now() - start;
  EXPECT_GE(took, 30ms);
  EXPECT_LT(took, 55ms) << "concurrently, not one after another (60 ms)";
}

task<result<int>> slow_answer(reactor& r, std::chrono::milliseconds d, cancel_token& token) {
  const result<void> slept = co_await r.sleep_for(d, &token);
  if (!slept.ok()) co_return slept.err();
  co_return 42;
}

TEST_F(WithReactor, WithTimeoutGivesTheValueOrEtimedout) {
  result<int> fast = error(EINVAL), slow = 0;
  r->spawn([](reactor& rr, result<int>& f, result<int>& s) -> task<void> {
    f = co_await with_timeout(rr, 50ms, [&rr](cancel_token& t) { return slow_answer(rr, 5ms, t); });
    s = co_await with_timeout(rr, 5ms, [&rr](cancel_token& t) { return slow_answer(rr, 10s, t); });
  }(*r, fast, slow));
  r->stop();
  r->run();
  ASSERT_TRUE(fast.ok());
  EXPECT_EQ(fast.value(), 42);
  ASSERT_FALSE(slow.ok());
  EXPECT_EQ(slow.err(), error(ETIMEDOUT));
  EXPECT_EQ(r->timers().size(), 0u);
}

}  // namespace
}  // namespace sipring::runtime
