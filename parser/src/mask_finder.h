#pragma once
// Stage 2's view of stage 1 for the vector implementations: answers "where is the next LF" and
// "where is the first bad byte" from the structural masks, scanning the message a window of
// blocks at a time so a 64 KiB message needs no 64 KiB of masks.

#include <algorithm>
#include <bit>
#include <cstdint>
#include <string_view>

#include "sipring/parser/internal/structural_scan.h"

namespace sipring::parser::internal {

class mask_finder {
 public:
  mask_finder(std::string_view bytes, scan_function scan) noexcept
      : _data(bytes.data()), _size(static_cast<std::uint32_t>(bytes.size())), _scan(scan) {}

  /// Position of the first LF at or after `pos`, or size() when there is none.
  std::uint32_t next_lf(std::uint32_t pos) noexcept {
    // Fast path: the LF is in the same block as `pos`, which is in the window.
    const std::uint32_t block = pos / block_size;
    if (block - _window_first < _window_count) {
      const std::uint64_t bits = _masks[block - _window_first].lf & (~std::uint64_t{0} << (pos % block_size));
      if (bits != 0) return block * block_size + static_cast<std::uint32_t>(std::countr_zero(bits));
    }
    return first_of(&structural_masks::lf, pos, _size);
  }

  /// Position of the first CR or control byte (other than HT) in [from, to), or `to`.
  std::uint32_t first_bad(std::uint32_t from, std::uint32_t to) noexcept {
    // Most windows hold no control byte and no CR outside a CRLF: then there is nothing to find.
    if (to <= _clean_end && from >= _window_first * block_size) return to;
    if (to > from) {
      block_masks(from / block_size);
      if (to <= _clean_end) return to;
    }
    const std::uint32_t cr = first_of(&structural_masks::cr, from, to);
    return first_of(&structural_masks::control, from, cr);
  }

  std::uint32_t size() const noexcept { return _size; }

 private:
  static constexpr std::uint32_t window_blocks = 32;

  std::uint32_t first_of(std::uint64_t structural_masks::*cls, std::uint32_t from,
                         std::uint32_t to) noexcept {
    while (from < to) {
      const std::uint32_t block = from / block_size;
      const structural_masks& m = block_masks(block);
      const std::uint64_t bits = (m.*cls) & (~std::uint64_t{0} << (from % block_size));
      if (bits != 0) {
        const std::uint32_t pos = block * block_size + static_cast<std::uint32_t>(std::countr_zero(bits));
        return pos < to ? pos : to;
      }
      from = (block + 1) * block_size;
    }
    return to;
  }

  const structural_masks& block_masks(std::uint32_t block) noexcept {
    if (block < _window_first || block >= _window_first + _window_count) {
      _window_first = block;
      const std::uint32_t offset = block * block_size;
      const std::uint32_t bytes = std::min<std::uint32_t>(_size - offset, window_blocks * block_size);
      _window_count = static_cast<std::uint32_t>(block_count(bytes));
      _scan(_data + offset, bytes, _masks);
      _clean_end = is_clean() ? (_window_first + _window_count) * block_size : 0;
    }
    return _masks[block - _window_first];
  }

  // No control byte, and every CR followed by LF (a CR in a window's last byte counts as bare).
  bool is_clean() const noexcept {
    std::uint64_t dirty = 0;
    for (std::uint32_t b = 0; b < _window_count; ++b) {
      const std::uint64_t next_lf = b + 1 < _window_count ? _masks[b + 1].lf << 63 : 0;
      dirty |= _masks[b].control | (_masks[b].cr & ~((_masks[b].lf >> 1) | next_lf));
    }
    return dirty == 0;
  }

  const char* _data;
  std::uint32_t _size;
  scan_function _scan;
  std::uint32_t _window_first = 0;
  std::uint32_t _window_count = 0;
  std::uint32_t _clean_end = 0;  ///< end of the window when it is clean, else 0
  structural_masks _masks[window_blocks];
};

}  // namespace sipring::parser::internal
