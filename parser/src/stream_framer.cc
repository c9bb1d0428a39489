#include "sipring/parser/stream_framer.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "char_class.h"
#include "sipring/parser/header_values.h"

namespace sipring::parser {

namespace {

constexpr bool is_wsp(char c) noexcept { return c == ' ' || c == '\t'; }

// Where the physical line starting at `from` ends: the index of its CR. Lines end with CRLF
// only (a bare LF or CR is part of the line); the caller guarantees a CRLF before `h`.
std::size_t line_end(const char* p, std::size_t from, std::size_t h) noexcept {
  for (std::size_t q = from;;) {
    const auto* lf = static_cast<const char*>(std::memchr(p + q, '\n', h - q));
    q = static_cast<std::size_t>(lf - p);
    if (q > from && p[q - 1] == '\r') return q - 1;
    ++q;
  }
}

// If the header line at p[s..e) is named Content-Length (or its compact form "l"), with
// optional SP/HT before the colon, returns the index just past the colon; otherwise 0.
std::size_t content_length_colon(const char* p, std::size_t s, std::size_t e) noexcept {
  static constexpr std::string_view long_name = "content-length";
  std::size_t i = s;
  const char first = chars::to_lower(p[s]);
  if (first == 'l') {
    i = s + 1;
  } else if (first == 'c' && e - s > long_name.size()) {
    for (std::size_t k = 1; k < long_name.size(); ++k)
      if (chars::to_lower(p[s + k]) != long_name[k]) return 0;
    i = s + long_name.size();
  } else {
    return 0;
  }
  while (i < e && is_wsp(p[i])) ++i;
  return (i < e && p[i] == ':') ? i + 1 : 0;
}

// Above this a value is only "too large"; keeps the arithmetic far from overflow.
constexpr std::uint64_t huge_length = std::uint64_t{1} << 40;

// 1*DIGIT after trimming LWS (folding included); false when it is anything else.
bool read_length(std::string_view value, std::uint64_t& n) noexcept {
  value = trim_lws(value);
  if (value.empty()) return false;
  n = 0;
  for (const char c : value) {
    if (!chars::is_digit(c)) return false;
    n = std::min(n * 10 + static_cast<std::uint64_t>(c - '0'), huge_length);
  }
  return true;
}

}  // namespace

// A buffer this large gets pages of its own. From malloc, a connection's 64 KiB buffer would sit
// between the small objects of its neighbours (TLS sessions, connection state), spreading them
// over more pages; on its own pages only the pages written to count, and an idle connection
// that received nothing holds none (bench/README.md, "TLS memory per idle connection").
constexpr std::size_t map_threshold = 16 * 1024;

namespace {

// Connections come and go (a client per transaction, a reconnecting peer): a mapping per
// connection would cost mmap, munmap and a page fault per touched page each time. Released
// mappings are kept in a small per-thread pool instead, their pages marked MADV_FREE (the kernel
// takes them back only under memory pressure; until then reuse faults nothing). Per thread, so
// a shard reuses its own buffers with no lock.
struct mapped_pool {
  static constexpr std::size_t capacity = 64;
  struct entry {
    char* p;
    std::size_t size;
  };
  entry free[capacity];
  std::size_t count = 0;

  char* take(std::size_t size) noexcept {
    for (std::size_t i = count; i-- > 0;)
      if (free[i].size == size) {
        char* p = free[i].p;
        free[i] = free[--count];
        return p;
      }
    return nullptr;
  }
  bool give(char* p, std::size_t size) noexcept {
    if (count == capacity) return false;
    ::madvise(p, size, MADV_FREE);
    free[count++] = {p, size};
    return true;
  }
  ~mapped_pool() {
    for (std::size_t i = 0; i < count; ++i) ::munmap(free[i].p, free[i].size);
  }
};

mapped_pool& pool() noexcept {
  static thread_local mapped_pool p;
  return p;
}

}  // namespace

void stream_framer::buffer_release::operator()(char* p) const noexcept {
  if (mapped == 0)
    delete[] p;
  else if (!pool().give(p, mapped))
    ::munmap(p, mapped);
}

stream_framer::stream_framer(std::uint32_t max_message_size)
    : _max(max_message_size), _capacity(std::max<std::size_t>(max_message_size, 4)) {
  // A ping needs 4 bytes even under an absurdly small limit.
  if (_capacity >= map_threshold) {
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t size = (_capacity + page - 1) / page * page;
    if (char* reused = pool().take(size)) {
      _buf = std::unique_ptr<char[], buffer_release>(reused, buffer_release{size});
      return;
    }
    void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p != MAP_FAILED) {
      _buf = std::unique_ptr<char[], buffer_release>(static_cast<char*>(p), buffer_release{size});
      return;
    }
  }
  _buf = std::unique_ptr<char[], buffer_release>(new char[_capacity], buffer_release{0});
}

std::span<char> stream_framer::write_area() noexcept {
  if (_error != error_code::none) return {};
  if (_begin == _end) {
    _begin = _end = 0;  // nothing to keep: start over at the front for free
  } else if (_begin > 0 && (_capacity - _begin < _max || _end == _capacity)) {
    // The message at _begin could outgrow the space left: move it to the front. All message
    // state is relative to _begin, so nothing else changes.
    std::memmove(_buf.get(), _buf.get() + _begin, _end - _begin);
    _end -= _begin;
    _begin = 0;
  }
  return {_buf.get() + _end, _capacity - _end};
}

void stream_framer::commit(std::size_t n) noexcept {
  if (_error != error_code::none) return;
  _end += std::min(n, _capacity - _end);
}

std::size_t stream_framer::append(std::span<const char> bytes) noexcept {
  const std::span<char> area = write_area();
  const std::size_t n = std::min(area.size(), bytes.size());
  if (n > 0) std::memcpy(area.data(), bytes.data(), n);
  commit(n);
  return n;
}

framer_event stream_framer::fail(error_code code) noexcept {
  _error = code;
  return {framer_event::kind::error, {}, code};
}

framer_event::kind stream_framer::skip_keepalives() noexcept {
  // Decides on at most 4 bytes, and waits for them, so that any split of the stream gives the
  // same events: "\r\n\r\n" is a ping, a "\r\n" not followed by another is skipped.
  for (;;) {
    const char* p = _buf.get() + _begin;
    const std::size_t n = buffered();
    if (n == 0) return framer_event::kind::need_more;
    if (p[0] != '\r') break;
    if (n < 2) return framer_event::kind::need_more;
    if (p[1] != '\n') break;
    if (n < 3) return framer_event::kind::need_more;
    if (p[2] == '\r') {
      if (n < 4) return framer_event::kind::need_more;
      if (p[3] == '\n') {
        _begin += 4;
        return framer_event::kind::ping;
      }
    }
    _begin += 2;  // a lone CRLF (RFC 3261 §7.5)
  }
  _in_message = true;
  return framer_event::kind::message;
}

bool stream_framer::find_header_end() noexcept {
  // Looks for the LF that ends "\r\n\r\n", never past the size limit, starting at the first
  // LF position not yet examined: each received byte is searched once.
  const char* p = _buf.get() + _begin;
  const std::size_t limit = std::min<std::size_t>(buffered(), _max);
  std::size_t q = std::max<std::size_t>(_scanned, 3);
  while (q < limit) {
    const auto* lf = static_cast<const char*>(std::memchr(p + q, '\n', limit - q));
    if (lf == nullptr) break;
    q = static_cast<std::size_t>(lf - p);
    if (p[q - 2] == '\n' && p[q - 1] == '\r' && p[q - 3] == '\r') {
      _header_size = q + 1;
      return true;
    }
    ++q;
  }
  _scanned = std::max(_scanned, limit);
  return false;
}

error_code stream_framer::size_message() noexcept {
  const char* p = _buf.get() + _begin;
  const std::size_t h = _header_size;
  const std::size_t last = h - 2;  // the empty line that ends the header section
  bool found = false;
  std::uint64_t length = 0;
  // Header lines start after the start line; a line starting with SP/HT continues the one
  // before (folding), so only the first line of each header can name it.
  for (std::size_t s = line_end(p, 0, h) + 2; s < last;) {
    std::size_t e = line_end(p, s, h);
    while (e + 2 < last && is_wsp(p[e + 2])) e = line_end(p, e + 2, h);
    if (const std::size_t v = content_length_colon(p, s, e); v != 0) {
      std::uint64_t n = 0;
      if (!read_length({p + v, e - v}, n)) return error_code::bad_content_length;
      if (found && n != length) return error_code::conflicting_content_length;
      found = true;
      length = n;
    }
    s = e + 2;
  }
  if (!found) return error_code::missing_content_length;
  if (h + length > _max) return error_code::message_too_large;
  _message_size = h + static_cast<std::size_t>(length);
  return error_code::none;
}

framer_event stream_framer::next() noexcept {
  if (_error != error_code::none) return {framer_event::kind::error, {}, _error};
  if (!_in_message) {
    if (const auto k = skip_keepalives(); k != framer_event::kind::message) return {k, {}, {}};
  }
  if (_message_size == 0) {
    if (!find_header_end()) {
      if (buffered() >= _max) return fail(error_code::message_too_large);
      return {};
    }
    if (const error_code e = size_message(); e != error_code::none) return fail(e);
  }
  if (buffered() < _message_size) return {};
  const framer_event ev{framer_event::kind::message, {_buf.get() + _begin, _message_size}, {}};
  _begin += _message_size;
  _in_message = false;
  _scanned = _header_size = _message_size = 0;
  return ev;
}

}  // namespace sipring::parser
