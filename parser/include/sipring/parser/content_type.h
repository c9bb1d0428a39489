#pragma once
// Content-Type (RFC 3261 §20.15, media-type of §25.1): m-type SLASH m-subtype *(SEMI m-parameter),
// with LWS allowed around '/' and the parameters read by header_param_reader.

#include <string_view>

#include "sipring/parser/error.h"

namespace sipring::parser {

struct media_type {
  std::string_view type;     ///< e.g. "application" (compare case-insensitively)
  std::string_view subtype;  ///< e.g. "sdp" (compare case-insensitively)
  std::string_view params;   ///< "" or the text from the first ';' on, for header_param_reader
};

/// Parses a Content-Type value (surrounding LWS and folding allowed). bad_content_type when the
/// type or subtype is not a token or '/' is missing; a parameter error is the reader's code
/// (bad_param, bad_quoting), and a parameter without '=' value is bad_param (m-parameter needs
/// one). `out` is set only on success.
error_code parse_content_type(std::string_view value, media_type& out) noexcept;

}  // namespace sipring::parser
