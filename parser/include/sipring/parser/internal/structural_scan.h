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

}  // namespace sipring::parser::internal
