#include "start_line.h"

#include <cstring>

#include "char_class.h"

namespace sipring::parser::internal {

namespace {

bool starts_with_sip_slash(std::string_view s) noexcept {
  return s.size() >= 4 && chars::to_lower(s[0]) == 's' && chars::to_lower(s[1]) == 'i' &&
         chars::to_lower(s[2]) == 'p' && s[3] == '/';
}

// "SIP/2.0" (the literal is case-insensitive in ABNF) is none; another well-formed version
// ("SIP/7.0") is bad_version, answered with 505; anything else is bad_start_line.
error_code check_version(std::string_view v) noexcept {
  if (!starts_with_sip_slash(v)) return error_code::bad_start_line;
  const std::string_view number = v.substr(4);
  if (number == "2.0") return error_code::none;
  const auto dot = number.find('.');
  if (dot == 0 || dot == std::string_view::npos || dot + 1 == number.size())
    return error_code::bad_start_line;
  for (std::size_t i = 0; i < number.size(); ++i)
    if (i != dot && !chars::is_digit(number[i])) return error_code::bad_start_line;
  return error_code::bad_version;
}

// The first SP or HT in text[from, to), or `to`: eight bytes at a time (a Request-URI is
// usually a few dozen bytes).
std::uint32_t first_sp_or_ht(std::string_view text, std::uint32_t from, std::uint32_t to) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  const auto zero_bytes = [](std::uint64_t x) { return ~(((x & ~highs) + ~highs) | x | ~highs); };
  for (; from + 8 <= to; from += 8) {
    std::uint64_t x;
    std::memcpy(&x, text.data() + from, 8);
    if ((zero_bytes(x ^ (ones * ' ')) | zero_bytes(x ^ (ones * '\t'))) != 0) break;
  }
  while (from < to && text[from] != ' ' && text[from] != '\t') ++from;
  return from;
}

text_span span(std::uint32_t from, std::uint32_t to, std::uint32_t base) noexcept {
  return {from - base, to - from};
}

parse_error parse_response(std::string_view text, std::uint32_t begin, std::uint32_t first_bad,
                           std::uint32_t base, start_line& out) noexcept {
  const auto end = static_cast<std::uint32_t>(text.size());
  const auto sp = static_cast<std::uint32_t>(text.find(' ', begin));
  if (sp >= end) return {error_code::bad_start_line, end};
  if (const error_code e = check_version(text.substr(begin, sp - begin)); e != error_code::none)
    return {e, begin};
  std::uint32_t i = sp + 1, code = 0;
  while (i < end && chars::is_digit(text[i]) && i - sp <= 3) code = code * 10 + (text[i++] - '0');
  if (i - sp - 1 != 3 || (i < end && chars::is_digit(text[i])) || code < 100 || code > 699)
    return {error_code::bad_status_code, sp + 1};
  // The SP after the code is required even when the reason phrase is empty (RFC 4475 §3.1.1.13).
  if (i >= end || text[i] != ' ') return {error_code::bad_start_line, i};
  if (first_bad < end) return {error_code::bad_reason_phrase, first_bad};
  out.status_code = static_cast<std::uint16_t>(code);
  out.reason = span(i + 1, end, base);
  return {};
}

parse_error parse_request(std::string_view text, std::uint32_t begin, std::uint32_t first_bad,
                          std::uint32_t base, start_line& out) noexcept {
  const auto end = static_cast<std::uint32_t>(text.size());
  std::uint32_t i = begin;
  while (i < end && chars::is_token(text[i])) ++i;
  if (i == begin) return {error_code::bad_start_line, begin};
  if (i >= end || text[i] != ' ') return {error_code::bad_method, i};
  const std::uint32_t uri_begin = i + 1;
  // Exactly one SP between elements (RFC 4475 §3.1.2.9 and §3.1.2.10).
  if (uri_begin >= end || text[uri_begin] == ' ') return {error_code::bad_start_line, uri_begin};
  const auto last_sp = static_cast<std::uint32_t>(text.rfind(' '));
  if (last_sp + 1 == end) return {error_code::bad_start_line, last_sp};
  if (last_sp < uri_begin) return {error_code::bad_start_line, end};
  if (const error_code e = check_version(text.substr(last_sp + 1)); e != error_code::none)
    return {e, last_sp + 1};
  if (first_bad < end) return {error_code::bad_request_uri, first_bad};
  // LWS inside the Request-URI, or a URI in angle brackets (RFC 4475 §3.1.2.7, §3.1.2.8).
  if (const std::uint32_t k = first_sp_or_ht(text, uri_begin, last_sp); k < last_sp)
    return {error_code::bad_request_uri, k};
  if (text[uri_begin] == '<') return {error_code::bad_request_uri, uri_begin};
  out.method_token = span(begin, i, base);
  out.method = lookup_method(text.substr(begin, i - begin));
  out.request_uri = span(uri_begin, last_sp, base);
  return {};
}

}  // namespace

parse_error parse_start_line(std::string_view text, std::uint32_t begin, std::uint32_t first_bad,
                             std::uint32_t base, start_line& out) noexcept {
  out = {};
  if (starts_with_sip_slash(text.substr(begin))) return parse_response(text, begin, first_bad, base, out);
  return parse_request(text, begin, first_bad, base, out);
}

}  // namespace sipring::parser::internal
