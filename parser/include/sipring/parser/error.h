#pragma once
// Parse errors: a code for every way a message can be wrong, the SIP status a server answers
// with, and a short reason phrase fit for that response's status line.

#include <cstdint>
#include <string_view>

namespace sipring::parser {

enum class error_code : std::uint8_t {
  none = 0,
  incomplete,  ///< a stream needs more bytes (not an error on UDP: there it is body_truncated)

  // Limits (answered with 513 Message Too Large).
  message_too_large,
  too_many_headers,
  header_line_too_long,

  // Start line.
  bad_start_line,
  bad_method,
  bad_request_uri,
  bad_version,  ///< answered with 505 Version Not Supported
  bad_status_code,
  bad_reason_phrase,

  // Header section.
  bad_header_name,
  missing_colon,
  bad_header_value,  ///< control characters or bad line structure in a value
  missing_end_of_headers,

  // Mandatory and single-valued headers.
  missing_via,
  missing_from,
  missing_to,
  missing_call_id,
  missing_cseq,
  missing_max_forwards,
  duplicate_header,  ///< a single-valued header (Call-ID, From, To, CSeq, Max-Forwards …) repeated

  // Body framing.
  bad_content_length,
  conflicting_content_length,
  missing_content_length,  ///< mandatory on streams
  body_truncated,          ///< Content-Length larger than what the datagram holds

  // Typed headers.
  bad_via,
  bad_name_addr,
  bad_uri,
  bad_cseq,
  cseq_method_mismatch,
  bad_call_id,
  bad_max_forwards,
  bad_expires,
  bad_quoting,
  bad_param,
  bad_content_type,
  bad_option_tag,
  bad_auth,
  bad_event,
  bad_subscription_state,
  bad_number,
};

/// Where a parse failed: what and at which byte (from the start of the parsed input).
struct parse_error {
  error_code code = error_code::none;
  std::uint32_t offset = 0;
};

/// A short reason phrase for the response, e.g. "Bad Via header". Never empty for a real error.
std::string_view reason_phrase(error_code code) noexcept;

/// The stable identifier of the code, e.g. "bad_via" (for logs, `sipring parse` and tests).
std::string_view code_name(error_code code) noexcept;

/// The status a server answers with: 400, 505 for a version, 513 for a limit; 0 for none/incomplete.
std::uint16_t response_status(error_code code) noexcept;

}  // namespace sipring::parser
