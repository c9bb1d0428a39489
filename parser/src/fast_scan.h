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

namespace host_scan {
// One byte of a hostname run: its class (low nibble) and the classes the byte before it must
// not have (high nibble), so that one table load and one AND per byte check the label rules.
enum : std::uint8_t {
  host = 1 << 0,     ///< alnum, '-' or '.'
  dot = 1 << 1,      ///< '.'
  dash = 1 << 2,     ///< '-'
  nondigit = 1 << 3, ///< a letter or '-': the run is not an IPv4 address
};
constexpr std::array<std::uint8_t, 256> make_table() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    const auto b = static_cast<std::size_t>(c);
    if (chars::is(static_cast<char>(c), chars::digit)) t[b] = host;
    if (chars::is(static_cast<char>(c), chars::alpha)) t[b] = host | nondigit;
  }
  t['-'] = host | dash | nondigit | (dot << 4);  // a label starts with '-' (or is empty)
  t['.'] = host | dot | ((dot | dash) << 4);     // an empty label, or one ending in '-'
  return t;
}
inline constexpr std::array<std::uint8_t, 256> table = make_table();
}  // namespace host_scan

/// Scans the run of hostname characters (alnum, '-', '.') at s[i] and advances `i` past it.
/// Returns true, with `kind`, when the run is a host that parse_host() accepts (a hostname or
/// an IPv4 address); false when the run is empty or parse_host() would reject it (then `i` is
/// unspecified). The caller checks what stops the run.
inline bool scan_plain_host(std::string_view s, std::size_t& i, host_kind& kind) noexcept {
  const std::size_t start = i;
  const std::size_t n = s.size();
  const char* const p = s.data();
  std::uint8_t prev = host_scan::dot;  // as if a '.' came before the first label
  std::uint8_t bad = 0, seen = 0;
  std::size_t k = i;
  const auto cls = [p](std::size_t at) { return host_scan::table[static_cast<unsigned char>(p[at])]; };
  for (; k < n; ++k) {
    const std::uint8_t e = cls(k);
    if (!(e & host_scan::host)) break;
    bad |= static_cast<std::uint8_t>(e >> 4) & prev;
    seen |= e;
    prev = e;
  }
  i = k;
  if (k == start || bad != 0 || (prev & host_scan::dash)) return false;
  if (!(seen & host_scan::nondigit)) {
    // Only digits and dots: an IPv4 address or nothing (a toplabel starts with a letter).
    std::array<std::uint8_t, 4> v4{};
    if (!parse_ipv4_address(s.substr(start, k - start), v4)) return false;
    kind = host_kind::ipv4;
    return true;
  }
  // The toplabel: the last label, or the one before a trailing dot (allowed once). Labels are
  // not empty (checked above), so it has a first character.
  std::size_t top = (prev & host_scan::dot) ? k - 1 : k;
  while (top > start && p[top - 1] != '.') --top;
  if (!chars::is(p[top], chars::alpha)) return false;
  kind = host_kind::hostname;
  return true;
}

}  // namespace sipring::parser::fast
