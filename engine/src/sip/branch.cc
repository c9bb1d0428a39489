#include "sipring/sip/branch.h"

#include <sys/random.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <unistd.h>

namespace sipring::sip {

namespace {

constexpr char hex_digits[] = "0123456789abcdef";
constexpr std::string_view own_prefix = "z9hG4bKsr";

// splitmix64's finalizer: a bijection on 64-bit values, so distinct counters give distinct ids.
constexpr std::uint64_t mix(std::uint64_t x) noexcept {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

std::uint64_t process_random_bits() noexcept {
  static const std::uint64_t bits = [] {
    std::uint64_t v = 0;
    if (getrandom(&v, sizeof v, 0) != static_cast<ssize_t>(sizeof v)) {
      // No entropy source: the clock and the pid still differ between runs.
      v = static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count()) ^
          (static_cast<std::uint64_t>(getpid()) << 32);
    }
    return mix(v);
  }();
  return bits;
}

// Each generator of the process gets its own key (two for one shard never repeat each other's
// ids in practice: their counters would have to meet 2^64 / distance apart).
std::uint64_t next_instance() noexcept {
  static std::atomic<std::uint64_t> instances{0};
  return instances.fetch_add(1, std::memory_order_relaxed) + 1;
}

constexpr int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

branch_generator::branch_generator(std::uint16_t shard) noexcept
    : branch_generator(shard, process_random_bits() ^ mix(next_instance())) {}

branch_generator::branch_generator(std::uint16_t shard, std::uint64_t seed) noexcept
    : _key(mix(seed ^ (std::uint64_t{shard} * 0x9e3779b97f4a7c15ULL))), _shard(shard) {
  std::memcpy(_prefix, own_prefix.data(), own_prefix.size());
  std::size_t n = own_prefix.size();
  char digits[4];
  std::size_t d = 0;
  unsigned s = shard;
  do {
    digits[d++] = hex_digits[s & 0xf];
    s >>= 4;
  } while (s != 0);
  while (d != 0) _prefix[n++] = digits[--d];
  _prefix[n++] = '.';
  _prefix_size = static_cast<std::uint8_t>(n);
}

branch_id branch_generator::next() noexcept {
  branch_id id;
  std::memcpy(id._text, _prefix, _prefix_size);
  // counter + key is a bijection of the counter, and so is mix(): unique for 2^64 ids.
  std::uint64_t v = mix(_counter++ + _key);
  char* out = id._text + _prefix_size;
  for (int i = 15; i >= 0; --i) {
    out[i] = hex_digits[v & 0xf];
    v >>= 4;
  }
  id._size = static_cast<std::uint8_t>(_prefix_size + 16);
  return id;
}

std::optional<unsigned> shard_of_branch(std::string_view branch) noexcept {
  if (branch.size() < own_prefix.size() + 2 + 16 || branch.substr(0, own_prefix.size()) != own_prefix)
    return std::nullopt;
  std::size_t i = own_prefix.size();
  unsigned shard = 0;
  std::size_t digits = 0;
  for (; i < branch.size() && branch[i] != '.'; ++i, ++digits) {
    const int v = hex_value(branch[i]);
    if (v < 0 || digits == 4) return std::nullopt;
    shard = shard * 16 + static_cast<unsigned>(v);
  }
  if (digits == 0 || i == branch.size() || branch.size() - i - 1 != 16) return std::nullopt;
  for (++i; i < branch.size(); ++i)
    if (hex_value(branch[i]) < 0) return std::nullopt;
  return shard;
}

}  // namespace sipring::sip
