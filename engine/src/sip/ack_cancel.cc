#include "sipring/sip/ack_cancel.h"

#include <array>
#include <charconv>

#include "sipring/parser/cseq.h"
#include "sipring/parser/header_values.h"
#include "sipring/parser/parse.h"

namespace sipring::sip {

namespace {

// Writes "<method> <Request-URI> SIP/2.0", the top Via, the Route lines, Max-Forwards, From,
// To (`to`, or the INVITE's when empty), Call-ID, CSeq and Content-Length: 0.
bool build(std::string_view invite, std::string_view method, std::string_view to, std::string& out) {
  std::array<parser::header_field, 256> storage;
  const parser::parse_result r = parser::parse(invite, storage);
  if (!r.ok() || !r.message.is_request()) return false;
  const parser::message_view& m = r.message;
  parser::cseq cs;
  if (parser::parse_cseq(m.value_of(parser::header_id::cseq), cs) != parser::error_code::none)
    return false;
  // The first element of the first Via line.
  std::string_view via;
  parser::list_splitter vias(m.value_of(parser::header_id::via));
  if (!vias.next(via) || via.empty()) return false;
  if (to.empty()) to = m.value_of(parser::header_id::to);

  char number[16];
  const auto n = std::to_chars(number, number + sizeof number, cs.number);

  out.clear();
  out.reserve(invite.size() < 1024 ? 1024 : invite.size());
  out.append(method).append(" ").append(m.request_uri()).append(" SIP/2.0\r\n");
  out.append("Via: ").append(via).append("\r\n");
  for (const parser::header_field& h : m.headers())
    if (h.id == parser::header_id::route) out.append("Route: ").append(m.value(h)).append("\r\n");
  out.append("Max-Forwards: 70\r\n");
  out.append("From: ").append(m.value_of(parser::header_id::from)).append("\r\n");
  out.append("To: ").append(to).append("\r\n");
  out.append("Call-ID: ").append(m.value_of(parser::header_id::call_id)).append("\r\n");
  out.append("CSeq: ").append(number, n.ptr).append(" ").append(method).append("\r\n");
  out.append("Content-Length: 0\r\n\r\n");
  return true;
}

}  // namespace

bool build_ack(std::string_view invite, const parser::message_view& response, std::string& out) {
  const std::string_view to = response.value_of(parser::header_id::to);
  if (to.empty()) return false;
  return build(invite, "ACK", to, out);
}

bool build_cancel(std::string_view invite, std::string& out) {
  return build(invite, "CANCEL", {}, out);
}

}  // namespace sipring::sip
