// Stage 1, portable reference: one byte at a time through a class table. Used on CPUs without
// AVX2 for the structural masks and as the reference the vector scanners are tested against.
// (The scalar parse path does not build masks: see word_finder.h.)

#include <algorithm>
#include <array>
#include <cstring>

#include "char_class.h"
#include "line_scan.h"
#include "sipring/parser/internal/structural_scan.h"

namespace sipring::parser::internal {

namespace {

enum : std::uint16_t {
  k_lf = 1 << 0, k_cr = 1 << 1, k_colon = 1 << 2, k_comma = 1 << 3, k_semicolon = 1 << 4,
  k_langle = 1 << 5, k_rangle = 1 << 6, k_quote = 1 << 7, k_backslash = 1 << 8,
  k_space = 1 << 9, k_control = 1 << 10,
};

constexpr std::array<std::uint16_t, 256> make_classes() {
  std::array<std::uint16_t, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[static_cast<std::size_t>(c)] = k_control;
  t[0x7f] = k_control;
  t['\n'] = k_lf;
  t['\r'] = k_cr;
  t['\t'] = k_space;
  t[' '] = k_space;
  t[':'] = k_colon;
  t[','] = k_comma;
  t[';'] = k_semicolon;
  t['<'] = k_langle;
  t['>'] = k_rangle;
  t['"'] = k_quote;
  t['\\'] = k_backslash;
  return t;
}
constexpr auto classes = make_classes();

void scan_block(const unsigned char* p, structural_masks& m) noexcept {
  m = {};
  for (unsigned i = 0; i < block_size; ++i) {
    const std::uint16_t c = classes[p[i]];
    if (c == 0) continue;
    const std::uint64_t bit = std::uint64_t{1} << i;
    if (c & k_lf) m.lf |= bit;
    if (c & k_cr) m.cr |= bit;
    if (c & k_colon) m.colon |= bit;
    if (c & k_comma) m.comma |= bit;
    if (c & k_semicolon) m.semicolon |= bit;
    if (c & k_langle) m.langle |= bit;
    if (c & k_rangle) m.rangle |= bit;
    if (c & k_quote) m.quote |= bit;
    if (c & k_backslash) m.backslash |= bit;
    if (c & k_space) m.space |= bit;
    if (c & k_control) m.control |= bit;
  }
}

}  // namespace

void scan_scalar(const char* data, std::size_t size, structural_masks* out) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(data);
  const std::size_t full = size / block_size;
  for (std::size_t b = 0; b < full; ++b) scan_block(p + b * block_size, out[b]);
  if (const std::size_t tail = size % block_size; tail != 0) {
    unsigned char last[block_size] = {};
    std::memcpy(last, p + full * block_size, tail);
    scan_block(last, out[full]);
    // Zero padding is not a control byte of the message.
    out[full].control &= (std::uint64_t{1} << tail) - 1;
  }
}

void scan_lines_scalar(const char* message, std::size_t size, line_window& window) noexcept {
  line_scan::scan_window(size, window, [&](std::size_t offset, std::uint64_t, line_masks& m) {
    std::uint64_t lf = 0, bad = 0, non_token = 0;
    const std::size_t end = std::min(size - offset, block_size);
    for (std::size_t i = 0; i < end; ++i) {
      const char c = message[offset + i];
      const std::uint64_t bit = std::uint64_t{1} << i;
      if (c == '\n') lf |= bit;
      else if (c != '\t' && chars::is(c, chars::ctl)) bad |= bit;
      if (!chars::is_token(c)) non_token |= bit;
    }
    m.lf = lf;
    m.non_token = non_token;
    m.dirty = line_scan::dirty_bits(lf, bad);
    return lf;
  });
}

line_scan_function line_scanner_for(simd_level level) noexcept {
  switch (level) {
    case simd_level::avx512: return scan_lines_avx512;
    case simd_level::avx2: return scan_lines_avx2;
    case simd_level::scalar: break;
  }
  return scan_lines_scalar;
}

scan_function scanner_for(simd_level level) noexcept {
  switch (level) {
    case simd_level::avx512: return scan_avx512;
    case simd_level::avx2: return scan_avx2;
    case simd_level::scalar: break;
  }
  return scan_scalar;
}

}  // namespace sipring::parser::internal
