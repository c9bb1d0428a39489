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
  std::uint64_t bad;        ///< CR and control bytes other than HT and LF (0x00-0x1F, 0x7F)
  std::uint64_t non_token;  ///< bytes that are not RFC 3261 token characters (LF included)

  friend bool operator==(const line_masks&, const line_masks&) = default;
};

/// Scans blocks of `size` bytes into `out` (at most block_count(size) of them) and returns how
/// many it scanned: it stops after the first block that holds a whole "LF CR LF" (where the
/// header section usually ends), since stage 2 rarely needs anything after it. Stage 2 calls it
/// again for the blocks after that when it does.
using line_scan_function = std::size_t (*)(const char* data, std::size_t size,
                                           line_masks* out) noexcept;

std::size_t scan_lines_scalar(const char* data, std::size_t size, line_masks* out) noexcept;
std::size_t scan_lines_avx2(const char* data, std::size_t size, line_masks* out) noexcept;
std::size_t scan_lines_avx512(const char* data, std::size_t size, line_masks* out) noexcept;

/// The line scanner of an implementation level.
line_scan_function line_scanner_for(simd_level level) noexcept;

/// Whether a block's masks hold a whole "LF CR LF" (a CR counts as bad): the line scanners stop
/// after such a block.
constexpr bool holds_empty_line(const line_masks& m) noexcept {
  return (m.lf & (m.bad << 1) & (m.lf << 2)) != 0;
}

}  // namespace sipring::parser::internal
