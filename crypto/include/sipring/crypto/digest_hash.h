#pragma once
// The hashes HTTP/SIP digest authentication needs (RFC 7616, RFC 8760): MD5 and SHA-256 with
// lowercase hex output, HMAC-SHA256, a constant-time compare and secure random bytes, all through
// wolfCrypt. Output goes into caller buffers; nothing here allocates except random_bytes.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>

namespace sipring::crypto {

enum class hash_algorithm : std::uint8_t { md5, sha256 };

/// Bytes of a digest: 16 (MD5) or 32 (SHA-256).
constexpr std::size_t hash_size(hash_algorithm a) noexcept {
  return a == hash_algorithm::md5 ? 16 : 32;
}
/// Hex digits of a digest: 32 (MD5) or 64 (SHA-256).
constexpr std::size_t hex_size(hash_algorithm a) noexcept { return 2 * hash_size(a); }
inline constexpr std::size_t max_hash_size = 32;
inline constexpr std::size_t max_hex_size = 64;
inline constexpr std::size_t hmac_sha256_size = 32;

/// The algorithm's name as digest writes it: "MD5" or "SHA-256".
constexpr std::string_view algorithm_name(hash_algorithm a) noexcept {
  return a == hash_algorithm::md5 ? "MD5" : "SHA-256";
}

/// Hashes `data` into `out` (at least hash_size bytes). False when `out` is too small or
/// wolfCrypt fails.
[[nodiscard]] bool hash(hash_algorithm a, std::string_view data, std::span<std::uint8_t> out) noexcept;

/// Hashes `data` and writes the digest as lowercase hex into `out` (at least hex_size chars).
[[nodiscard]] bool hash_hex(hash_algorithm a, std::string_view data, std::span<char> out) noexcept;

/// Hashes the parts joined by ':' (digest's H(a:b:c), RFC 7616 §3.4) and writes lowercase hex
/// into `out` (at least hex_size chars). Nothing is copied: the parts are fed one by one.
[[nodiscard]] bool hash_hex_joined(hash_algorithm a, std::initializer_list<std::string_view> parts,
                                   std::span<char> out) noexcept;

/// HMAC-SHA256 of the concatenation of `parts` under `key`.
[[nodiscard]] bool hmac_sha256(std::span<const std::uint8_t> key,
                               std::initializer_list<std::span<const std::uint8_t>> parts,
                               std::span<std::uint8_t, hmac_sha256_size> out) noexcept;

/// Writes `bytes` as lowercase hex into `out` (2 chars per byte); false when `out` is too small.
[[nodiscard]] bool to_hex(std::span<const std::uint8_t> bytes, std::span<char> out) noexcept;

/// True when a and b are equal. The time taken depends on the lengths only, never on where the
/// contents differ (for comparing MACs and digest responses).
bool constant_time_equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) noexcept;
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

/// Fills `out` from wolfCrypt's DRBG seeded by the OS. False on failure (no entropy source).
/// Seeds a generator per call: for start-up, not per message.
[[nodiscard]] bool random_bytes(std::span<std::uint8_t> out) noexcept;

}  // namespace sipring::crypto
