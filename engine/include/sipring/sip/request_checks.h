#pragma once
// Request validation of a proxy (RFC 3261 §16.3): after the parse (step 1), the typed headers,
// the Request-URI scheme (416), loop detection (482) and Proxy-Require (420). Max-Forwards
// (483) is left to the caller, which answers an OPTIONS addressed to itself instead.

#include <cstdint>
#include <string>
#include <string_view>

#include "sipring/parser/message_view.h"
#include "sipring/parser/uri.h"
#include "sipring/sip/local_identity.h"

namespace sipring::sip {

/// The answer to a request that fails a check; status 0 when it passes.
struct refusal {
  std::uint16_t status = 0;
  std::string_view reason;    ///< the reason phrase (static text)
  std::string extra_headers;  ///< e.g. "Unsupported: foo\r\n" for 420; usually empty
  explicit operator bool() const noexcept { return status != 0; }
};

/// The branch prefix of every Via this server writes (branch.h generates it): a Via with one of
/// our sent-by addresses and this prefix means the request has been here before.
inline constexpr std::string_view our_branch_prefix = "z9hG4bKsr";

/// Runs the checks above on a parsed request; `request_uri` is its parsed Request-URI.
refusal check_request(const parser::message_view& request, const parser::uri& request_uri,
                      const local_identity& me);

/// Whether `require_value` (a Require header) lists only the option tags in `supported`
/// (comma-separated); when not, the unsupported ones are written as an Unsupported line.
bool all_supported(std::string_view require_value, std::string_view supported, std::string& unsupported_line);

}  // namespace sipring::sip
