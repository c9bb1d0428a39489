#pragma once
// Inline scanning helpers for the typed header parsers. Header values are short (mostly under
// 64 bytes), where a plain loop beats a call to memchr; the host scanner validates a plain
// hostname or IPv4 address in the same pass that finds its end.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "char_class.h"
#include "sipring/parser/host.h"

namespace sipring::parser::fast {

/// Index of the first `c` in `s` at or after `from`; npos when there is none.
constexpr std::size_t find(std::string_view s, char c, std::size_t from = 0) noexcept {
  for (std::size_t i = from; i < s.size(); ++i)
    if (s[i] == c) return i;
  return std::string_view::npos;
}

/// Case-insensitive comparison of `s` with `lower`, a lowercase ASCII literal.
constexpr bool iequals_lower(std::string_view s, std::string_view lower) noexcept {
  if (s.size() != lower.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (chars::to_lower(s[i]) != lower[i]) return false;
  return true;
}

/// Whether `s` is a non-empty run of token characters.
constexpr bool is_token_text(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (const char c : s)
    if (!chars::is_token(c)) return false;
  return true;
}

/// Scans the run of hostname characters (alnum, '-', '.') at s[i] and advances `i` past it.
/// Returns true, with `kind`, when the run is a host that parse_host() accepts (a hostname or
/// an IPv4 address); false when the run is empty or parse_host() would reject it (then `i` is
/// unspecified). The caller checks what stops the run.
inline bool scan_plain_host(std::string_view s, std::size_t& i, host_kind& kind) noexcept {
  const std::size_t start = i;
  char prev = '.';      // '.' at the start of every label
  char top = 0;         // first character of the current label
  char before_dot = 0;  // first character of the label closed by the last '.'
  bool digits_only = true;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    const std::uint8_t cls = chars::table[static_cast<unsigned char>(c)];
    if (cls & chars::digit) {
      if (prev == '.') top = c;
    } else if (cls & chars::alpha) {
      if (prev == '.') top = c;
      digits_only = false;
    } else if (c == '-') {
      if (prev == '.') return false;  // a label starts with '-' (or is empty)
      digits_only = false;
    } else if (c == '.') {
      if (prev == '.' || prev == '-') return false;  // empty label or one ending in '-'
      before_dot = top;
    } else {
      break;
    }
    prev = c;
  }
  if (i == start || prev == '-') return false;
  if (digits_only) {
    // Only digits and dots: an IPv4 address or nothing (a toplabel starts with a letter).
    std::array<std::uint8_t, 4> v4{};
    if (!parse_ipv4_address(s.substr(start, i - start), v4)) return false;
    kind = host_kind::ipv4;
    return true;
  }
  // A trailing dot is allowed once: the toplabel is then the label before it.
  const char toplabel = prev == '.' ? before_dot : top;
  if (!chars::is(toplabel, chars::alpha)) return false;
  kind = host_kind::hostname;
  return true;
}

}  // namespace sipring::parser::fast
