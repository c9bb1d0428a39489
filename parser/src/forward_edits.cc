#include "sipring/parser/forward_edits.h"

#include <cstring>

#include "char_class.h"
#include "header_line.h"
#include "sipring/parser/header_id.h"
#include "sipring/parser/header_values.h"

namespace sipring::parser {

namespace {

bool is_full_line(std::string_view line) noexcept {
  return line.size() > 2 && line.ends_with("\r\n");
}

// Writes the decimal `v` at `out`; returns the number of characters.
std::size_t write_uint(char* out, unsigned v) noexcept {
  char digits[10];
  std::size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  for (std::size_t i = 0; i < n; ++i) out[i] = digits[n - 1 - i];
  return n;
}

}  // namespace

forward_edits::forward_edits(const message_view& m) noexcept
    : _m(&m), _size(m.bytes().size()) {}

std::uint32_t forward_edits::top_of_headers() const noexcept {
  if (const header_field* via = _m->find(header_id::via)) return internal::line_begin(*via);
  return end_of_start_line();
}

std::uint32_t forward_edits::end_of_start_line() const noexcept {
  const std::size_t lf = _m->bytes().find('\n');
  return lf == std::string_view::npos ? 0 : static_cast<std::uint32_t>(lf + 1);
}

std::uint32_t forward_edits::empty_line() const noexcept {
  // Found from the last header rather than header_end(), which after parse() points past the
  // empty line (at the body) although message_view.h calls it the empty line's offset.
  const auto headers = _m->headers();
  return headers.empty() ? end_of_start_line() : internal::line_end(*_m, headers.back());
}

bool forward_edits::add(const edit& e) noexcept {
  if (_count == max_edits) return false;
  // No edit may start inside bytes another removes, nor remove bytes another removes.
  const std::uint32_t e_end = e.offset + e.removed;
  for (std::size_t i = 0; i < _count; ++i) {
    const edit& o = _edits[i];
    const std::uint32_t o_end = o.offset + o.removed;
    if (o.removed != 0 && o.offset < e.offset && e.offset < o_end) return false;
    if (e.removed != 0 && e.offset < o.offset && o.offset < e_end) return false;
    if (e.removed != 0 && o.removed != 0 && e.offset == o.offset) return false;
  }
  // Keep the list sorted by (offset, rank), equal keys in call order.
  std::size_t at = _count;
  while (at > 0 && (_edits[at - 1].offset > e.offset ||
                    (_edits[at - 1].offset == e.offset && _edits[at - 1].order > e.order))) {
    _edits[at] = _edits[at - 1];
    --at;
  }
  _edits[at] = e;
  ++_count;
  _size = _size - e.removed + text_of(e).size();
  return true;
}

std::string_view forward_edits::text_of(const edit& e) const noexcept {
  return e.own_text ? std::string_view(_max_forwards, _max_forwards_length) : e.text;
}

bool forward_edits::insert_via(std::string_view full_line) noexcept {
  if (!once(done_via) || !is_full_line(full_line)) return false;
  if (!add({top_of_headers(), 0, full_line, rank::via})) return false;
  _done |= done_via;
  return true;
}

bool forward_edits::set_max_forwards(std::uint8_t hops) noexcept {
  if (!once(done_max_forwards) || _count == max_edits) return false;
  edit e;
  e.own_text = true;
  std::size_t n = 0;
  if (const header_field* h = _m->find(header_id::max_forwards)) {
    n = write_uint(_max_forwards, hops);
    e.offset = h->value.offset;
    e.removed = h->value.length;
    e.order = rank::replacement;
  } else {
    constexpr std::string_view name = "Max-Forwards: ";
    std::memcpy(_max_forwards, name.data(), name.size());
    n = name.size();
    n += write_uint(_max_forwards + n, hops);
    _max_forwards[n++] = '\r';
    _max_forwards[n++] = '\n';
    e.offset = empty_line();
    e.order = rank::appended;
  }
  _max_forwards_length = static_cast<std::uint8_t>(n);
  if (!add(e)) return false;
  _done |= done_max_forwards;
  return true;
}

bool forward_edits::insert_record_route(std::string_view full_line) noexcept {
  if (!is_full_line(full_line)) return false;
  const header_field* rr = _m->find(header_id::record_route);
  return add({rr ? internal::line_begin(*rr) : top_of_headers(), 0, full_line, rank::record_route});
}

bool forward_edits::drop_first_element(header_id id, std::uint8_t done_flag) noexcept {
  const header_field* header = _m->find(id);
  if (!once(static_cast<flag>(done_flag)) || header == nullptr) return false;
  const std::string_view bytes = _m->bytes();
  list_splitter elements(_m->value(*header));
  std::string_view first, second;
  if (!elements.next(first) || first.empty()) return false;
  edit e;
  e.order = rank::replacement;
  if (!elements.next(second)) {
    e.offset = internal::line_begin(*header);
    e.removed = internal::line_end(*_m, *header) - e.offset;
  } else {
    if (second.empty()) return false;
    // The first element, its comma and the LWS up to the second element.
    e.offset = header->value.offset;
    e.removed = static_cast<std::uint32_t>(second.data() - bytes.data()) - e.offset;
  }
  if (!add(e)) return false;
  _done |= done_flag;
  return true;
}

bool forward_edits::drop_top_routes(std::size_t n) noexcept {
  if (!once(done_route) || n == 0) return false;
  const std::string_view bytes = _m->bytes();
  // Collected first and added together: a failure changes nothing.
  edit found[max_edits];
  std::size_t count = 0, left = n;
  for (const header_field& h : _m->headers()) {
    if (h.id != header_id::route) continue;
    if (left == 0 || count == max_edits) break;
    list_splitter elements(_m->value(h));
    std::size_t taken = 0;
    std::string_view e, next;
    while (elements.next(e)) {
      if (e.empty()) return false;
      if (taken == left) {
        next = e;
        break;
      }
      ++taken;
    }
    if (taken == 0) return false;
    edit& out = found[count++];
    out.order = rank::replacement;
    if (next.empty()) {  // every element of this line goes: the whole line
      out.offset = internal::line_begin(h);
      out.removed = internal::line_end(*_m, h) - out.offset;
    } else {  // its first elements, their commas and the LWS up to the next element
      out.offset = h.value.offset;
      out.removed = static_cast<std::uint32_t>(next.data() - bytes.data()) - out.offset;
    }
    left -= taken;
  }
  if (left != 0 || _count + count > max_edits) return false;
  for (std::size_t i = 0; i < count; ++i)
    if (!add(found[i])) return false;
  _done |= done_route;
  return true;
}

bool forward_edits::drop_last_route() noexcept {
  if (!once(done_last_route)) return false;
  const header_field* last = nullptr;
  for (const header_field& h : _m->headers())
    if (h.id == header_id::route) last = &h;
  if (last == nullptr) return false;
  const std::string_view bytes = _m->bytes();
  list_splitter elements(_m->value(*last));
  std::string_view previous, current;
  std::size_t count = 0;
  for (std::string_view e; elements.next(e); ++count) {
    if (e.empty()) return false;
    previous = current;
    current = e;
  }
  if (count == 0) return false;
  edit e;
  e.order = rank::replacement;
  if (count == 1) {
    e.offset = internal::line_begin(*last);
    e.removed = internal::line_end(*_m, *last) - e.offset;
  } else {
    // From the end of the element before it: its comma, the LWS and the element itself.
    e.offset = static_cast<std::uint32_t>(previous.data() + previous.size() - bytes.data());
    e.removed = static_cast<std::uint32_t>(current.data() + current.size() - bytes.data()) - e.offset;
  }
  if (!add(e)) return false;
  _done |= done_last_route;
  return true;
}

bool forward_edits::drop_top_via() noexcept { return drop_first_element(header_id::via, done_top_via); }

bool forward_edits::replace_request_uri(std::string_view uri) noexcept {
  if (!once(done_request_uri) || uri.empty() || !_m->is_request()) return false;
  for (char c : uri)
    if (c == ' ' || chars::is(c, chars::ctl)) return false;
  const std::string_view old = _m->request_uri();
  const auto offset = static_cast<std::uint32_t>(old.data() - _m->bytes().data());
  if (!add({offset, static_cast<std::uint32_t>(old.size()), uri, rank::replacement})) return false;
  _done |= done_request_uri;
  return true;
}

bool forward_edits::add_header(std::string_view full_line) noexcept {
  if (!is_full_line(full_line)) return false;
  return add({empty_line(), 0, full_line, rank::appended});
}

std::size_t forward_edits::segment_count() const noexcept {
  std::size_t n = 0;
  std::uint32_t at = 0;
  for (std::size_t i = 0; i < _count; ++i) {
    const edit& e = _edits[i];
    if (e.offset > at) ++n;
    if (!text_of(e).empty()) ++n;
    at = e.offset + e.removed;
  }
  if (at < _m->bytes().size()) ++n;
  return n;
}

std::size_t forward_edits::to_iovec(std::span<struct iovec> out) const noexcept {
  if (out.size() < segment_count()) return 0;
  const std::string_view bytes = _m->bytes();
  std::size_t n = 0;
  // iovec is shared by readv and writev, hence its non-const base; writev never writes.
  const auto put = [&](std::string_view s) {
    if (s.empty()) return;
    out[n].iov_base = const_cast<char*>(s.data());
    out[n].iov_len = s.size();
    ++n;
  };
  std::uint32_t at = 0;
  for (std::size_t i = 0; i < _count; ++i) {
    const edit& e = _edits[i];
    if (e.offset > at) put(bytes.substr(at, e.offset - at));
    put(text_of(e));
    at = e.offset + e.removed;
  }
  if (at < bytes.size()) put(bytes.substr(at));
  return n;
}

}  // namespace sipring::parser
