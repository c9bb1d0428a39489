#include "sipring/runtime/timer_wheel.h"

#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <vector>

namespace sipring::runtime {
namespace {

using namespace std::chrono_literals;
using clock_type = timer_wheel::clock;

// A timer that records when it fired into a shared log.
struct recorder : timer_entry {
  int id;
  std::vector<int>* log;
  recorder(int i, std::vector<int>* l) : timer_entry(&fire), id(i), log(l) {}
  static void fire(timer_entry& t) noexcept {
    auto& r = static_cast<recorder&>(t);
    r.log->push_back(r.id);
  }
};

TEST(TimerWheel, FiresInDeadlineOrderNeverEarly) {
  const auto t0 = clock_type::time_point{};
  timer_wheel w(t0);
  std::vector<int> log;
  recorder a(1, &log), b(2, &log), c(3, &log), d(4, &log);
  w.insert(c, t0 + 30ms);
  w.insert(a, t0 + 10ms);
  w.insert(b, t0 + 20ms);
  w.insert(d, t0 + 20ms);  // same tick as b, inserted later
  EXPECT_EQ(w.size(), 4u);
  EXPECT_EQ(w.advance(t0 + 9ms), 0u);
  EXPECT_EQ(w.advance(t0 + 10ms), 1u);
  EXPECT_EQ(w.advance(t0 + 19ms + 999us), 0u) << "not before the deadline";
  EXPECT_EQ(w.advance(t0 + 40ms), 3u);
  EXPECT_EQ(log, (std::vector<int>{1, 2, 4, 3}));
  EXPECT_EQ(w.size(), 0u);
  EXPECT_FALSE(a.armed());
}

TEST(TimerWheel, CancelAndRearm) {
  const auto t0 = clock_type::time_point{};
  timer_wheel w(t0);
  std::vector<int> log;
  recorder a(1, &log), b(2, &log);
  w.insert(a, t0 + 5ms);
  w.insert(b, t0 + 5ms);
  w.cancel(a);
  w.cancel(a);  // twice is harmless
  EXPECT_FALSE(a.armed());
  w.insert(b, t0 + 50ms);  // re-arming moves it
  EXPECT_EQ(w.advance(t0 + 10ms), 0u);
  EXPECT_EQ(w.advance(t0 + 50ms), 1u);
  EXPECT_EQ(log, std::vector<int>{2});
}

TEST(TimerWheel, DestroyedEntryDisarmsItself) {
  const auto t0 = clock_type::time_point{};
  timer_wheel w(t0);
  std::vector<int> log;
  {
    recorder a(1, &log);
    w.insert(a, t0 + 1ms);
  }
  EXPECT_EQ(w.size(), 0u);
  EXPECT_EQ(w.advance(t0 + 2ms), 0u);
}

TEST(TimerWheel, DeadlinesBeyondOneTurnWaitForTheirTurn) {
  const auto t0 = clock_type::time_point{};
  timer_wheel w(t0, 1ms, 64);  // one turn = 64 ms
  std::vector<int> log;
  recorder near(1, &log), far(2, &log), farther(3, &log);
  w.insert(near, t0 + 3ms);
  w.insert(far, t0 + 3ms + 64ms);          // same slot, next turn
  w.insert(farther, t0 + 3ms + 10 * 64ms);  // same slot, ten turns on
  EXPECT_EQ(w.advance(t0 + 3ms), 1u);
  EXPECT_EQ(w.advance(t0 + 66ms), 0u);
  EXPECT_EQ(w.advance(t0 + 67ms), 1u);
  EXPECT_EQ(w.advance(t0 + 3ms + 10 * 64ms - 1ms), 0u);
  EXPECT_EQ(w.advance(t0 + 1s), 1u);
  EXPECT_EQ(log, (std::vector<int>{1, 2, 3}));
}

TEST(TimerWheel, PastDeadlineFiresAtNextAdvance) {
  const auto t0 = clock_type::time_point{};
  timer_wheel w(t0);
  std::vector<int> log;
  recorder a(1, &log);
  EXPECT_EQ(w.advance(t0 + 100ms), 0u);
  w.insert(a, t0 + 10ms);
  EXPECT_EQ(w.advance(t0 + 101ms), 1u);
}

TEST(TimerWheel, InsertAfterALongIdleAdvanceIsNotDelayed) {
  const auto t0 = clock_type::time_point{};
  timer_wheel w(t0);
  std::vector<int> log;
  recorder far(1, &log), soon(2, &log);
  w.insert(far, t0 + 900ms);
  EXPECT_EQ(w.advance(t0 + 10ms), 0u);
  w.insert(soon, t0 + 20ms);
  EXPECT_EQ(w.advance(t0 + 20ms), 1u) << "skipping empty slots must not pass the advance target";
  EXPECT_EQ(log, std::vector<int>{2});
}

// A timer that re-arms itself from its callback a fixed number of times.
struct periodic : timer_entry {
  timer_wheel* wheel;
  clock_type::time_point next;
  int remaining;
  periodic(timer_wheel* w, clock_type::time_point first, int n)
      : timer_entry(&fire), wheel(w), next(first), remaining(n) {}
  static void fire(timer_entry& t) noexcept {
    auto& p = static_cast<periodic&>(t);
    if (--p.remaining > 0) {
      p.next += 10ms;
      p.wheel->insert(p, p.next);
    }
  }
};

TEST(TimerWheel, CallbacksMayRearm) {
  const auto t0 = clock_type::time_point{};
  timer_wheel w(t0);
  periodic p(&w, t0 + 10ms, 5);
  w.insert(p, p.next);
  std::size_t fired = 0;
  for (int ms = 0; ms <= 100; ++ms) fired += w.advance(t0 + std::chrono::milliseconds(ms));
  EXPECT_EQ(fired, 5u);
  EXPECT_EQ(p.remaining, 0);
}

TEST(TimerWheel, NextWakeupIsTheEarliestOccupiedTick) {
  const auto t0 = clock_type::time_point{};
  timer_wheel w(t0);
  EXPECT_FALSE(w.next_wakeup().has_value());
  std::vector<int> log;
  recorder a(1, &log), b(2, &log);
  w.insert(a, t0 + 300ms);
  w.insert(b, t0 + 70ms);
  ASSERT_TRUE(w.next_wakeup().has_value());
  EXPECT_EQ(*w.next_wakeup(), t0 + 70ms);
  w.cancel(b);
  EXPECT_EQ(*w.next_wakeup(), t0 + 300ms);
}

TEST(TimerWheel, ManyTimersFireExactlyOnceInOrder) {
  // 50,000 timers at random deadlines over 40 s (several turns), a tenth cancelled.
  const auto t0 = clock_type::time_point{};
  timer_wheel w(t0);
  std::mt19937 rng(7);
  std::vector<int> log;
  std::vector<std::unique_ptr<recorder>> timers;
  std::vector<std::chrono::milliseconds> due;
  for (int i = 0; i < 50000; ++i) {
    timers.push_back(std::make_unique<recorder>(i, &log));
    due.emplace_back(rng() % 40000);
    w.insert(*timers.back(), t0 + due.back());
  }
  std::size_t cancelled = 0;
  for (int i = 0; i < 50000; i += 10) {
    w.cancel(*timers[static_cast<std::size_t>(i)]);
    ++cancelled;
  }
  for (int ms = 0; ms <= 40000; ms += 7) w.advance(t0 + std::chrono::milliseconds(ms));
  w.advance(t0 + 41s);
  EXPECT_EQ(log.size(), 50000 - cancelled);
  for (std::size_t k = 1; k < log.size(); ++k)
    EXPECT_LE(due[static_cast<std::size_t>(log[k - 1])], due[static_cast<std::size_t>(log[k])]);
  EXPECT_EQ(w.size(), 0u);
}

}  // namespace
}  // namespace sipring::runtime
