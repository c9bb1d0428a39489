#pragma once
// The checks parse() makes on a complete header index: mandatory headers (RFC 3261 §8.1.1),
// Content-Length, and CSeq against the request method. Other headers are left to the typed
// parsers, which callers run on demand.

#include <cstdint>

#include "sipring/parser/error.h"
#include "sipring/parser/message_view.h"
#include "sipring/parser/parse.h"

namespace sipring::parser::internal {

struct check_result {
  parse_error error;                 ///< offsets relative to the message's first byte
  std::int64_t content_length = -1;  ///< -1 when absent
};

/// `header_end` is the offset of the empty line, reported for a missing header; bit i of `seen`
/// is set when the message has a header of id i.
check_result check_message(const message_view& message, const parse_options& options,
                           std::uint32_t header_end, std::uint64_t seen) noexcept;

}  // namespace sipring::parser::internal
