#pragma once
// RFC 6665 §8.4 headers: Event (compact form "o", mapped by the header table) and
// Subscription-State. Parameters are read by header_param_reader; a parameter error keeps the
// reader's code (bad_param, bad_quoting).

#include <cstdint>
#include <string_view>

#include "sipring/parser/error.h"

namespace sipring::parser {

struct event {
  /// event-type: package *("." template), e.g. "presence.winfo". RFC 6665 §8.2.1 compares it
  /// byte by byte, as it does `id`.
  std::string_view package;
  std::string_view id;      ///< the "id" parameter's token; empty when there is none
  std::string_view params;  ///< "" or the text from the first ';' on (id included)
};

/// Parses an Event value (surrounding LWS and folding allowed). bad_event when event-type is
/// not token-nodot parts joined by '.', something other than parameters follows it, or "id"
/// is valueless, quoted, not a token or repeated. `out` is set only on success.
error_code parse_event(std::string_view value, event& out) noexcept;

struct subscription_state {
  enum class value_kind : std::uint8_t { active, pending, terminated, extension };
  value_kind state = value_kind::extension;
  std::string_view state_token;  ///< as written; state is matched case-insensitively
  std::string_view reason;       ///< the "reason" token; empty when there is none
  std::uint32_t expires = 0;
  bool has_expires = false;
  std::uint32_t retry_after = 0;
  bool has_retry_after = false;
  std::string_view params;  ///< "" or the text from the first ';' on (all parameters)
};

/// Parses a Subscription-State value (surrounding LWS and folding allowed).
/// bad_subscription_state when the state is not a token, something other than parameters
/// follows it, or reason / expires / retry-after is valueless, quoted, not a token (reason) or
/// not 1*DIGIT (expires, retry-after) or repeated; bad_number when expires or retry-after
/// exceeds 2^32-1. `out` is set only on success.
error_code parse_subscription_state(std::string_view value, subscription_state& out) noexcept;

}  // namespace sipring::parser
