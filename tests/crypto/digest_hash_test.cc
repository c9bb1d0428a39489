// MD5 and SHA-256 against their published known answers (RFC 1321 §A.5, FIPS 180-2 appendix B),
// HMAC-SHA256 against RFC 4231 test case 2, and the digest helpers built on them.

#include "sipring/crypto/digest_hash.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

using namespace sipring::crypto;

std::string hex_of(hash_algorithm a, std::string_view data) {
  std::string out(hex_size(a), '?');
  EXPECT_TRUE(hash_hex(a, data, out));
  return out;
}

std::span<const std::uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

TEST(digest_hash, md5_known_answers) {
  EXPECT_EQ(hex_of(hash_algorithm::md5, ""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(hex_of(hash_algorithm::md5, "abc"), "900150983cd24fb0d6963f7d28e17f72");
}

TEST(digest_hash, sha256_known_answers) {
  EXPECT_EQ(hex_of(hash_algorithm::sha256, "abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex_of(hash_algorithm::sha256, ""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(digest_hash, raw_digest_matches_hex) {
  std::array<std::uint8_t, max_hash_size> raw{};
  ASSERT_TRUE(hash(hash_algorithm::md5, "abc", raw));
  std::array<char, 32> hex{};
  ASSERT_TRUE(to_hex(std::span<const std::uint8_t>(raw.data(), 16), hex));
  EXPECT_EQ(std::string_view(hex.data(), hex.size()), "900150983cd24fb0d6963f7d28e17f72");
}

TEST(digest_hash, joined_parts_hash_like_the_joined_string) {
  std::string out(64, '?');
  ASSERT_TRUE(hash_hex_joined(hash_algorithm::sha256, {"a", "b", "c"}, out));
  EXPECT_EQ(out, hex_of(hash_algorithm::sha256, "a:b:c"));
  ASSERT_TRUE(hash_hex_joined(hash_algorithm::sha256, {"", ""}, out));
  EXPECT_EQ(out, hex_of(hash_algorithm::sha256, ":"));
  // RFC 2617 §3.5: HA1 = MD5("Mufasa:testrealm@host.com:Circle Of Life").
  std::string md5(32, '?');
  ASSERT_TRUE(hash_hex_joined(hash_algorithm::md5, {"Mufasa", "testrealm@host.com", "Circle Of Life"}, md5));
  EXPECT_EQ(md5, "939e7578ed9e3c518a452acee763bce9");
}

TEST(digest_hash, output_too_small_is_refused) {
  std::array<char, 63> small{};
  EXPECT_FALSE(hash_hex(hash_algorithm::sha256, "abc", small));
  EXPECT_TRUE(hash_hex(hash_algorithm::md5, "abc", small));  // 32 digits fit
  std::array<std::uint8_t, 31> raw{};
  EXPECT_FALSE(hash(hash_algorithm::sha256, "abc", raw));
  std::array<char, 3> hex{};
  const std::uint8_t two[2] = {1, 2};
  EXPECT_FALSE(to_hex(two, hex));
}

TEST(digest_hash, hmac_sha256_rfc4231_case_2) {
  std::array<std::uint8_t, hmac_sha256_size> mac{};
  ASSERT_TRUE(hmac_sha256(as_bytes("Jefe"), {as_bytes("what do ya "), as_bytes("want for nothing?")}, mac));
  std::array<char, 64> hex{};
  ASSERT_TRUE(to_hex(mac, hex));
  EXPECT_EQ(std::string_view(hex.data(), hex.size()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(digest_hash, constant_time_equal) {
  EXPECT_TRUE(constant_time_equal(std::string_view("abc"), std::string_view("abc")));
  EXPECT_TRUE(constant_time_equal(std::string_view(""), std::string_view("")));
  EXPECT_FALSE(constant_time_equal(std::string_view("abc"), std::string_view("abd")));
  EXPECT_FALSE(constant_time_equal(std::string_view("abc"), std::string_view("ab")));
}

TEST(digest_hash, random_bytes_differ) {
  std::array<std::uint8_t, 32> a{}, b{};
  ASSERT_TRUE(random_bytes(a));
  ASSERT_TRUE(random_bytes(b));
  EXPECT_NE(a, b);
}

}  // namespace
