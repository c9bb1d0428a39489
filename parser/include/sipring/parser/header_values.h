#pragma once
// Helpers shared by the typed header parsers: linear white space (folding included) and
// splitting list headers on commas outside quoted strings and angle brackets.

#include <array>
#include <cstddef>
#include <string_view>

namespace sipring::parser {

/// SP, HT, and the CR/LF of a folded line (inside a header value a CRLF is always followed by
/// white space, so treating it as white space unfolds the value).
constexpr bool is_lws(char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

constexpr std::string_view trim_lws(std::string_view s) noexcept {
  std::size_t b = 0, e = s.size();
  while (b < e && is_lws(s[b])) ++b;
  while (e > b && is_lws(s[e - 1])) --e;
  return s.substr(b, e - b);
}

namespace detail {
// The bytes list_splitter must look at outside a quoted string: '"', '<', '>' and ','.
constexpr std::array<bool, 256> make_list_special() {
  std::array<bool, 256> t{};
  t['"'] = t['<'] = t['>'] = t[','] = true;
  return t;
}
inline constexpr std::array<bool, 256> list_special = make_list_special();
}  // namespace detail

/// Iterates the elements of a list header value ("a, <sip:b,c>, \"x,y\" <sip:d>"): each call
/// stores the next element, trimmed of LWS, and returns true; false when none is left. Commas
/// inside "quoted strings" (with \-escapes) and <angle brackets> do not split. An unterminated
/// quote or bracket makes the rest of the value one element; its typed parser reports it.
/// Empty elements (",,") are returned as empty views so that callers can reject them.
class list_splitter {
 public:
  explicit constexpr list_splitter(std::string_view value) noexcept : _rest(value) {}

  constexpr bool next(std::string_view& element) noexcept {
    if (_done) return false;
    const std::size_t n = _rest.size();
    int angle = 0;
    std::size_t i = 0;
    while (i < n) {
      const char c = _rest[i];
      if (!detail::list_special[static_cast<unsigned char>(c)]) {
        ++i;
        continue;
      }
      if (c == '"') {
        // Skip the quoted string; a '\\' escapes the next byte. Unterminated: the rest is one.
        for (++i; i < n && _rest[i] != '"'; ++i)
          if (_rest[i] == '\\') ++i;
        ++i;
        continue;
      }
      if (c == '<') ++angle;
      else if (c == '>') angle -= angle > 0;
      else if (angle == 0) {  // ','
        element = trim_lws(_rest.substr(0, i));
        _rest.remove_prefix(i + 1);
        return true;
      }
      ++i;
    }
    element = trim_lws(_rest);
    _done = true;
    return true;
  }

 private:
  std::string_view _rest;
  bool _done = false;
};

}  // namespace sipring::parser
