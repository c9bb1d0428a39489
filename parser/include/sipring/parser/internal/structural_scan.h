#pragma once
// Stage 1 of the parser: finds the structural bytes of SIP a vector at a time and records them
// as one bitmask per class per 64-byte block (bit i of block b is byte 64*b + i). Stage 2
// (message_index.h) walks these masks to build the header index.
//
// Exposed for tests and benchmarks (every implementation must give identical masks); the
// engine never calls it directly.
//
// Padding contract: none. An implementation never reads past `size`: AVX-512 uses masked loads
// for the last block, AVX2 and scalar copy it into a zeroed stack block. Bytes past `size` in
// the last block have no bits set.

#include <cstddef>
#include <cstdint>

#include "sipring/parser/simd_level.h"

namespace sipring::parser::internal {

inline constexpr std::size_t block_size = 64;

/// The structural classes of one 64-byte block. No default values: scanners write every field,
/// and stage 2 keeps a window of these on the stack that must not be zeroed per parse.
struct structural_masks {
  std::uint64_t lf;
  std::uint64_t cr;
  std::uint64_t colon;
  std::uint64_t comma;
  std::uint64_t semicolon;
  std::uint64_t langle;     ///< '<'
  std::uint64_t rangle;     ///< '>'
  std::uint64_t quote;      ///< '"'
  std::uint64_t backslash;
  std::uint64_t space;      ///< SP and HT
  std::uint64_t control;    ///< 0x00-0x1F and 0x7F other than HT, CR and LF

  friend bool operator==(const structural_masks&, const structural_masks&) = default;
};

/// Blocks needed for `size` bytes.
constexpr std::size_t block_count(std::size_t size) noexcept {
  return (size + block_size - 1) / block_size;
}

/// Scans `size` bytes into block_count(size) masks.
using scan_function = void (*)(const char* data, std::size_t size, structural_masks* out) noexcept;

void scan_scalar(const char* data, std::size_t size, structural_masks* out) noexcept;
void scan_avx2(const char* data, std::size_t size, structural_masks* out) noexcept;
void scan_avx512(const char* data, std::size_t size, structural_masks* out) noexcept;

/// The scanner of an implementation level.
scan_function scanner_for(simd_level level) noexcept;

/// What stage 2 needs on the parse path, per 64-byte block: three classes instead of eleven.
/// Bits past the end of the input are clear in every mask.
struct line_masks {
  std::uint64_t lf;
  std::uint64_t non_token;  ///< bytes that are not RFC 3261 token characters (LF included)
  /// CR and control bytes (0x00-0x1F, 0x7F) other than HT and LF, except those just before an
  /// LF in the same block: what first_bad finds (it is never asked about the byte before an LF).
  std::uint64_t dirty;

  friend bool operator==(const line_masks&, const line_masks&) = default;
};

/// Stage 1's output on the parse path: the line masks of a run of blocks (a window) and the
/// position of every LF in them, in order.
struct line_window {
  static constexpr std::uint32_t max_blocks = 32;
  static constexpr std::uint32_t max_lfs = 512;  ///< a scan stops before a block could overflow it
  std::uint32_t first_block = 0;  ///< the window's first block in the message
  std::uint32_t blocks = 0;       ///< blocks scanned so far
  std::uint32_t lf_count = 0;
  std::uint32_t dirty_blocks = 0;  ///< bit i: masks[i].dirty is not zero
  /// masks[blocks] is all zero (a sentinel, so that stage 2 can look one block ahead).
  line_masks masks[max_blocks + 1];
  std::uint32_t lfs[max_lfs + 4];  ///< message offsets; scanners may write 4 entries past lf_count
};

/// Scans the blocks of `message` that follow the window's scanned ones into it. Stops at the end
/// of the message, at max_blocks, before a block whose LFs might not fit, and one block after
/// the first block of this call that holds "LF x LF" (usually the empty line that ends the
/// header section; stage 2 looks one block ahead), since stage 2 rarely needs anything after it. Scans at
/// least one block when the window has room and the message has bytes left. Stage 2 calls it
/// again when it needs more.
using line_scan_function = void (*)(const char* message, std::size_t size, line_window& window) noexcept;

void scan_lines_scalar(const char* message, std::size_t size, line_window& window) noexcept;
void scan_lines_avx2(const char* message, std::size_t size, line_window& window) noexcept;
void scan_lines_avx512(const char* message, std::size_t size, line_window& window) noexcept;

/// The line scanner of an implementation level.
line_scan_function line_scanner_for(simd_level level) noexcept;

}  // namespace sipring::parser::internal
