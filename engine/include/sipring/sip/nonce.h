#pragma once
// Stateless digest nonces (RFC 7616 §3.3 leaves their form to the server): any shard can check a
// nonce another shard issued, and no table of issued nonces exists.
//
//   nonce = hex(8-byte big-endian timestamp in seconds)
//         + hex(first 16 bytes of HMAC-SHA256(key, timestamp bytes || realm))
//
// 48 lowercase hex digits. The key is 32 random bytes made once per process, so nonces die with
// the process; the timestamp is read from the steady clock, which every shard shares and which
// never jumps. Without per-nonce state a nonce can be replayed until it goes stale: the lifetime
// bounds that window (nc is not tracked).

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace sipring::sip {

using nonce_clock = std::chrono::steady_clock;

enum class nonce_status : std::uint8_t {
  valid,
  stale,    ///< ours and intact, but older than the lifetime
  invalid,  ///< not ours: wrong form, forged, tampered, another realm, or from the future
};

class nonce_key {
 public:
  static constexpr std::size_t key_size = 32;
  static constexpr std::size_t nonce_size = 48;
  /// A nonce dated later than now by more than this is invalid (shards read the clock at
  /// slightly different moments; nothing legitimate is further ahead).
  static constexpr std::chrono::seconds future_tolerance{5};

  /// A fresh random key. Throws std::runtime_error when no random bytes can be had.
  nonce_key();
  /// A given key (tests).
  explicit nonce_key(std::span<const std::uint8_t, key_size> key) noexcept;

  /// Writes the nonce for `realm` issued at `now`. False only if wolfCrypt fails.
  [[nodiscard]] bool make(std::string_view realm, nonce_clock::time_point now,
                          std::span<char, nonce_size> out) const noexcept;

  /// Checks a nonce received for `realm`. The MAC is compared in constant time.
  nonce_status check(std::string_view nonce, std::string_view realm, nonce_clock::time_point now,
                     std::chrono::seconds lifetime) const noexcept;

 private:
  [[nodiscard]] bool mac_hex(const std::uint8_t (&stamp)[8], std::string_view realm,
                             std::span<char, 32> out) const noexcept;

  std::array<std::uint8_t, key_size> _key;
};

}  // namespace sipring::sip
