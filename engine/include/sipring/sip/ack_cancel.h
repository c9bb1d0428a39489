#pragma once
// The two requests the transaction layer derives from an INVITE it sent: the ACK for a non-2xx
// final (RFC 3261 §17.1.1.3) and a CANCEL (§9.1, §16.10). Both are built from the INVITE's
// bytes (client_transaction::request()), with Max-Forwards: 70 and Content-Length: 0.

#include <string>
#include <string_view>

#include "sipring/parser/message_view.h"

namespace sipring::sip {

/// ACK for `response` (a 300-699 to `invite`): the INVITE's Request-URI, its top Via only, its
/// Route lines, its From and Call-ID, To from the response (with its tag), CSeq with the
/// INVITE's number and method ACK. Replaces `out`; false (out unspecified) when `invite` does
/// not parse as a request with a top Via and a CSeq, or `response` has no To.
bool build_ack(std::string_view invite, const parser::message_view& response, std::string& out);

/// CANCEL for `invite`: its Request-URI, top Via only, Route lines, From, To, Call-ID, and CSeq
/// with its number and method CANCEL. Replaces `out`; false as for build_ack().
/// The TU sends it in its own client transaction with the INVITE's branch and flow, and only
/// once the INVITE's transaction got a provisional (§9.1).
bool build_cancel(std::string_view invite, std::string& out);

}  // namespace sipring::sip
