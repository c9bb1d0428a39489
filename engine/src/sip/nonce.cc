#include "sipring/sip/nonce.h"

#include <algorithm>
#include <stdexcept>

#include "sipring/crypto/digest_hash.h"

namespace sipring::sip {

namespace {

std::int64_t seconds_of(nonce_clock::time_point t) noexcept {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

// Lowercase hex only: every nonce we issue is lowercase.
int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

nonce_key::nonce_key() {
  if (!crypto::random_bytes(_key)) throw std::runtime_error("no random bytes for the nonce key");
}

nonce_key::nonce_key(std::span<const std::uint8_t, key_size> key) noexcept {
  std::copy(key.begin(), key.end(), _key.begin());
}

bool nonce_key::mac_hex(const std::uint8_t (&stamp)[8], std::string_view realm,
                        std::span<char, 32> out) const noexcept {
  std::array<std::uint8_t, crypto::hmac_sha256_size> mac;
  const std::span<const std::uint8_t> realm_bytes(
      reinterpret_cast<const std::uint8_t*>(realm.data()), realm.size());
  if (!crypto::hmac_sha256(_key, {std::span<const std::uint8_t>(stamp), realm_bytes}, mac))
    return false;
  return crypto::to_hex(std::span<const std::uint8_t>(mac.data(), 16), out);
}

bool nonce_key::make(std::string_view realm, nonce_clock::time_point now,
                     std::span<char, nonce_size> out) const noexcept {
  const auto t = static_cast<std::uint64_t>(seconds_of(now));
  std::uint8_t stamp[8];
  for (int i = 0; i < 8; ++i) stamp[i] = static_cast<std::uint8_t>(t >> (56 - 8 * i));
  return crypto::to_hex(stamp, out.first<16>()) && mac_hex(stamp, realm, out.subspan<16, 32>());
}

nonce_status nonce_key::check(std::string_view nonce, std::string_view realm,
                              nonce_clock::time_point now,
                              std::chrono::seconds lifetime) const noexcept {
  if (nonce.size() != nonce_size) return nonce_status::invalid;
  std::uint8_t stamp[8];
  std::uint64_t t = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    const int hi = hex_value(nonce[2 * i]), lo = hex_value(nonce[2 * i + 1]);
    if (hi < 0 || lo < 0) return nonce_status::invalid;
    stamp[i] = static_cast<std::uint8_t>(hi << 4 | lo);
    t = t << 8 | stamp[i];
  }
  char expected[32];
  if (!mac_hex(stamp, realm, expected)) return nonce_status::invalid;
  if (!crypto::constant_time_equal(nonce.substr(16), std::string_view(expected, sizeof expected)))
    return nonce_status::invalid;

  const auto issued = static_cast<std::int64_t>(t);
  const std::int64_t current = seconds_of(now);
  if (issued > current + future_tolerance.count()) return nonce_status::invalid;
  if (current - issued > lifetime.count()) return nonce_status::stale;
  return nonce_status::valid;
}

}  // namespace sipring::sip
