#pragma once
// Stage 2's view of stage 1 for the vector implementations. Stage 1 (a line scanner) fills a
// window of line masks and the list of LF positions, lazily: the first call scans up to the
// empty line that usually ends the header section, so the body is not scanned, and a 64 KiB
// message needs no 64 KiB of masks. Stage 2 reads runs of plain header lines straight off the
// LF list (lines_from) and asks the questions below about anything else.

#include <algorithm>
#include <bit>
#include <cstdint>
#include <string_view>

#include "sipring/parser/internal/structural_scan.h"

namespace sipring::parser::internal {

class mask_finder {
 public:
  static constexpr bool has_lines = true;

  mask_finder(std::string_view bytes, line_scan_function scan) noexcept
      : _data(bytes.data()), _size(static_cast<std::uint32_t>(bytes.size())), _scan(scan) {}

  /// Lines that start at a position `pos` in the window: their LFs lf[next..end) are the
  /// scanned LFs from the first at or after `pos` on, up to the first that is followed by a byte
  /// not scanned (or past the end), or by a CR or control byte (other than HT and LF) that is not
  /// just before an LF. Empty (next == end) when the position's block is not scanned.
  struct lines {
    const std::uint32_t* lf;
    std::uint32_t next;
    std::uint32_t end;
    const line_masks* masks;  ///< the window's, with its sentinel
    std::uint32_t first_block;

    /// The first byte at or after `pos` that is not a token character, for `pos` in the window
    /// before an LF of the list.
    std::uint32_t token_end(std::uint32_t pos) const noexcept {
      const std::uint32_t block = pos / block_size;
      const line_masks* m = masks + (block - first_block);
      const std::uint64_t here = m[0].non_token & (~std::uint64_t{0} << (pos % block_size));
      const auto at = static_cast<std::uint32_t>(std::countr_zero(here) +
                                                 (here == 0 ? std::countr_zero(m[1].non_token) : 0));
      return block * block_size + at;
    }
  };

  lines lines_from(std::uint32_t pos) noexcept {
    lines r{_w.lfs, 0, 0, _w.masks, _w.first_block};
    const std::uint32_t block = pos / block_size;
    const std::uint32_t rel = block - _w.first_block;
    if (rel >= _w.blocks) return r;
    const std::uint32_t scanned_end =
        std::min(static_cast<std::uint32_t>((_w.first_block + _w.blocks) * block_size), _size);
    // The first dirty byte at or after pos: in its block, or in the next block with any.
    std::uint32_t clean_end = scanned_end;
    const std::uint64_t here = _w.masks[rel].dirty & (~std::uint64_t{0} << (pos % block_size));
    if (here != 0) {
      clean_end = block * block_size + static_cast<std::uint32_t>(std::countr_zero(here));
    } else if (const std::uint64_t later = std::uint64_t{_w.dirty_blocks} >> (rel + 1); later != 0) {
      const std::uint32_t b = rel + 1 + static_cast<std::uint32_t>(std::countr_zero(later));
      clean_end = (_w.first_block + b) * block_size + static_cast<std::uint32_t>(std::countr_zero(_w.masks[b].dirty));
    }
    clean_end = std::min(clean_end, scanned_end);
    const std::uint32_t* lfs_end = _w.lfs + _w.lf_count;
    const std::uint32_t* first = std::lower_bound(static_cast<const std::uint32_t*>(_w.lfs), lfs_end, pos);
    r.next = static_cast<std::uint32_t>(first - _w.lfs);
    // LFs below clean_end - 1: the byte after each is clean too.
    r.end = clean_end == 0 ? r.next : static_cast<std::uint32_t>(std::lower_bound(first, lfs_end, clean_end - 1) - _w.lfs);
    return r;
  }

  /// Position of the first LF at or after `pos`, or size() when there is none.
  std::uint32_t next_lf(std::uint32_t pos) noexcept { return next_of(&line_masks::lf, pos); }

  /// Position of the first byte at or after `pos` that is not a token character. There must be
  /// an LF at or after `pos` (an LF is not a token character), so the answer is below size().
  std::uint32_t token_end(std::uint32_t pos) noexcept { return next_of(&line_masks::non_token, pos); }

  /// Position of the first CR or control byte (other than HT and LF) in [from, to), or `to`;
  /// `to` is at most the first LF at or after `from`, less one (the dirty mask leaves out the
  /// byte before an LF).
  std::uint32_t first_bad(std::uint32_t from, std::uint32_t to) noexcept {
    // Fast path: the blocks of `from` and the next one are scanned, and either hold a bad byte
    // at or after `from`, or `to` lies within them (values are mostly shorter than a block).
    const std::uint32_t block = from / block_size;
    const std::uint32_t rel = block - _w.first_block;
    if (rel < _w.blocks && rel + 1 < _w.blocks) {  // rel wraps when block < first_block
      const std::uint64_t here = _w.masks[rel].dirty & (~std::uint64_t{0} << (from % block_size));
      const std::uint64_t next = _w.masks[rel + 1].dirty;
      const auto at = static_cast<std::uint32_t>(std::countr_zero(here) +
                                                 (here == 0 ? std::countr_zero(next) : 0));
      const std::uint32_t pos = block * block_size + at;  // past both blocks when none
      if (at < 2 * block_size || to <= pos) return pos < to ? pos : to;
    }
    return from < to ? first_of(&line_masks::dirty, from, to) : to;
  }

  std::uint32_t size() const noexcept { return _size; }

 private:
  // The first bit of a class at or after `pos`, or size(). Fast path: it lies in the block of
  // `pos` or the next one (a header line is usually shorter than a block, and often crosses
  // into the next), both scanned; picked without a branch.
  std::uint32_t next_of(std::uint64_t line_masks::*cls, std::uint32_t pos) noexcept {
    const std::uint32_t block = pos / block_size;
    const std::uint32_t rel = block - _w.first_block;
    if (rel < _w.blocks && rel + 1 < _w.blocks) {  // rel wraps when block < first_block
      const std::uint64_t here = (_w.masks[rel].*cls) & (~std::uint64_t{0} << (pos % block_size));
      const std::uint64_t next = _w.masks[rel + 1].*cls;
      const auto at = static_cast<std::uint32_t>(std::countr_zero(here) +
                                                 (here == 0 ? std::countr_zero(next) : 0));
      if (at < 2 * block_size) return block * block_size + at;
    }
    return first_of(cls, pos, _size);
  }

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
  // window grows up to its limits, then starts again at `block`.
  const line_masks& block_masks(std::uint32_t block) noexcept {
    if (block - _w.first_block >= line_window::max_blocks) restart(block);
    while (block >= _w.first_block + _w.blocks) {
      const std::uint32_t before = _w.blocks;
      _scan(_data, _size, _w);
      if (_w.blocks == before) restart(block);  // the LF list is full
    }
    return _w.masks[block - _w.first_block];
  }

  void restart(std::uint32_t block) noexcept {
    _w.first_block = block;
    _w.blocks = 0;
    _w.lf_count = 0;
    _w.dirty_blocks = 0;
  }

  const char* _data;
  std::uint32_t _size;
  line_scan_function _scan;
  line_window _w;
};

}  // namespace sipring::parser::internal
