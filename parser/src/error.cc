#include "sipring/parser/error.h"

namespace sipring::parser {

namespace {
struct error_text {
  std::string_view name;
  std::string_view reason;
};

constexpr error_text describe(error_code code) noexcept {
  switch (code) {
    case error_code::none: return {"none", ""};
    case error_code::incomplete: return {"incomplete", "Incomplete message"};
    case error_code::message_too_large: return {"message_too_large", "Message Too Large"};
    case error_code::too_many_headers: return {"too_many_headers", "Too many header fields"};
    case error_code::header_line_too_long: return {"header_line_too_long", "Header field too long"};
    case error_code::bad_start_line: return {"bad_start_line", "Malformed start line"};
    case error_code::bad_method: return {"bad_method", "Malformed method"};
    case error_code::bad_request_uri: return {"bad_request_uri", "Malformed Request-URI"};
    case error_code::bad_version: return {"bad_version", "Version Not Supported"};
    case error_code::bad_status_code: return {"bad_status_code", "Malformed status code"};
    case error_code::bad_reason_phrase: return {"bad_reason_phrase", "Malformed reason phrase"};
    case error_code::bad_header_name: return {"bad_header_name", "Malformed header name"};
    case error_code::missing_colon: return {"missing_colon", "Header line without colon"};
    case error_code::bad_header_value: return {"bad_header_value", "Malformed header value"};
    case error_code::missing_end_of_headers: return {"missing_end_of_headers", "Header section not terminated"};
    case error_code::missing_via: return {"missing_via", "Missing Via header"};
    case error_code::missing_from: return {"missing_from", "Missing From header"};
    case error_code::missing_to: return {"missing_to", "Missing To header"};
    case error_code::missing_call_id: return {"missing_call_id", "Missing Call-ID header"};
    case error_code::missing_cseq: return {"missing_cseq", "Missing CSeq header"};
    case error_code::missing_max_forwards: return {"missing_max_forwards", "Missing Max-Forwards header"};
    case error_code::duplicate_header: return {"duplicate_header", "Repeated single-valued header"};
    case error_code::bad_content_length: return {"bad_content_length", "Bad Content-Length"};
    case error_code::conflicting_content_length: return {"conflicting_content_length", "Conflicting Content-Length values"};
    case error_code::missing_content_length: return {"missing_content_length", "Missing Content-Length on stream"};
    case error_code::body_truncated: return {"body_truncated", "Content-Length larger than message"};
    case error_code::bad_via: return {"bad_via", "Bad Via header"};
    case error_code::bad_name_addr: return {"bad_name_addr", "Bad address header"};
    case error_code::bad_uri: return {"bad_uri", "Bad URI"};
    case error_code::bad_cseq: return {"bad_cseq", "Bad CSeq header"};
    case error_code::cseq_method_mismatch: return {"cseq_method_mismatch", "CSeq method does not match request method"};
    case error_code::bad_call_id: return {"bad_call_id", "Bad Call-ID header"};
    case error_code::bad_max_forwards: return {"bad_max_forwards", "Bad Max-Forwards header"};
    case error_code::bad_expires: return {"bad_expires", "Bad Expires value"};
    case error_code::bad_quoting: return {"bad_quoting", "Unterminated quoted string"};
    case error_code::bad_param: return {"bad_param", "Malformed parameter"};
    case error_code::bad_content_type: return {"bad_content_type", "Bad Content-Type header"};
    case error_code::bad_option_tag: return {"bad_option_tag", "Bad option tag"};
    case error_code::bad_auth: return {"bad_auth", "Bad authentication header"};
    case error_code::bad_event: return {"bad_event", "Bad Event header"};
    case error_code::bad_subscription_state: return {"bad_subscription_state", "Bad Subscription-State header"};
    case error_code::bad_number: return {"bad_number", "Number out of range"};
  }
  return {"unknown", "Bad Request"};
}
}  // namespace

std::string_view reason_phrase(error_code code) noexcept { return describe(code).reason; }
std::string_view code_name(error_code code) noexcept { return describe(code).name; }

std::uint16_t response_status(error_code code) noexcept {
  switch (code) {
    case error_code::none:
    case error_code::incomplete: return 0;
    case error_code::message_too_large:
    case error_code::too_many_headers:
    case error_code::header_line_too_long: return 513;
    case error_code::bad_version: return 505;
    default: return 400;
  }
}

}  // namespace sipring::parser
