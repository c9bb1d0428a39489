#pragma once
// Stage 2's view of stage 1 for the vector implementations: answers "where is the next LF",
// "where does this token end" and "where is the first bad byte" from the line masks, which the
// scanner computes lazily, a window of blocks at a time: the first call scans up to the empty
// line that usually ends the header section, so the body is not scanned, and a 64 KiB message
// needs no 64 KiB of masks.

#include <algorithm>
#include <bit>
#include <cstdint>
#include <string_view>

#include "sipring/parser/internal/structural_scan.h"

namespace sipring::parser::internal {

class mask_finder {
 public:
  mask_finder(std::string_view bytes, line_scan_function scan) noexcept
      : _data(bytes.data()), _size(static_cast<std::uint32_t>(bytes.size())), _scan(scan) {}

  /// Position of the first LF at or after `pos`, or size() when there is none.
  std::uint32_t next_lf(std::uint32_t pos) noexcept {
    // Fast path: the LF is in the same block as `pos`, which is scanned.
    const std::uint32_t block = pos / block_size;
    if (block - _window_first < _window_count) {
      const std::uint64_t bits = _masks[block - _window_first].lf & (~std::uint64_t{0} << (pos % block_size));
      if (bits != 0) return block * block_size + static_cast<std::uint32_t>(std::countr_zero(bits));
    }
    return first_of(&line_masks::lf, pos, _size);
  }

  /// Position of the first byte at or after `pos` that is not a token character. There must be
  /// an LF at or after `pos` (an LF is not a token character), so the answer is below size().
  std::uint32_t token_end(std::uint32_t pos) noexcept {
    const std::uint32_t block = pos / block_size;
    if (block - _window_first < _window_count) {
      const std::uint64_t bits = _masks[block - _window_first].non_token & (~std::uint64_t{0} << (pos % block_size));
      if (bits != 0) return block * block_size + static_cast<std::uint32_t>(std::countr_zero(bits));
    }
    return first_of(&line_masks::non_token, pos, _size);
  }

  /// Position of the first CR or control byte (other than HT and LF) in [from, to), or `to`.
  std::uint32_t first_bad(std::uint32_t from, std::uint32_t to) noexcept {
    // Most windows hold no control byte and no CR outside a CRLF: then there is nothing to find.
    if (to <= _clean_end && from >= _window_first * block_size) return to;
    return first_of(&line_masks::bad, from, to);
  }

  std::uint32_t size() const noexcept { return _size; }

 private:
  static constexpr std::uint32_t window_blocks = 32;

  [[gnu::noinline]] std::uint32_t first_of(std::uint64_t line_masks::*cls, std::uint32_t from,
                                           std::uint32_t to) noexcept {
    while (from < to) {
      const std::uint32_t block = from / block_size;
      const line_masks& m = block_masks(block);
      const std::uint64_t bits = (m.*cls) & (~std::uint64_t{0} << (from % block_size));
      if (bits != 0) {
        const std::uint32_t pos = block * block_size + static_cast<std::uint32_t>(std::countr_zero(bits));
        return pos < to ? pos : to;
      }
      from = (block + 1) * block_size;
    }
    return to;
  }

  // The masks of `block` (which holds bytes of the message), scanning what is missing: the
  // window grows up to window_blocks, then starts again at `block`.
  const line_masks& block_masks(std::uint32_t block) noexcept {
    if (block < _window_first || block >= _window_first + window_blocks) {
      _window_first = block;
      _window_count = 0;
      _clean_end = block * block_size;
    }
    while (block >= _window_first + _window_count) {
      const std::uint32_t first = _window_first + _window_count;
      const std::uint32_t offset = first * block_size;
      const std::uint32_t bytes =
          std::min<std::uint32_t>(_size - offset, (window_blocks - _window_count) * block_size);
      _window_count += static_cast<std::uint32_t>(_scan(_data + offset, bytes, _masks + _window_count));
      extend_clean();
    }
    return _masks[block - _window_first];
  }

  // Moves _clean_end past the window's bytes that hold no CR or control byte, ignoring bytes
  // just before an LF: first_bad is only asked about ranges that end before the next LF's
  // previous byte. (The window's last scanned byte counts until the next block is scanned.)
  void extend_clean() noexcept {
    const std::uint32_t end = (_window_first + _window_count) * block_size;
    while (_clean_end < end) {
      const std::uint32_t b = _clean_end / block_size - _window_first;
      const std::uint64_t next_lf = b + 1 < _window_count ? _masks[b + 1].lf << 63 : 0;
      const line_masks& m = _masks[b];
      const std::uint64_t dirty =
          m.bad & ~((m.lf >> 1) | next_lf) & (~std::uint64_t{0} << (_clean_end % block_size));
      if (dirty != 0) {
        _clean_end = (_window_first + b) * block_size + static_cast<std::uint32_t>(std::countr_zero(dirty));
        return;
      }
      _clean_end = (_window_first + b + 1) * block_size;
    }
  }

  const char* _data;
  std::uint32_t _size;
  line_scan_function _scan;
  std::uint32_t _window_first = 0;
  std::uint32_t _window_count = 0;  ///< blocks of the window scanned so far
  std::uint32_t _clean_end = 0;     ///< bytes from the window's first to here are clean
  line_masks _masks[window_blocks];
};

}  // namespace sipring::parser::internal
