#pragma once
// Helpers shared by the line scanners (scan_*.cc). Every function has internal linkage: the
// SIMD sources are compiled for their own ISA, and an inline function with external linkage
// could reach another source in that ISA's code.

#include <cstdint>

#include "sipring/parser/internal/structural_scan.h"

namespace sipring::parser::internal::line_scan {

/// Whether a block holds "LF x LF" (as in the empty line's LF CR LF).
static inline bool holds_empty_line(std::uint64_t lf) noexcept { return (lf & (lf << 2)) != 0; }

/// The dirty mask from the block's LF mask and its CR and control bytes other than HT and LF.
static inline std::uint64_t dirty_bits(std::uint64_t lf, std::uint64_t bad) noexcept {
  return bad & ~(lf >> 1);
}

/// Writes the positions of `bits` (block offset `base`) to `out` and returns how many: up to
/// four without a branch (a block of header lines rarely holds more), so `out` needs four
/// entries of room whatever the count.
static inline std::uint32_t flatten(std::uint64_t bits, std::uint32_t base, std::uint32_t* out) noexcept {
  const auto count = static_cast<std::uint32_t>(__builtin_popcountll(bits));
  for (int i = 0; i < 4; ++i) {
    out[i] = base + static_cast<std::uint32_t>(__builtin_ctzll(bits | (std::uint64_t{1} << 63)));
    bits &= bits - 1;
  }
  for (out += 4; bits != 0; ++out) {
    *out = base + static_cast<std::uint32_t>(__builtin_ctzll(bits));
    bits &= bits - 1;
  }
  return count;
}

/// Runs `scan_block(offset, valid, masks)` over the blocks that follow the window's scanned
/// ones, with the stop rules of line_scan_function. scan_block writes the block's masks (field
/// by field: a whole-struct copy would stall on store forwarding) and returns the LF mask.
template <class ScanBlock>
static inline void scan_window(std::size_t size, line_window& w,
                               ScanBlock&& scan_block) noexcept {
  const std::size_t total = (size + block_size - 1) / block_size;
  std::size_t b = w.first_block + w.blocks;
  std::size_t stop = total;
  // Counters in locals: the LF list's stores could alias the window's fields.
  std::uint32_t blocks = w.blocks, lf_count = w.lf_count, dirty_blocks = w.dirty_blocks;
  for (; b < stop && blocks < line_window::max_blocks && lf_count + block_size <= line_window::max_lfs;
       ++b) {
    const std::size_t offset = b * block_size;
    const std::size_t left = size - offset;
    const std::uint64_t valid = left >= block_size ? ~std::uint64_t{0} : (std::uint64_t{1} << left) - 1;
    line_masks& m = w.masks[blocks++];
    const std::uint64_t lf = scan_block(offset, valid, m);
    lf_count += flatten(lf, static_cast<std::uint32_t>(offset), w.lfs + lf_count);
    dirty_blocks |= static_cast<std::uint32_t>(m.dirty != 0) << (blocks - 1);
    if (stop == total && holds_empty_line(lf)) stop = b + 2 < total ? b + 2 : total;
  }
  w.blocks = blocks;
  w.lf_count = lf_count;
  w.dirty_blocks = dirty_blocks;
  w.masks[blocks] = line_masks{0, 0, 0};
}

}  // namespace sipring::parser::internal::line_scan
