#pragma once
// The start line of a request (Method SP Request-URI SP SIP-Version) or a response
// (SIP-Version SP Status-Code SP Reason-Phrase), RFC 3261 §7.1 and §7.2.

#include <cstdint>
#include <string_view>

#include "sipring/parser/error.h"
#include "sipring/parser/message_view.h"
#include "sipring/parser/method.h"

namespace sipring::parser::internal {

struct start_line {
  std::uint16_t status_code = 0;  ///< 0 for a request
  method_id method = method_id::extension;
  text_span method_token, request_uri, reason;  ///< relative to the message's first byte
};

/// Parses the line [begin, text.size()) of `text` (the CRLF excluded). `first_bad` is the
/// position of the line's first control byte (text.size() when none); offsets in `out` are
/// relative to `base`, error offsets are absolute.
parse_error parse_start_line(std::string_view text, std::uint32_t begin, std::uint32_t first_bad,
                             std::uint32_t base, start_line& out) noexcept;

}  // namespace sipring::parser::internal
