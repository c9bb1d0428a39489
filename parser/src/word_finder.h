#pragma once
// Stage 2's view of the message for the scalar implementation: the same answers as
// mask_finder, computed eight bytes at a time in general-purpose registers (SWAR). Building
// eleven masks byte by byte would cost more than the whole parse; this finds only what stage 2
// asks for, and never reads past the end.

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "char_class.h"

namespace sipring::parser::internal {

class word_finder {
 public:
  static constexpr bool has_lines = false;

  explicit word_finder(std::string_view bytes) noexcept
      : _data(bytes.data()), _size(static_cast<std::uint32_t>(bytes.size())) {}

  /// Position of the first LF at or after `pos`, or size(). Finds it as the first control
  /// byte, which in a plain line is the CR of its CRLF: then it also knows the line holds no
  /// other, which first_bad uses.
  std::uint32_t next_lf(std::uint32_t pos) noexcept {
    const std::uint32_t special = first_special(pos);
    _clean_from = pos;
    _clean_to = special;
    if (special + 1 < _size && _data[special] == '\r' && _data[special + 1] == '\n') return special + 1;
    if (special < _size && _data[special] == '\n') return special;
    return plain_next_lf(special);
  }

  /// The first byte at or after `pos` that is not a token character; an LF must follow `pos`.
  std::uint32_t token_end(std::uint32_t pos) const noexcept {
    while (chars::is_token(_data[pos])) ++pos;
    return pos;
  }

  std::uint32_t first_bad(std::uint32_t from, std::uint32_t to) noexcept {
    if (from >= _clean_from && to <= _clean_to) return to;  // within what next_lf saw clean
    while (from + 8 <= to) {
      const std::uint64_t x = load(from);
      // Any byte below 0x20 or equal to 0x7F: look closer (HT is allowed).
      if ((below_0x20(x) | zero_bytes(x ^ ones * 0x7f)) != 0) break;
      from += 8;
    }
    for (; from < to; ++from) {
      const auto c = static_cast<unsigned char>(_data[from]);
      if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) return from;
    }
    return to;
  }

  std::uint32_t size() const noexcept { return _size; }

 private:
  // The first byte at or after `pos` below 0x20 or equal to 0x7F, or size().
  std::uint32_t first_special(std::uint32_t pos) const noexcept {
    while (pos + 8 <= _size) {
      const std::uint64_t x = load(pos);
      const std::uint64_t hits = below_0x20(x) | zero_bytes(x ^ ones * 0x7f);
      // The lowest flagged byte is exact (borrows only flag bytes above a true hit).
      if (hits != 0) return pos + static_cast<std::uint32_t>(std::countr_zero(hits) / 8);
      pos += 8;
    }
    while (pos < _size && static_cast<unsigned char>(_data[pos]) >= 0x20 && _data[pos] != 0x7f) ++pos;
    return pos;
  }

  std::uint32_t plain_next_lf(std::uint32_t pos) const noexcept {
    while (pos + 8 <= _size) {
      const std::uint64_t zero = zero_bytes(load(pos) ^ ones * '\n');
      if (zero != 0) return pos + static_cast<std::uint32_t>(std::countr_zero(zero) / 8);
      pos += 8;
    }
    while (pos < _size && _data[pos] != '\n') ++pos;
    return pos;
  }

  static constexpr std::uint64_t ones = 0x0101010101010101ull;
  static constexpr std::uint64_t highs = 0x8080808080808080ull;

  std::uint64_t load(std::uint32_t pos) const noexcept {
    std::uint64_t x;
    std::memcpy(&x, _data + pos, 8);
    return x;  // little-endian: byte i of the message is bits 8i..8i+7
  }
  // High bit set in each byte that is zero; exact (no false positives from borrows).
  static std::uint64_t zero_bytes(std::uint64_t x) noexcept {
    return ~(((x & ~highs) + ~highs) | x | ~highs);
  }
  // Non-zero when some byte is below 0x20 (may flag more bytes after the first; the caller
  // only uses it as a hint).
  static std::uint64_t below_0x20(std::uint64_t x) noexcept {
    return (x - ones * 0x20) & ~x & highs;
  }

  const char* _data;
  std::uint32_t _size;
  // [_clean_from, _clean_to) holds no control byte (the last next_lf's line up to its CR).
  std::uint32_t _clean_from = 0;
  std::uint32_t _clean_to = 0;
};

}  // namespace sipring::parser::internal
