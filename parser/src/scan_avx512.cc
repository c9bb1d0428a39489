// Stage 1 with AVX-512BW: one 64-byte vector per block, compares straight into mask registers.
// The last block is a masked load, which never touches bytes past the end (no padding needed).
// Compiled with -mavx512bw (see parser/CMakeLists.txt); only called when the CPU has it.

#include <immintrin.h>

#include "char_class.h"
#include "sipring/parser/internal/structural_scan.h"

namespace sipring::parser::internal {

namespace {

inline std::uint64_t eq(__m512i x, char c) noexcept {
  return _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8(c));
}

inline void scan_vector(__m512i x, std::uint64_t valid, structural_masks& m) noexcept {
  m.lf = eq(x, '\n');
  m.cr = eq(x, '\r');
  m.colon = eq(x, ':');
  m.comma = eq(x, ',');
  m.semicolon = eq(x, ';');
  m.langle = eq(x, '<');
  m.rangle = eq(x, '>');
  m.quote = eq(x, '"');
  m.backslash = eq(x, '\\');
  const std::uint64_t tab = eq(x, '\t');
  m.space = eq(x, ' ') | tab;
  const std::uint64_t control =
      _mm512_cmple_epu8_mask(x, _mm512_set1_epi8(0x1f)) | eq(x, 0x7f);
  m.control = control & ~(tab | m.cr | m.lf) & valid;
}

inline __m512i nibble_table(const std::uint8_t* t) noexcept {
  return _mm512_load_si512(t);
}

inline line_masks line_vector(__m512i x, std::uint64_t valid) noexcept {
  const __m512i low_nibbles = _mm512_set1_epi8(0x0f);
  const __m512i lo = _mm512_shuffle_epi8(nibble_table(chars::token_nibbles.low),
                                         _mm512_and_si512(x, low_nibbles));
  const __m512i hi = _mm512_shuffle_epi8(nibble_table(chars::token_nibbles.high),
                                         _mm512_and_si512(_mm512_srli_epi16(x, 4), low_nibbles));
  line_masks m;
  m.lf = eq(x, '\n');
  const std::uint64_t control =
      _mm512_cmple_epu8_mask(x, _mm512_set1_epi8(0x1f)) | eq(x, 0x7f);
  m.bad = control & ~(eq(x, '\t') | m.lf) & valid;
  m.non_token = _mm512_testn_epi8_mask(lo, hi) & valid;
  return m;
}

}  // namespace

std::size_t scan_lines_avx512(const char* data, std::size_t size, line_masks* out) noexcept {
  const std::size_t full = size / block_size;
  for (std::size_t b = 0; b < full; ++b) {
    out[b] = line_vector(_mm512_loadu_si512(data + b * block_size), ~std::uint64_t{0});
    if (holds_empty_line(out[b])) return b + 1;
  }
  if (const std::size_t tail = size % block_size; tail != 0) {
    const std::uint64_t valid = (std::uint64_t{1} << tail) - 1;
    out[full] = line_vector(_mm512_maskz_loadu_epi8(valid, data + full * block_size), valid);
    return full + 1;
  }
  return full;
}

void scan_avx512(const char* data, std::size_t size, structural_masks* out) noexcept {
  const std::size_t full = size / block_size;
  for (std::size_t b = 0; b < full; ++b)
    scan_vector(_mm512_loadu_si512(data + b * block_size), ~std::uint64_t{0}, out[b]);
  if (const std::size_t tail = size % block_size; tail != 0) {
    const std::uint64_t valid = (std::uint64_t{1} << tail) - 1;
    scan_vector(_mm512_maskz_loadu_epi8(valid, data + full * block_size), valid, out[full]);
  }
}

}  // namespace sipring::parser::internal
