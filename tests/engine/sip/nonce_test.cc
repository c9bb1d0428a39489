// Stateless nonces: their form, and valid / stale / invalid for fresh, old, forged, tampered,
// other-realm, other-key and future nonces.

#include "sipring/sip/nonce.h"

#include <gtest/gtest.h>

#include <array>
#include <cctype>
#include <string>

namespace {

using namespace std::chrono_literals;
using sipring::sip::nonce_clock;
using sipring::sip::nonce_key;
using sipring::sip::nonce_status;

std::array<std::uint8_t, nonce_key::key_size> fixed_key(std::uint8_t seed) {
  std::array<std::uint8_t, nonce_key::key_size> k{};
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(seed + i);
  return k;
}

nonce_clock::time_point at(std::chrono::seconds s) { return nonce_clock::time_point(s); }

std::string make(const nonce_key& key, std::string_view realm, nonce_clock::time_point t) {
  std::array<char, nonce_key::nonce_size> out{};
  EXPECT_TRUE(key.make(realm, t, out));
  return std::string(out.data(), out.size());
}

TEST(nonce, form_is_hex_timestamp_then_mac) {
  const nonce_key key(fixed_key(1));
  const std::string n = make(key, "example.com", at(0x1234s));
  ASSERT_EQ(n.size(), 48u);
  EXPECT_EQ(n.substr(0, 16), "0000000000001234");
  for (char c : n) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << n;
  // Deterministic for a key, time and realm; another realm or time gives another MAC.
  EXPECT_EQ(n, make(key, "example.com", at(0x1234s)));
  EXPECT_NE(n.substr(16), make(key, "example.org", at(0x1234s)).substr(16));
  EXPECT_NE(n.substr(16), make(key, "example.com", at(0x1235s)).substr(16));
}

TEST(nonce, fresh_nonce_is_valid_until_its_lifetime) {
  const nonce_key key(fixed_key(1));
  const auto issued = at(1000s);
  const std::string n = make(key, "example.com", issued);
  EXPECT_EQ(key.check(n, "example.com", issued, 300s), nonce_status::valid);
  EXPECT_EQ(key.check(n, "example.com", issued + 300s, 300s), nonce_status::valid);
  EXPECT_EQ(key.check(n, "example.com", issued + 301s, 300s), nonce_status::stale);
  EXPECT_EQ(key.check(n, "example.com", issued + 100000s, 300s), nonce_status::stale);
}

TEST(nonce, future_nonce_is_invalid_beyond_the_tolerance) {
  const nonce_key key(fixed_key(1));
  const std::string n = make(key, "example.com", at(1000s));
  EXPECT_EQ(key.check(n, "example.com", at(1000s) - nonce_key::future_tolerance, 300s),
            nonce_status::valid);
  EXPECT_EQ(key.check(n, "example.com", at(1000s) - nonce_key::future_tolerance - 1s, 300s),
            nonce_status::invalid);
}

TEST(nonce, other_realm_or_key_is_invalid) {
  const nonce_key key(fixed_key(1));
  const std::string n = make(key, "example.com", at(1000s));
  EXPECT_EQ(key.check(n, "example.org", at(1000s), 300s), nonce_status::invalid);
  const nonce_key other(fixed_key(2));
  EXPECT_EQ(other.check(n, "example.com", at(1000s), 300s), nonce_status::invalid);
  // Two random keys differ, and each checks its own nonces.
  const nonce_key r1, r2;
  const std::string n1 = make(r1, "example.com", at(1000s));
  EXPECT_EQ(r1.check(n1, "example.com", at(1000s), 300s), nonce_status::valid);
  EXPECT_EQ(r2.check(n1, "example.com", at(1000s), 300s), nonce_status::invalid);
}

TEST(nonce, tampered_nonce_is_invalid) {
  const nonce_key key(fixed_key(1));
  const auto now = at(1000s);
  const std::string n = make(key, "example.com", now);
  // Every single-digit change, in the timestamp (renewing an old nonce) or the MAC.
  for (std::size_t i = 0; i < n.size(); ++i) {
    std::string t = n;
    t[i] = t[i] == '0' ? '1' : '0';
    EXPECT_EQ(key.check(t, "example.com", now, 300s), nonce_status::invalid) << i;
  }
  // A stale nonce whose timestamp is moved forward stays unusable.
  const std::string old = make(key, "example.com", at(100s));
  std::string renewed = make(key, "example.com", now).substr(0, 16) + old.substr(16);
  EXPECT_EQ(key.check(renewed, "example.com", now, 300s), nonce_status::invalid);
}

TEST(nonce, forged_and_malformed_nonces_are_invalid) {
  const nonce_key key(fixed_key(1));
  const auto now = at(1000s);
  const std::string n = make(key, "example.com", now);
  std::string upper = n;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(key.check(upper, "example.com", now, 300s), nonce_status::invalid);
  EXPECT_EQ(key.check(n.substr(0, 47), "example.com", now, 300s), nonce_status::invalid);
  EXPECT_EQ(key.check(n + "0", "example.com", now, 300s), nonce_status::invalid);
  EXPECT_EQ(key.check("", "example.com", now, 300s), nonce_status::invalid);
  EXPECT_EQ(key.check("00000000000003e8" + std::string(32, '0'), "example.com", now, 300s),
            nonce_status::invalid);
  EXPECT_EQ(key.check("dcd98b7102dd2f0e8b11d0f600bfb0c093", "example.com", now, 300s),
            nonce_status::invalid);
  EXPECT_EQ(key.check(std::string(48, 'z'), "example.com", now, 300s), nonce_status::invalid);
}

}  // namespace
