#pragma once
// The Via header line this proxy puts on top of a request it forwards (RFC 3261 §16.6 step 8):
// "Via: SIP/2.0/<transport> <sent-by>;branch=<branch>\r\n", ready for forward_edits::insert_via.

#include <string>
#include <string_view>

#include "sipring/transport/flow.h"

namespace sipring::sip {

inline std::string via_line(transport::protocol p, std::string_view sent_by, std::string_view branch) {
  constexpr std::string_view head = "Via: SIP/2.0/", param = ";branch=", crlf = "\r\n";
  const std::string_view transport = transport::protocol_name(p);
  std::string line;
  line.reserve(head.size() + transport.size() + 1 + sent_by.size() + param.size() + branch.size() + crlf.size());
  line.append(head).append(transport).append(1, ' ').append(sent_by).append(param).append(branch).append(crlf);
  return line;
}

}  // namespace sipring::sip
