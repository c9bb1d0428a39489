#pragma once
// Latency histogram: log-linear buckets (HdrHistogram's layout, 16 sub-buckets per power of two,
// so a value is known within 1/16 = 6 %), a fixed array: recording is an index computation and an
// increment, never an allocation. Values in microseconds.

#include <array>
#include <bit>
#include <cstdint>

namespace sipring::load {

class histogram {
 public:
  static constexpr unsigned sub_bits = 4;
  static constexpr unsigned sub = 1u << sub_bits;
  static constexpr unsigned buckets = (64 - sub_bits + 1) * sub;

  void record(std::uint64_t v) noexcept {
    ++_counts[index_of(v)];
    ++_total;
    if (v > _max) _max = v;
  }
  void merge(const histogram& o) noexcept {
    for (unsigned i = 0; i < buckets; ++i) _counts[i] += o._counts[i];
    _total += o._total;
    if (o._max > _max) _max = o._max;
  }
  std::uint64_t total() const noexcept { return _total; }
  std::uint64_t max() const noexcept { return _max; }
  /// The value at quantile q (0..1): the upper bound of its bucket, capped by the maximum; 0 when
  /// empty.
  std::uint64_t quantile(double q) const noexcept;

  static unsigned index_of(std::uint64_t v) noexcept {
    if (v < sub) return static_cast<unsigned>(v);
    const unsigned msb = 63u - static_cast<unsigned>(std::countl_zero(v));
    const unsigned shift = msb - sub_bits;
    return (shift + 1) * sub + static_cast<unsigned>((v >> shift) & (sub - 1));
  }
  /// The largest value of bucket i.
  static std::uint64_t upper_of(unsigned i) noexcept {
    if (i < sub) return i;
    const unsigned shift = i / sub - 1;
    const std::uint64_t base = (std::uint64_t{sub} + (i % sub)) << shift;
    return base + ((std::uint64_t{1} << shift) - 1);
  }

 private:
  std::array<std::uint64_t, buckets> _counts{};
  std::uint64_t _total = 0;
  std::uint64_t _max = 0;
};

}  // namespace sipring::load
