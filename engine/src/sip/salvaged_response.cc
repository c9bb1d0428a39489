#include "sipring/sip/salvaged_response.h"

#include <cstring>

#include "sipring/parser/header_id.h"
#include "sipring/parser/name_addr.h"

namespace sipring::sip {

namespace {

bool printable(std::string_view s) noexcept {
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t' && c != '\r' && c != '\n') || u == 0x7f) return false;
  }
  return true;
}

// A request line: "METHOD SP Request-URI SP SIP-Version" (loosely: three words, the first not
// starting with "SIP/").
bool looks_like_request_line(std::string_view line) noexcept {
  if (line.size() >= 4 && line.substr(0, 4) == "SIP/") return false;
  const std::size_t a = line.find(' ');
  if (a == 0 || a == std::string_view::npos) return false;
  const std::size_t b = line.find(' ', a + 1);
  return b != std::string_view::npos && b > a + 1 && b + 1 < line.size();
}

class writer {
 public:
  explicit writer(std::span<char> out) noexcept : _out(out) {}
  void put(std::string_view s) noexcept {
    if (_failed || s.size() > _out.size() - _used) {
      _failed = true;
      return;
    }
    std::memcpy(_out.data() + _used, s.data(), s.size());
    _used += s.size();
  }
  std::size_t size() const noexcept { return _failed ? 0 : _used; }

 private:
  std::span<char> _out;
  std::size_t _used = 0;
  bool _failed = false;
};

}  // namespace

salvaged_response build_salvaged_response(std::string_view bytes, std::uint16_t status, std::string_view reason,
                                          std::string_view to_tag, std::span<char> out) noexcept {
  salvaged_response result;
  std::size_t eol = bytes.find('\n');
  if (eol == std::string_view::npos) return result;
  std::string_view start = bytes.substr(0, eol);
  if (!start.empty() && start.back() == '\r') start.remove_suffix(1);
  if (!looks_like_request_line(start) || !printable(start)) return result;

  // The header lines we copy, each with its continuation lines (folding), as written.
  constexpr std::size_t max_lines = 64;
  std::string_view lines[max_lines];
  parser::header_id ids[max_lines];
  std::size_t count = 0;
  std::size_t pos = eol + 1;
  while (pos < bytes.size() && count < max_lines) {
    std::size_t end = bytes.find('\n', pos);
    if (end == std::string_view::npos) end = bytes.size();
    std::string_view line = bytes.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;  // end of headers
    // Folded continuation lines belong to this header.
    std::size_t next = end + 1;
    while (next < bytes.size() && (bytes[next] == ' ' || bytes[next] == '\t')) {
      std::size_t e = bytes.find('\n', next);
      if (e == std::string_view::npos) e = bytes.size();
      next = e + 1;
    }
    std::string_view whole = bytes.substr(pos, std::min(next, bytes.size()) - pos);
    while (!whole.empty() && (whole.back() == '\n' || whole.back() == '\r')) whole.remove_suffix(1);
    pos = next;
    const std::size_t colon = whole.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view name = whole.substr(0, colon);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
    const parser::header_id id = parser::lookup_header_name(name);
    using parser::header_id;
    if (id != header_id::via && id != header_id::from && id != header_id::to && id != header_id::call_id &&
        id != header_id::cseq)
      continue;
    if (!printable(whole)) continue;
    lines[count] = whole;
    ids[count] = id;
    ++count;
  }

  // The top Via must parse: it says where the answer goes.
  bool have_via = false;
  for (std::size_t i = 0; i < count && !have_via; ++i) {
    if (ids[i] != parser::header_id::via) continue;
    std::string_view value = lines[i].substr(lines[i].find(':') + 1);
    parser::list_splitter elements(value);
    std::string_view first;
    if (!elements.next(first)) return result;
    if (parser::parse_via(first, result.top_via) != parser::error_code::none) return result;
    have_via = true;
  }
  if (!have_via) return result;

  writer w(out);
  char code[4] = {static_cast<char>('0' + status / 100), static_cast<char>('0' + status / 10 % 10),
                  static_cast<char>('0' + status % 10), 0};
  w.put("SIP/2.0 ");
  w.put({code, 3});
  w.put(" ");
  w.put(reason);
  w.put("\r\n");
  for (std::size_t i = 0; i < count; ++i) {
    w.put(lines[i]);
    if (ids[i] == parser::header_id::to && !to_tag.empty()) {
      parser::name_addr na;
      const std::string_view value = parser::trim_lws(lines[i].substr(lines[i].find(':') + 1));
      if (parser::parse_name_addr(value, na) == parser::error_code::none && na.tag.empty()) {
        w.put(";tag=");
        w.put(to_tag);
      }
    }
    w.put("\r\n");
  }
  w.put("Content-Length: 0\r\n\r\n");
  result.size = w.size();
  return result;
}

}  // namespace sipring::sip
