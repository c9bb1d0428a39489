#include "sipring/sip/branch.h"

#include <gtest/gtest.h>

#include <string>
#include <unordered_set>

namespace sipring::sip {
namespace {

bool all_lower_hex(std::string_view s) {
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

TEST(Branch, Format) {
  branch_generator g(0x2a, 1);
  const branch_id id = g.next();
  const std::string_view b = id.view();
  ASSERT_EQ(b.size(), 7u + 2 + 2 + 1 + 16);
  EXPECT_EQ(b.substr(0, 11), "z9hG4bKsr2a");
  EXPECT_EQ(b[11], '.');
  EXPECT_TRUE(all_lower_hex(b.substr(12)));
  EXPECT_TRUE(has_magic_cookie(b));
  EXPECT_EQ(branch_generator(0, 1).next().view().substr(0, 11), "z9hG4bKsr0.");
  EXPECT_EQ(branch_generator(0xffff, 1).next().view().size(), branch_id::max_size);
}

TEST(Branch, UniqueWithinAGenerator) {
  branch_generator g(3);
  std::unordered_set<std::string> seen;
  for (int i = 0; i < 200000; ++i) ASSERT_TRUE(seen.insert(std::string(g.next().view())).second);
}

TEST(Branch, GeneratorsDoNotRepeatEachOther) {
  // Two generators for the same shard (a restarted shard), and two seeds (two runs).
  branch_generator a(1), b(1);
  branch_generator c(1, 42), d(1, 43);
  std::unordered_set<std::string> seen;
  for (int i = 0; i < 50000; ++i) {
    ASSERT_TRUE(seen.insert(std::string(a.next().view())).second);
    ASSERT_TRUE(seen.insert(std::string(b.next().view())).second);
    ASSERT_TRUE(seen.insert(std::string(c.next().view())).second);
    ASSERT_TRUE(seen.insert(std::string(d.next().view())).second);
  }
  // The same seed and shard repeat (tests rely on it).
  EXPECT_EQ(branch_generator(5, 7).next().view(), branch_generator(5, 7).next().view());
  // The same seed on two shards: the digits differ too, not only the shard.
  EXPECT_NE(branch_generator(5, 7).next().view().substr(12),
            branch_generator(6, 7).next().view().substr(12));
}

TEST(Branch, ShardRoundTrip) {
  for (unsigned shard : {0u, 1u, 9u, 10u, 15u, 16u, 255u, 4095u, 4096u, 65535u}) {
    branch_generator g(static_cast<std::uint16_t>(shard));
    for (int i = 0; i < 3; ++i) EXPECT_EQ(shard_of_branch(g.next().view()), shard) << shard;
  }
}

TEST(Branch, ForeignBranchesHaveNoShard) {
  EXPECT_EQ(shard_of_branch(""), std::nullopt);
  EXPECT_EQ(shard_of_branch("z9hG4bK776asdhds"), std::nullopt);
  EXPECT_EQ(shard_of_branch("z9hG4bKsr.0123456789abcdef"), std::nullopt);        // no digits
  EXPECT_EQ(shard_of_branch("z9hG4bKsr12345.0123456789abcdef"), std::nullopt);   // 5 digits
  EXPECT_EQ(shard_of_branch("z9hG4bKsr1A.0123456789abcdef"), std::nullopt);      // uppercase
  EXPECT_EQ(shard_of_branch("z9hG4bKsr1.0123456789abcde"), std::nullopt);        // 15 digits
  EXPECT_EQ(shard_of_branch("z9hG4bKsr1.0123456789abcdef0"), std::nullopt);      // 17 digits
  EXPECT_EQ(shard_of_branch("z9hG4bKsr1.0123456789abcdeg"), std::nullopt);
  EXPECT_EQ(shard_of_branch("z9hG4bKsr10123456789abcdef"), std::nullopt);        // no dot
  EXPECT_EQ(shard_of_branch("Z9HG4BKsr1.0123456789abcdef"), std::nullopt);
  EXPECT_EQ(shard_of_branch("z9hG4bKsr1f.0123456789abcdef"), 0x1fu);
}

TEST(Branch, MagicCookie) {
  EXPECT_TRUE(has_magic_cookie("z9hG4bK776asdhds"));
  EXPECT_FALSE(has_magic_cookie("z9hG4bK"));
  EXPECT_FALSE(has_magic_cookie("z9hg4bk776"));
  EXPECT_FALSE(has_magic_cookie("1234"));
}

}  // namespace
}  // namespace sipring::sip
