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

}  // namespace sipring::parser::chars
