#pragma once
// Full validation of a parsed message: every header sipring has a typed parser for, and the
// Request-URI. parse() checks only what framing and transaction matching need; a proxy
// validating a request (RFC 3261 §16.3), `sipring parse` and the fuzzer run this too.

#include "sipring/parser/error.h"
#include "sipring/parser/message_view.h"

namespace sipring::parser {

/// Runs the typed parser of every known header (Via, From, To, Reply-To, Contact, Route,
/// Record-Route, Path, Call-ID, CSeq, Max-Forwards, Content-Length, Content-Type, Expires,
/// Min-Expires, Require, Proxy-Require, Supported, Unsupported, the four authentication
/// headers, Event, Subscription-State) and parse_uri on a request's Request-URI, which must
/// carry no headers (RFC 3261 §19.1.1). Returns the first error, its offset being that of the
/// offending value (from the message's first byte); code none when everything is valid.
/// Unknown headers and headers without a typed parser (Subject, Date, Allow …) pass.
parse_error check_typed_headers(const message_view& message) noexcept;

}  // namespace sipring::parser
