#pragma once
// Helpers shared by the typed header parsers: linear white space (folding included) and
// splitting list headers on commas outside quoted strings and angle brackets.

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

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

// Eight bytes at a time (SWAR, never reading past the view): a byte of `v` is flagged (0x80)
// when it is zero; the lowest flag is exact, those above it may be false.
constexpr std::uint64_t swar_ones = 0x0101010101010101ULL;
constexpr std::uint64_t zero_bytes(std::uint64_t v) noexcept {
  return (v - swar_ones) & ~v & (swar_ones * 0x80);
}
constexpr std::uint64_t equal_bytes(std::uint64_t v, unsigned char c) noexcept {
  return zero_bytes(v ^ (swar_ones * c));
}
inline std::uint64_t load8(const char* p) noexcept {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
// Whether the SWAR paths may run (little-endian, not in a constant expression).
constexpr bool use_swar() noexcept {
  return std::endian::native == std::endian::little && !std::is_constant_evaluated();
}

// Index of the first byte of s at or after i that list_special flags; s.size() when none.
constexpr std::size_t next_list_special(std::string_view s, std::size_t i) noexcept {
  if (use_swar()) {
    for (; i + 8 <= s.size(); i += 8) {
      const std::uint64_t v = load8(s.data() + i);
      // '<' and '>' differ only in bit 1.
      const std::uint64_t m =
          equal_bytes(v, '"') | equal_bytes(v, ',') | equal_bytes(v | (swar_ones * 2), '>');
      if (m != 0) return i + static_cast<std::size_t>(std::countr_zero(m) / 8);
    }
  }
  while (i < s.size() && !list_special[static_cast<unsigned char>(s[i])]) ++i;
  return i;
}

// Index of the first '"' or '\\' of s at or after i; s.size() when none.
constexpr std::size_t next_quote_or_escape(std::string_view s, std::size_t i) noexcept {
  if (use_swar()) {
    for (; i + 8 <= s.size(); i += 8) {
      const std::uint64_t v = load8(s.data() + i);
      const std::uint64_t m = equal_bytes(v, '"') | equal_bytes(v, '\\');
      if (m != 0) return i + static_cast<std::size_t>(std::countr_zero(m) / 8);
    }
  }
  while (i < s.size() && s[i] != '"' && s[i] != '\\') ++i;
  return i;
}
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
    while ((i = detail::next_list_special(_rest, i)) < n) {
      const char c = _rest[i];
      if (c == '"') {
        // Skip the quoted string; a '\\' escapes the next byte. Unterminated: the rest is one.
        ++i;
        while ((i = detail::next_quote_or_escape(_rest, i)) < n && _rest[i] == '\\') i += 2;
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
