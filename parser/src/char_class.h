#pragma once
// Character classes of RFC 3261 §25.1 as a constexpr table: one load per byte, no branches.

#include <array>
#include <cstdint>
#include <string_view>

namespace sipring::parser::chars {

enum : std::uint8_t {
  alpha = 1 << 0,
  digit = 1 << 1,
  token = 1 << 2,       ///< token: alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~"
  unreserved = 1 << 3,  ///< alphanum / mark ("-" "_" "." "!" "~" "*" "'" "(" ")")
  hex = 1 << 4,
  word = 1 << 5,        ///< word (Call-ID): token chars plus "(" ")" "<" ">" ":" "\" DQUOTE "/" "[" "]" "?" "{" "}"
  utf8_high = 1 << 6,   ///< 0x80-0xFF (UTF8-NONASCII bytes)
  ctl = 1 << 7,         ///< 0x00-0x1F and 0x7F
};

constexpr std::array<std::uint8_t, 256> make_table() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    std::uint8_t v = 0;
    const bool is_alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool is_digit = c >= '0' && c <= '9';
    if (is_alpha) v |= alpha;
    if (is_digit) v |= digit;
    if (is_alpha || is_digit) v |= token | unreserved | word;
    if (is_digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) v |= hex;
    for (char m : std::string_view("-.!%*_+`'~")) if (c == m) v |= token | word;
    for (char m : std::string_view("-_.!~*'()")) if (c == m) v |= unreserved;
    for (char m : std::string_view("()<>:\\\"/[]?{}")) if (c == m) v |= word;
    if (c >= 0x80) v |= utf8_high;
    if (c < 0x20 || c == 0x7f) v |= ctl;
    t[static_cast<std::size_t>(c)] = v;
  }
  return t;
}

inline constexpr std::array<std::uint8_t, 256> table = make_table();

constexpr bool is(char c, std::uint8_t cls) noexcept {
  return (table[static_cast<unsigned char>(c)] & cls) != 0;
}
constexpr bool is_token(char c) noexcept { return is(c, token); }
constexpr bool is_digit(char c) noexcept { return is(c, digit); }
constexpr bool is_hex(char c) noexcept { return is(c, hex); }
constexpr char to_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? char(c + 32) : c; }

// Token characters as a two-nibble lookup for vector shuffles (vpshufb): a byte x is a token
// character iff low[x & 15] & high[x >> 4] is non-zero. Token characters all lie in 0x20-0x7F;
// high nibble h (2..7) owns bit h - 2. Each 16-byte table is repeated for every 128-bit lane of
// a 512-bit vector. Plain arrays, so that the SIMD sources (compiled for their own ISA) call no
// inline function that another source could share.
struct nibble_tables {
  alignas(64) std::uint8_t low[64];
  alignas(64) std::uint8_t high[64];
};

constexpr nibble_tables make_token_nibbles() {
  nibble_tables t{};
  for (int h = 2; h <= 7; ++h)
    for (int n = 0; n < 16; ++n)
      if (table[static_cast<std::size_t>(h * 16 + n)] & token)
        t.low[n] = static_cast<std::uint8_t>(t.low[n] | (1 << (h - 2)));
  for (int h = 2; h <= 7; ++h) t.high[h] = static_cast<std::uint8_t>(1 << (h - 2));
  for (int i = 16; i < 64; ++i) {
    t.low[i] = t.low[i % 16];
    t.high[i] = t.high[i % 16];
  }
  return t;
}
inline constexpr nibble_tables token_nibbles = make_token_nibbles();

constexpr bool nibbles_match_table() {
  for (int c = 0; c < 256; ++c) {
    const bool by_nibbles = (token_nibbles.low[c & 15] & token_nibbles.high[c >> 4]) != 0;
    if (by_nibbles != ((table[static_cast<std::size_t>(c)] & token) != 0)) return false;
  }
  return true;
}
static_assert(nibbles_match_table(), "token characters outside 0x20-0x7F");

}  // namespace sipring::parser::chars
