#include "sipring/runtime/task.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "sipring/runtime/result.h"

namespace sipring::runtime {
namespace {

task<int> answer(std::vector<std::string>& log) {
  log.push_back("answer ran");
  co_return 42;
}

TEST(Task, IsLazy) {
  std::vector<std::string> log;
  task<int> t = answer(log);
  EXPECT_TRUE(log.empty()) << "a task runs only when awaited";
  EXPECT_FALSE(t.done());
  EXPECT_EQ(sync_wait(std::move(t)), 42);
  EXPECT_EQ(log, std::vector<std::string>{"answer ran"});
}

task<int> add(int a, int b) { co_return a + b; }

task<int> chain(int depth) {
  if (depth == 0) co_return 0;
  const int below = co_await chain(depth - 1);
  co_return below + 1;
}

// Symmetric transfer becomes a tail call only in optimised builds without AddressSanitizer
// (which keeps every frame): there a 100k-deep chain must not grow the stack.
#if defined(__OPTIMIZE__) && !defined(__SANITIZE_ADDRESS__)
constexpr int deep_chain = 100000;
#else
constexpr int deep_chain = 2000;
#endif

TEST(Task, AwaitsOtherTasks) {
  EXPECT_EQ(sync_wait(add(2, 3)), 5);
  EXPECT_EQ(sync_wait(chain(deep_chain)), deep_chain);
}

task<std::unique_ptr<int>> move_only() { co_return std::make_unique<int>(7); }

TEST(Task, CarriesMoveOnlyValues) {
  const std::unique_ptr<int> p = sync_wait(move_only());
  ASSERT_TRUE(p);
  EXPECT_EQ(*p, 7);
}

task<result<int>> parse_digit(char c) {
  if (c < '0' || c > '9') co_return error(EINVAL);
  co_return c - '0';
}

task<result<int>> sum_digits(std::string s) {
  int sum = 0;
  for (char c : s) {
    result<int> d = co_await parse_digit(c);
    if (!d) co_return d.err();
    sum += d.value();
  }
  co_return sum;
}

TEST(Task, CarriesErrorsAsValues) {
  const result<int> ok = sync_wait(sum_digits("123"));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.value(), 6);
  const result<int> bad = sync_wait(sum_digits("1x3"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.err(), error(EINVAL));
  EXPECT_EQ(bad.err().code(), std::errc::invalid_argument);
}

struct tracked {
  int* destroyed;
  explicit tracked(int* d) : destroyed(d) {}
  tracked(tracked&& o) noexcept : destroyed(std::exchange(o.destroyed, nullptr)) {}
  ~tracked() {
    if (destroyed) ++*destroyed;
  }
};

task<void> holds(tracked t) {
  (void)t;
  co_return;
}

TEST(Task, DestroyingAnUnstartedTaskFreesItsFrame) {
  int destroyed = 0;
  const std::size_t before = frame_allocator::live_frames();
  {
    task<void> t = holds(tracked(&destroyed));
    EXPECT_EQ(frame_allocator::live_frames(), before + 1);
  }
  EXPECT_EQ(destroyed, 1) << "the parameter copy in the frame is destroyed with it";
  EXPECT_EQ(frame_allocator::live_frames(), before);
}

TEST(Task, MovedFromTaskIsEmpty) {
  std::vector<std::string> log;
  task<int> a = answer(log);
  task<int> b = std::move(a);
  EXPECT_FALSE(a.valid());  // NOLINT(bugprone-use-after-move): checking the moved-from state
  EXPECT_TRUE(b.valid());
  EXPECT_EQ(sync_wait(std::move(b)), 42);
}

TEST(Task, FramesComeFromThePoolAndAreReused) {
  const std::size_t before = frame_allocator::live_frames();
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(sync_wait(add(i, 1)), i + 1);
  EXPECT_EQ(frame_allocator::live_frames(), before);
}

}  // namespace
}  // namespace sipring::runtime
