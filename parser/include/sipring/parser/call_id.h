#pragma once
// Call-ID (RFC 3261 §20.8): word ["@" word], compared byte by byte.

#include <string_view>

#include "sipring/parser/error.h"

namespace sipring::parser {

/// Checks a Call-ID value (surrounding LWS and folding allowed, none inside); none on success,
/// bad_call_id when it is empty, has LWS or a non-word character, or more than one '@'.
error_code validate_call_id(std::string_view value) noexcept;

}  // namespace sipring::parser
