#pragma once
// Internal: the Via parameters a proxy needs (branch, received, maddr, ttl, rport), checked and
// collected one at a time. Shared by parse_via, its one-pass path and the AVX-512 fast path so
// that all three accept and store exactly the same values.

#include <cstdint>
#include <string_view>

#include "sipring/parser/error.h"
#include "sipring/parser/header_params.h"
#include "sipring/parser/via.h"

namespace sipring::parser::detail {

/// What the caller knows of a parameter value: whether it is all token characters.
enum class value_tokens : std::uint8_t { unknown, yes, no };

/// Clears the known parameters' fields of `v` (branch, received, maddr, ttl, rport), one by one:
/// zeroing a whole via costs more than parsing one.
void clear_via_params(via& v) noexcept;

/// Checks one parameter and, when it is a known one, stores it in `v` (whose known fields were
/// cleared first); none for unknown ones. Errors: bad_param (no value, quoted, invalid or
/// repeated), bad_number (ttl or rport out of range). Written straight into the result: a copy
/// of fields just stored one by one stalls on store forwarding.
error_code take_via_param(const header_param& p, via& v,
                          value_tokens tokens = value_tokens::unknown) noexcept;

}  // namespace sipring::parser::detail
