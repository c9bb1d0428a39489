#include "sipring/parser/numeric_headers.h"

#include <limits>

#include "char_class.h"
#include "sipring/parser/header_values.h"

namespace sipring::parser {

error_code parse_uint(std::string_view digits, std::uint64_t max, std::uint64_t& value) noexcept {
  if (digits.empty()) return error_code::bad_header_value;
  std::uint64_t v = 0;
  bool too_large = false;
  for (const char c : digits) {
    if (!chars::is_digit(c)) return error_code::bad_header_value;
    // Keep scanning after an overflow: a later non-digit still makes it not a number.
    if (too_large) continue;
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (d > max || v > (max - d) / 10) too_large = true;
    else v = v * 10 + d;
  }
  value = too_large ? max : v;
  return too_large ? error_code::bad_number : error_code::none;
}

error_code parse_max_forwards(std::string_view value, std::uint8_t& hops) noexcept {
  std::uint64_t v = 0;
  if (parse_uint(trim_lws(value), 255, v) != error_code::none) return error_code::bad_max_forwards;
  hops = static_cast<std::uint8_t>(v);
  return error_code::none;
}

error_code parse_content_length(std::string_view value, std::uint32_t& length) noexcept {
  std::uint64_t v = 0;
  if (parse_uint(trim_lws(value), std::numeric_limits<std::uint32_t>::max(), v) != error_code::none)
    return error_code::bad_content_length;
  length = static_cast<std::uint32_t>(v);
  return error_code::none;
}

error_code parse_expires(std::string_view value, std::uint32_t& seconds) noexcept {
  std::uint64_t v = 0;
  // Too large is not an error: parse_uint leaves the maximum in v, which is the clamp.
  if (parse_uint(trim_lws(value), std::numeric_limits<std::uint32_t>::max(), v) ==
      error_code::bad_header_value)
    return error_code::bad_expires;
  seconds = static_cast<std::uint32_t>(v);
  return error_code::none;
}

}  // namespace sipring::parser
