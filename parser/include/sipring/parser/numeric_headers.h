#pragma once
// Numeric header values: Max-Forwards (RFC 3261 §20.22), Content-Length (§20.14), Expires and
// Min-Expires (§20.19, §20.23), and the decimal reader the other typed parsers share.
// Values may carry surrounding LWS, folding included; LWS inside a number is an error.

#include <cstdint>
#include <string_view>

#include "sipring/parser/error.h"

namespace sipring::parser {

/// Reads `digits` (exactly 1*DIGIT: no sign, no LWS; leading zeros allowed, any length) into
/// `value`. Returns none; bad_number when the number exceeds `max` (then `value` is `max`);
/// bad_header_value when `digits` is empty or holds anything but a digit (that wins over size).
error_code parse_uint(std::string_view digits, std::uint64_t max, std::uint64_t& value) noexcept;

/// Max-Forwards: 1*DIGIT in 0..255; bad_max_forwards otherwise.
error_code parse_max_forwards(std::string_view value, std::uint8_t& hops) noexcept;

/// Content-Length: 1*DIGIT up to 2^32-1; bad_content_length otherwise ("-999", "five", 2^32).
error_code parse_content_length(std::string_view value, std::uint32_t& length) noexcept;

/// Expires / Min-Expires: delta-seconds; a value above 2^32-1 is read as 2^32-1 (RFC 3261
/// §20.19). bad_expires when it is not a number.
error_code parse_expires(std::string_view value, std::uint32_t& seconds) noexcept;

}  // namespace sipring::parser
