#pragma once
// Stage 2 of the parser: walks the lines of a message (LF positions and bad bytes come from a
// Finder: mask_finder over the vector scanners' masks, or word_finder for scalar), checks the
// start line and header structure, and fills the message view's header index. Shared by all
// implementations so they cannot disagree on anything but the finder's answers, which the
// tests and the fuzzer compare.

#include <algorithm>
#include <span>
#include <string_view>

#include "char_class.h"
#include "header_name_lookup.h"
#include "sipring/parser/header_values.h"
#include "sipring/parser/message_view.h"
#include "sipring/parser/parse.h"
#include "start_line.h"
#include "view_checks.h"

namespace sipring::parser {

/// Writes the view's private fields; the only code that does.
struct message_view::filler {
  /// `v` is freshly constructed (counts zero); points it at `base` with no header yet.
  static void reset(message_view& v, const char* base) noexcept {
    v._base = base;
    std::fill(std::begin(v._first), std::end(v._first), no_header);
  }
  static void request(message_view& v, const internal::start_line& s) noexcept {
    v._status_code = 0;
    v._method = s.method;
    v._method_token = s.method_token;
    v._request_uri = s.request_uri;
  }
  static void response(message_view& v, const internal::start_line& s) noexcept {
    v._status_code = s.status_code;
    v._reason = s.reason;
  }
  /// `first`: no header with h's id was added before.
  static void add_header(message_view& v, header_field* storage, std::uint16_t n,
                         const header_field& h, bool first) noexcept {
    storage[n] = h;
    const auto id = static_cast<std::size_t>(h.id);
    if (first) v._first[id] = n;
    ++v._count[id];
  }
  static void finish(message_view& v, std::span<header_field> storage, std::uint16_t n,
                     text_span body, std::int64_t content_length) noexcept {
    v._headers = storage.first(n);
    v._body = body;
    v._content_length = content_length;
    v._size = body.offset + body.length;
  }
  static const header_field* peek(const message_view& v, std::span<header_field> storage,
                                  header_id id) noexcept {
    const auto i = v._first[static_cast<std::size_t>(id)];
    return i == no_header ? nullptr : &storage[i];
  }
};

namespace internal {

template <class Finder>
class message_indexer {
 public:
  message_indexer(std::string_view bytes, std::span<header_field> storage,
                  const parse_options& options, Finder& finder) noexcept
      : _p(bytes.data()), _size(finder.size()), _storage(storage), _options(options), _f(finder) {}

  /// Fills `r` (freshly constructed by the caller, so that it is returned without a copy).
  void run(parse_result& r) noexcept {
    std::uint32_t pos = 0;
    // RFC 3261 §7.5: CRLFs before the start line are ignored.
    while (pos + 1 < _size && _p[pos] == '\r' && _p[pos + 1] == '\n') pos += 2;
    if (pos >= _size) {
      fail(r, _stream ? error_code::incomplete : error_code::bad_start_line, pos);
      return;
    }

    // The view's offsets are relative to the message's first byte (after leading CRLFs).
    const std::uint32_t base = pos;
    message_view::filler::reset(r.message, _p + base);

    std::uint32_t lf = _f.next_lf(pos);
    if (lf >= _size) { end_of_input(r, pos, base); return; }
    if (lf - pos > _options.limits.max_header_line) { fail(r, error_code::header_line_too_long, pos); return; }
    if (lf == pos || _p[lf - 1] != '\r') { fail(r, error_code::bad_start_line, lf); return; }
    const std::uint32_t bad = _f.first_bad(pos, lf - 1);
    start_line line;
    if (const parse_error e = parse_start_line(std::string_view(_p, lf - 1), pos, bad, base, line);
        e.code != error_code::none)
      { fail(r, e.code, e.offset); return; }
    if (line.status_code == 0) message_view::filler::request(r.message, line);
    else message_view::filler::response(r.message, line);

    const std::uint16_t capacity = static_cast<std::uint16_t>(
        std::min<std::size_t>(_storage.size(), _options.limits.max_headers));
    std::uint16_t n = 0;
    std::uint64_t seen = 0;  // bit i: a header with id i was found
    pos = lf + 1;
    for (;;) {
      if constexpr (Finder::has_lines) pos = plain_lines(r, pos, base, capacity, n, seen);
      if (pos - base > _options.limits.max_message_size) { fail(r, error_code::message_too_large, pos); return; }
      if (pos >= _size) { end_of_input(r, pos, base); return; }
      const char c = _p[pos];
      if (c == '\r') {
        if (pos + 1 >= _size) { end_of_input(r, pos, base); return; }
        if (_p[pos + 1] != '\n') { fail(r, error_code::bad_header_name, pos); return; }
        break;  // the empty line
      }
      const std::uint32_t line_start = pos;
      lf = _f.next_lf(pos);
      if (lf >= _size) { partial_line(r, pos, base); return; }
      // The LF ends every scan below, so they need no bounds checks. Usually the name is
      // followed by its colon at once.
      std::uint32_t q = _f.token_end(pos);
      const std::uint32_t name_end = q;
      if (_p[q] != ':' || name_end == line_start) [[unlikely]] {
        while (_p[q] == ' ' || _p[q] == '\t') ++q;
        if (_p[q] != ':') { fail(r, colon_error(name_end, line_start, q), q); return; }
        if (name_end == line_start) { fail(r, error_code::bad_header_name, line_start); return; }
      }

      // The value runs to the end of the line, and on over folded continuation lines.
      const std::uint32_t value_start = q + 1;
      std::uint32_t segment = value_start;
      bool folded = false;
      for (;;) {
        if (lf - line_start > _options.limits.max_header_line)
          { fail(r, error_code::header_line_too_long, line_start); return; }
        if (lf == segment || _p[lf - 1] != '\r') { fail(r, error_code::bad_header_value, lf); return; }
        if (const std::uint32_t b = _f.first_bad(segment, lf - 1); b != lf - 1) [[unlikely]] {
          if (const std::uint32_t u = first_unescaped_bad(b, lf - 1); u != lf - 1)
            { fail(r, error_code::bad_header_value, u); return; }
        }
        if (lf + 1 >= _size) { end_of_input(r, lf + 1, base); return; }
        if (_p[lf + 1] != ' ' && _p[lf + 1] != '\t') break;
        folded = true;
        segment = lf + 1;
        lf = _f.next_lf(segment);
        if (lf >= _size) { end_of_input(r, lf, base); return; }
      }
      std::uint32_t value_begin = value_start, value_end = lf - 1;
      if (folded) {
        const std::string_view v = trim_lws(std::string_view(_p + value_start, value_end - value_start));
        value_begin = static_cast<std::uint32_t>(v.data() - _p);
        value_end = value_begin + static_cast<std::uint32_t>(v.size());
      } else {
        while (value_begin < value_end && (_p[value_begin] == ' ' || _p[value_begin] == '\t')) ++value_begin;
        while (value_end > value_begin && (_p[value_end - 1] == ' ' || _p[value_end - 1] == '\t')) --value_end;
      }
      if (n == capacity) { fail(r, error_code::too_many_headers, line_start); return; }

      const std::string_view value(_p + value_begin, value_end - value_begin);
      header_field h;
      h.id = line_start + 24 <= _size
                 ? lookup_token_name(_p + line_start, name_end - line_start)
                 : lookup_header_name(std::string_view(_p + line_start, name_end - line_start));
      h.name = {line_start - base, name_end - line_start};
      h.value = {value_begin - base, value_end - value_begin};
      const std::uint64_t bit = std::uint64_t{1} << static_cast<unsigned>(h.id);
      if ((seen & bit) != 0 && is_single_valued(h.id)) [[unlikely]] {
        const header_field* first = message_view::filler::peek(r.message, _storage, h.id);
        const bool same = r.message.value(*first) == value;
        if (h.id == header_id::content_length && !same)
          { fail(r, error_code::conflicting_content_length, line_start); return; }
        { fail(r, error_code::duplicate_header, line_start); return; }
      }
      message_view::filler::add_header(r.message, _storage.data(), n, h, (seen & bit) == 0);
      seen |= bit;
      ++n;
      pos = lf + 1;
    }

    const std::uint32_t header_end = pos;  // the empty line's CR
    const std::uint32_t body_start = pos + 2;
    message_view::filler::finish(r.message, _storage, n, {header_end - base, 0}, -1);
    const check_result checked = check_message(r.message, _options, header_end - base, seen);
    if (checked.error.code != error_code::none)
      { fail(r, checked.error.code, checked.error.offset + base); return; }

    // Body framing (RFC 3261 §18.3).
    const std::uint32_t available = _size - body_start;
    std::uint32_t body_length = available;
    if (checked.content_length >= 0) {
      if (checked.content_length > _options.limits.max_message_size)
        { fail(r, error_code::message_too_large, header_end); return; }
      const auto length = static_cast<std::uint32_t>(checked.content_length);
      if (length > available)
        { fail(r, _stream ? error_code::incomplete : error_code::body_truncated, _size); return; }
      body_length = length;
    } else if (_stream) {
      { fail(r, error_code::missing_content_length, header_end); return; }
    }
    if (body_start + body_length - base > _options.limits.max_message_size)
      { fail(r, error_code::message_too_large, header_end); return; }
    message_view::filler::finish(r.message, _storage, n, {body_start - base, body_length},
                                 checked.content_length);
    r.consumed = body_start + body_length;
  }

 private:
  // Runs of plain lines ("Name:" at once, a clean value, CRLF, not folded) straight off stage
  // 1's LF list, from `pos` on; returns where it stopped. It stops before any other line, or one
  // that hits a limit or an error, leaving it to the line-by-line checks, which also handle the
  // empty line; so it accepts exactly what they would.
  std::uint32_t plain_lines(parse_result& r, std::uint32_t pos, std::uint32_t base,
                            std::uint16_t capacity, std::uint16_t& n, std::uint64_t& seen) noexcept {
    const auto lines = _f.lines_from(pos);
    const char* const p = _p;
    const std::uint32_t max_size = _options.limits.max_message_size;
    const std::uint32_t max_line = _options.limits.max_header_line;
    const std::uint32_t size = _size;
    header_field* const storage = _storage.data();
    std::uint16_t count = n;
    std::uint64_t ids = seen;
    for (const std::uint32_t* lf_at = lines.lf + lines.next; lf_at != lines.lf + lines.end; ++lf_at) {
      const std::uint32_t lf = *lf_at;
      if (p[pos] == '\r' || p[lf - 1] != '\r' || p[lf + 1] == ' ' || p[lf + 1] == '\t' ||
          pos - base > max_size)
        break;
      const std::uint32_t name_end = lines.token_end(pos);
      if (p[name_end] != ':' || name_end == pos || lf - pos > max_line || count == capacity) break;
      std::uint32_t value_begin = name_end + 1, value_end = lf - 1;
      while (value_begin < value_end && (p[value_begin] == ' ' || p[value_begin] == '\t')) ++value_begin;
      while (value_end > value_begin && (p[value_end - 1] == ' ' || p[value_end - 1] == '\t')) --value_end;
      header_field h;
      h.id = pos + 24 <= size ? lookup_token_name(p + pos, name_end - pos)
                              : lookup_header_name(std::string_view(p + pos, name_end - pos));
      const std::uint64_t bit = std::uint64_t{1} << static_cast<unsigned>(h.id);
      if ((ids & bit) != 0 && is_single_valued(h.id)) break;
      h.name = {pos - base, name_end - pos};
      h.value = {value_begin - base, value_end - value_begin};
      message_view::filler::add_header(r.message, storage, count, h, (ids & bit) == 0);
      ids |= bit;
      ++count;
      pos = lf + 1;
    }
    n = count;
    seen = ids;
    return pos;
  }

  // A control byte is allowed only as a quoted-pair ("\" followed by anything but CR and LF).
  // `b` is the first bad byte of the range that ends at `to`.
  std::uint32_t first_unescaped_bad(std::uint32_t b, std::uint32_t to) noexcept {
    for (;;) {
      if (b == to || b == 0 || _p[b - 1] != '\\' || _p[b] == '\r') return b;
      b = _f.first_bad(b + 1, to);
    }
  }

  // "Name value" or "Name" alone lacks its colon; "Na@me:" has a bad name.
  error_code colon_error(std::uint32_t name_end, std::uint32_t line_start, std::uint32_t q) const noexcept {
    if (name_end == line_start) return error_code::bad_header_name;
    const bool name_ended = q > name_end || _p[q] == '\r' || _p[q] == '\n';
    return name_ended ? error_code::missing_colon : error_code::bad_header_name;
  }

  // A header line the input ends in: a name error is reported now, anything else waits for
  // more bytes (stream) or is a missing end of headers (datagram).
  parse_result& partial_line(parse_result& r, std::uint32_t pos, std::uint32_t base) noexcept {
    std::uint32_t q = pos;
    while (q < _size && chars::is_token(_p[q])) ++q;
    const std::uint32_t name_end = q;
    while (q < _size && (_p[q] == ' ' || _p[q] == '\t')) ++q;
    if (q < _size && _p[q] != ':') return fail(r, colon_error(name_end, pos, q), q);
    if (q < _size && name_end == pos) return fail(r, error_code::bad_header_name, pos);
    return end_of_input(r, _size, base);
  }

  parse_result& end_of_input(parse_result& r, std::uint32_t pos, std::uint32_t base) noexcept {
    if (pos - base > _options.limits.max_message_size) return fail(r, error_code::message_too_large, pos);
    return fail(r, _stream ? error_code::incomplete : error_code::missing_end_of_headers, pos);
  }

  static parse_result& fail(parse_result& r, error_code code, std::uint32_t offset) noexcept {
    r.error = {code, offset};
    r.consumed = 0;
    return r;
  }

  const char* _p;
  std::uint32_t _size;
  std::span<header_field> _storage;
  const parse_options& _options;
  Finder& _f;
  bool _stream = _options.transport == transport_kind::stream;
};

}  // namespace internal
}  // namespace sipring::parser
