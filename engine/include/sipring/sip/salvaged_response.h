#pragma once
// An answer to a request that did not parse (RFC 3261 §16.3 step 1, §8.2.6): the parser's
// message view is unusable then, so a line scan of the header section finds the Via, From, To,
// Call-ID and CSeq lines and copies them into the error response. Nothing is answered when the
// bytes are not a request (a response, or a start line that is no request line) or carry no
// Via that parses: there is nowhere to send the answer to.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "sipring/parser/via.h"

namespace sipring::sip {

struct salvaged_response {
  std::size_t size = 0;  ///< bytes written; 0: no answer possible
  parser::via top_via;   ///< the request's top Via (for the response's destination) when size > 0
};

/// Writes "SIP/2.0 status reason" with the request's Via, From, To (a To tag added when it has
/// none), Call-ID and CSeq lines and Content-Length: 0 into `out`. `reason` must be printable.
salvaged_response build_salvaged_response(std::string_view request_bytes, std::uint16_t status,
                                          std::string_view reason, std::string_view to_tag,
                                          std::span<char> out) noexcept;

}  // namespace sipring::sip
