#include "sipring/sip/aor.h"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

namespace sipring::sip {
namespace {

std::string key_of(std::string_view text) {
  std::string key;
  EXPECT_TRUE(make_aor_key(text, key)) << text;
  return key;
}

TEST(AorKey, UserAtHost) {
  EXPECT_EQ(key_of("sip:alice@example.com"), "alice@example.com");
  EXPECT_EQ(key_of("sip:example.com"), "example.com");
}

TEST(AorKey, HostIsCaseInsensitiveUserIsNot) {
  EXPECT_EQ(key_of("sip:alice@EXAMPLE.Com"), "alice@example.com");
  EXPECT_EQ(key_of("SIP:alice@example.com"), "alice@example.com");
  EXPECT_EQ(key_of("sip:Alice@example.com"), "Alice@example.com");
  EXPECT_NE(key_of("sip:Alice@example.com"), key_of("sip:alice@example.com"));
}

TEST(AorKey, SipsSharesTheKeyOfSip) {
  EXPECT_EQ(key_of("sips:alice@example.com"), key_of("sip:alice@example.com"));
}

TEST(AorKey, PortParamsHeadersAndPasswordAreLeftOut) {
  EXPECT_EQ(key_of("sip:alice@example.com:5070"), "alice@example.com");
  EXPECT_EQ(key_of("sip:alice@example.com;transport=tcp;lr"), "alice@example.com");
  EXPECT_EQ(key_of("sip:alice@example.com:5061;user=phone?subject=hi"), "alice@example.com");
  EXPECT_EQ(key_of("sip:alice:secret@example.com"), "alice@example.com");
}

TEST(AorKey, EscapesAreDecodedExceptReservedOnes) {
  // RFC 3261 §19.1.4: "%61lice" equals "alice"; an escaped reserved character does not equal
  // the character itself, so it stays escaped (upper-case hex).
  EXPECT_EQ(key_of("sip:%61lice@example.com"), "alice@example.com");
  EXPECT_EQ(key_of("sip:%41lice@example.com"), "Alice@example.com");
  EXPECT_EQ(key_of("sip:a%3bb@example.com"), "a%3Bb@example.com");
  EXPECT_EQ(key_of("sip:a%3Bb@example.com"), "a%3Bb@example.com");
  EXPECT_NE(key_of("sip:a%3Bb@example.com"), key_of("sip:a;b@example.com"));
  EXPECT_EQ(key_of("sip:a;b@example.com"), "a;b@example.com");
  // An escaped '%' stays escaped, so it never meets an escaped reserved character.
  EXPECT_EQ(key_of("sip:a%253Bb@example.com"), "a%253Bb@example.com");
  EXPECT_NE(key_of("sip:a%253Bb@example.com"), key_of("sip:a%3Bb@example.com"));
  EXPECT_EQ(key_of("sip:%2B1212@example.com"), "%2B1212@example.com");
  EXPECT_EQ(key_of("sip:+1212@example.com"), "+1212@example.com");
}

TEST(AorKey, IpAddressesAreCanonical) {
  EXPECT_EQ(key_of("sip:bob@[2001:DB8:0:0::1]"), "bob@[2001:db8::1]");
  EXPECT_EQ(key_of("sip:bob@[2001:db8::1]:5060"), "bob@[2001:db8::1]");
  EXPECT_EQ(key_of("sip:bob@192.0.2.1:5060"), "bob@192.0.2.1");
}

TEST(AorKey, OnlySipAndSips) {
  std::string key = "x";
  EXPECT_FALSE(make_aor_key("tel:+1-212-555-0100", key));
  EXPECT_TRUE(key.empty());
  EXPECT_FALSE(make_aor_key("mailto:alice@example.com", key));
  EXPECT_FALSE(make_aor_key("sip:alice@", key));
  EXPECT_FALSE(make_aor_key("<sip:alice@example.com>", key));
}

TEST(AorKey, CallerBuffer) {
  parser::uri u;
  ASSERT_EQ(parser::parse_uri("sip:%61lice@Example.COM:5060;transport=udp", u), parser::error_code::none);
  std::array<char, 64> buf{};
  ASSERT_GE(aor_key_max_size(u), 17u);
  const std::size_t n = make_aor_key(u, buf);
  EXPECT_EQ(std::string_view(buf.data(), n), "alice@example.com");
  // Exactly big enough works; one short gives 0.
  std::array<char, 17> exact{};
  EXPECT_EQ(make_aor_key(u, exact), 17u);
  std::array<char, 16> small{};
  EXPECT_EQ(make_aor_key(u, small), 0u);
  // aor_key_max_size always suffices, IPv6 literals included.
  ASSERT_EQ(parser::parse_uri("sip:b@[::ffff:192.0.2.1]", u), parser::error_code::none);
  std::vector<char> sized(aor_key_max_size(u));
  EXPECT_GT(make_aor_key(u, sized), 0u);
}

TEST(OwnerShard, StableAcrossRunsAndHosts) {
  // Pinned values (computed independently from the FNV-1a + fmix64 definition): every shard of
  // every host computes the same owner, today and after an upgrade.
  EXPECT_EQ(aor_hash(""), 0xefd01f60ba992926ULL);
  EXPECT_EQ(aor_hash("alice@example.com"), 0x53e4b3bc79050458ULL);
  const unsigned expected[] = {0, 2, 0, 1, 2, 1, 0, 8, 6, 10, 8, 6, 8, 11, 8};  // 2..16 shards
  for (unsigned n = 2; n <= 16; ++n) EXPECT_EQ(owner_shard("alice@example.com", n), expected[n - 2]) << n;
  EXPECT_EQ(owner_shard("alice@example.com", 1), 0u);
  EXPECT_EQ(owner_shard("alice@example.com", 0), 0u);
}

TEST(OwnerShard, SpreadOver2To16Shards) {
  constexpr int keys = 20000;
  std::vector<std::string> all;
  all.reserve(keys);
  for (int i = 0; i < keys; ++i) all.push_back("user" + std::to_string(i) + "@example.com");
  for (unsigned n = 2; n <= 16; ++n) {
    std::vector<int> count(n);
    for (const auto& k : all) {
      const unsigned s = owner_shard(k, n);
      ASSERT_LT(s, n);
      ++count[s];
    }
    const double mean = static_cast<double>(keys) / n;
    for (unsigned s = 0; s < n; ++s)
      EXPECT_NEAR(count[s], mean, mean * 0.08) << n << " shards, shard " << s;
  }
}

TEST(OwnerShard, KeysThatDifferByOneByteSpread) {
  // Sequential phone numbers (the common case for carrier AoRs) must not cluster.
  constexpr unsigned n = 8;
  std::vector<int> count(n);
  for (int i = 0; i < 8000; ++i) ++count[owner_shard("+4930" + std::to_string(1000000 + i) + "@example.com", n)];
  for (unsigned s = 0; s < n; ++s) EXPECT_NEAR(count[s], 1000, 100) << s;
}

}  // namespace
}  // namespace sipring::sip
