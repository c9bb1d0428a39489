// Stage 1 with AVX-512BW: one 64-byte vector per block, compares straight into mask registers.
// The last block is a masked load, which never touches bytes past the end (no padding needed).
// Compiled with -mavx512bw (see parser/CMakeLists.txt); only called when the CPU has it.

#include <immintrin.h>

#include "char_class.h"
#include "line_scan.h"
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

}  // namespace

void scan_lines_avx512(const char* message, std::size_t size, line_window& window) noexcept {
  const __m512i low_nibbles = _mm512_set1_epi8(0x0f);
  const __m512i token_low = nibble_table(chars::token_nibbles.low);
  const __m512i token_high = nibble_table(chars::token_nibbles.high);
  line_scan::scan_window(size, window, [&](std::size_t offset, std::uint64_t valid, line_masks& m) {
    const __m512i x = valid == ~std::uint64_t{0} ? _mm512_loadu_si512(message + offset)
                                                 : _mm512_maskz_loadu_epi8(valid, message + offset);
    const __m512i lo = _mm512_shuffle_epi8(token_low, _mm512_and_si512(x, low_nibbles));
    const __m512i hi = _mm512_shuffle_epi8(token_high, _mm512_and_si512(_mm512_srli_epi16(x, 4), low_nibbles));
    const __mmask64 lf = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('\n'));
    const __mmask64 control = _kor_mask64(_mm512_cmple_epu8_mask(x, _mm512_set1_epi8(0x1f)),
                                          _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8(0x7f)));
    const __mmask64 ht_or_lf = _kor_mask64(_mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('\t')), lf);
    // bad & ~(lf >> 1), with bad = control & ~(HT | LF); `valid` drops the zeroed tail.
    const __mmask64 bad = _kand_mask64(_kandn_mask64(ht_or_lf, control), valid);
    m.lf = lf;
    m.non_token = _mm512_mask_testn_epi8_mask(valid, lo, hi);
    m.dirty = _kandn_mask64(_kshiftri_mask64(lf, 1), bad);
    return static_cast<std::uint64_t>(lf);
  });
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
