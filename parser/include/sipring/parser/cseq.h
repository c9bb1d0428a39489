#pragma once
// CSeq (RFC 3261 §20.16): 1*DIGIT LWS Method. The number must be below 2^31 (§8.1.1.5).

#include <cstdint>
#include <string_view>

#include "sipring/parser/error.h"
#include "sipring/parser/method.h"

namespace sipring::parser {

struct cseq {
  std::uint32_t number = 0;
  std::string_view method_token;  ///< as written (methods are case-sensitive)
  method_id method = method_id::extension;
};

/// Parses a CSeq value (surrounding LWS and folding allowed). bad_cseq when the value is not
/// number, LWS, token; bad_number when the number is 2^31 or more. `out` is set only on success.
error_code parse_cseq(std::string_view value, cseq& out) noexcept;

}  // namespace sipring::parser
