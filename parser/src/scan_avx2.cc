// Stage 1 with AVX2: two 32-byte vectors per block, one compare and movemask per class.
// Compiled with -mavx2 (see parser/CMakeLists.txt); only called when the CPU has AVX2.

#include <immintrin.h>

#include <cstring>

#include "char_class.h"
#include "line_scan.h"
#include "sipring/parser/internal/structural_scan.h"

namespace sipring::parser::internal {

namespace {

inline std::uint64_t movemask64(__m256i lo, __m256i hi) noexcept {
  return static_cast<std::uint32_t>(_mm256_movemask_epi8(lo)) |
         (std::uint64_t{static_cast<std::uint32_t>(_mm256_movemask_epi8(hi))} << 32);
}

inline std::uint64_t eq(__m256i lo, __m256i hi, char c) noexcept {
  const __m256i v = _mm256_set1_epi8(c);
  return movemask64(_mm256_cmpeq_epi8(lo, v), _mm256_cmpeq_epi8(hi, v));
}

// Bytes below 0x20 or equal to 0x7F: unsigned min(x, 0x1F) == x.
inline __m256i control_bytes(__m256i x) noexcept {
  const __m256i low = _mm256_cmpeq_epi8(_mm256_min_epu8(x, _mm256_set1_epi8(0x1f)), x);
  return _mm256_or_si256(low, _mm256_cmpeq_epi8(x, _mm256_set1_epi8(0x7f)));
}

inline void scan_block(const char* p, structural_masks& m) noexcept {
  const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  const __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
  m.lf = eq(lo, hi, '\n');
  m.cr = eq(lo, hi, '\r');
  m.colon = eq(lo, hi, ':');
  m.comma = eq(lo, hi, ',');
  m.semicolon = eq(lo, hi, ';');
  m.langle = eq(lo, hi, '<');
  m.rangle = eq(lo, hi, '>');
  m.quote = eq(lo, hi, '"');
  m.backslash = eq(lo, hi, '\\');
  const std::uint64_t tab = eq(lo, hi, '\t');
  m.space = eq(lo, hi, ' ') | tab;
  m.control = movemask64(control_bytes(lo), control_bytes(hi)) & ~(tab | m.cr | m.lf);
}

inline __m256i nibble_table(const std::uint8_t* t) noexcept {
  return _mm256_load_si256(reinterpret_cast<const __m256i*>(t));
}

// Token bytes: both nibble lookups share a bit.
inline __m256i token_bytes(__m256i x) noexcept {
  const __m256i low_nibbles = _mm256_set1_epi8(0x0f);
  const __m256i lo = _mm256_shuffle_epi8(nibble_table(chars::token_nibbles.low),
                                         _mm256_and_si256(x, low_nibbles));
  const __m256i hi = _mm256_shuffle_epi8(nibble_table(chars::token_nibbles.high),
                                         _mm256_and_si256(_mm256_srli_epi16(x, 4), low_nibbles));
  return _mm256_cmpeq_epi8(_mm256_and_si256(lo, hi), _mm256_setzero_si256());  // non-token
}

}  // namespace

void scan_lines_avx2(const char* message, std::size_t size, line_window& window) noexcept {
  line_scan::scan_window(size, window, [&](std::size_t offset, std::uint64_t valid, line_masks& m) {
    alignas(32) char last[block_size];
    const char* p = message + offset;
    if (valid != ~std::uint64_t{0}) {
      std::memset(last, 0, block_size);
      std::memcpy(last, p, size - offset);
      p = last;
    }
    const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    const __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
    const std::uint64_t lf = eq(lo, hi, '\n');
    const std::uint64_t bad = movemask64(control_bytes(lo), control_bytes(hi)) & ~(eq(lo, hi, '\t') | lf) & valid;
    m.lf = lf;
    m.non_token = movemask64(token_bytes(lo), token_bytes(hi)) & valid;
    m.dirty = line_scan::dirty_bits(lf, bad);
    return lf;
  });
}

void scan_avx2(const char* data, std::size_t size, structural_masks* out) noexcept {
  const std::size_t full = size / block_size;
  for (std::size_t b = 0; b < full; ++b) scan_block(data + b * block_size, out[b]);
  if (const std::size_t tail = size % block_size; tail != 0) {
    alignas(32) char last[block_size] = {};
    std::memcpy(last, data + full * block_size, tail);
    scan_block(last, out[full]);
    out[full].control &= (std::uint64_t{1} << tail) - 1;
  }
}

}  // namespace sipring::parser::internal
