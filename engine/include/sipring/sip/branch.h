#pragma once
// Via branch ids (RFC 3261 §8.1.1.7, §16.6 step 8): "z9hG4bK" (the magic cookie) + "sr" + the
// shard number in lowercase hex + "." + 16 lowercase hex digits. The digits are a per-process
// counter passed through a bijective mix keyed by random bits drawn once per process, so ids
// never repeat within a process and a restart does not reuse the previous run's ids. The shard
// number in the id lets a response that the kernel delivers to another shard be handed to the
// shard that owns its client transaction in one hop (shard_of_branch).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace sipring::sip {

inline constexpr std::string_view magic_cookie = "z9hG4bK";

/// Whether a branch value starts with the RFC 3261 magic cookie (case-sensitive, as §8.1.1.7
/// writes it).
constexpr bool has_magic_cookie(std::string_view branch) noexcept {
  return branch.size() > magic_cookie.size() && branch.substr(0, magic_cookie.size()) == magic_cookie;
}

/// One branch id in a fixed buffer (no allocation). Copyable.
class branch_id {
 public:
  /// "z9hG4bK" + "sr" + at most 4 hex digits + "." + 16 hex digits.
  static constexpr std::size_t max_size = 7 + 2 + 4 + 1 + 16;

  std::string_view view() const noexcept { return {_text, _size}; }

 private:
  friend class branch_generator;
  char _text[max_size] = {};
  std::uint8_t _size = 0;
};

/// Makes the branch ids of one shard. Single-threaded (one per shard).
class branch_generator {
 public:
  /// Keyed by the process's random bits (drawn once, from getrandom(2)) and by a count of the
  /// generators made so far, so a second generator for the same shard does not repeat the first.
  explicit branch_generator(std::uint16_t shard) noexcept;
  /// Keyed by `seed` instead: for tests (two generators with the same seed and shard repeat).
  branch_generator(std::uint16_t shard, std::uint64_t seed) noexcept;

  branch_id next() noexcept;
  std::uint16_t shard() const noexcept { return _shard; }

 private:
  std::uint64_t _key;
  std::uint64_t _counter = 0;
  std::uint16_t _shard;
  std::uint8_t _prefix_size = 0;
  char _prefix[7 + 2 + 4 + 1] = {};  ///< "z9hG4bKsr<hex>."
};

/// The shard number in a branch this process's generators made ("z9hG4bKsr" + 1-4 lowercase
/// hex digits + "." + 16 lowercase hex digits); nullopt for any other branch (another element's,
/// or a forged one: the caller must still check the number against its shard count).
std::optional<unsigned> shard_of_branch(std::string_view branch) noexcept;

}  // namespace sipring::sip
