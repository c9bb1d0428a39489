#pragma once
// Building a response to a parsed request (RFC 3261 §8.2.6, §16.7): the status line, every Via
// of the request in order, From, To (with a To tag where the response needs one), Call-ID and
// CSeq copied, caller-formatted extra headers, an optional body and Content-Length. Writes into
// the caller's buffer: no allocation, no exceptions.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "sipring/parser/message_view.h"

namespace sipring::parser {

struct response_options {
  /// Tag added to To when the request's To has none and the status is above 100 (§8.2.6.2).
  /// Token characters only; empty adds no tag.
  std::string_view to_tag;
  /// Complete header lines, each "Name: value\r\n" (Contact, Min-Expires, WWW-Authenticate,
  /// Unsupported, Allow …), written after CSeq as they are. Empty or ending in CRLF.
  std::string_view extra_headers;
  /// Body and its Content-Type (written only when the body is not empty and the type is set).
  std::string_view content_type;
  std::string_view body;
};

/// The reason phrase RFC 3261 §21 (and the extensions sipring answers with) gives a status,
/// e.g. "Interval Too Brief" for 423; empty for a code it does not know.
std::string_view default_reason(std::uint16_t status) noexcept;

/// Writes the response to `request` into `out` and returns its size. An empty `reason` means
/// default_reason(status). Returns 0 when `out` is too small, `request` is not a parsed
/// request, the status is outside 100..699, the reason holds CR or LF, the tag is not a token,
/// or extra_headers does not end in CRLF. To gets `o.to_tag` when the status is above 100 and
/// the request's To parses (parse_name_addr) without a tag.
std::size_t build_response(const message_view& request, std::uint16_t status,
                           std::string_view reason, const response_options& o,
                           std::span<char> out) noexcept;

/// An upper bound on build_response's size for this request and options with any status and
/// `reason` (empty: any default_reason), To tag included: size the buffer with it.
std::size_t max_response_size(const message_view& request, const response_options& o,
                              std::string_view reason = {}) noexcept;

}  // namespace sipring::parser
