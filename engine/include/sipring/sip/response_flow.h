#pragma once
// Where the responses to a request go (RFC 3261 §18.2.2, RFC 3581 §4): over the connection it
// came on for streams; for UDP to the source address, at the source port when the top Via
// asks for rport, else at the Via's sent-by port (5060 by default).

#include "sipring/parser/via.h"
#include "sipring/transport/flow.h"

namespace sipring::sip {

inline transport::flow response_flow(const parser::via& top, const transport::flow& from) noexcept {
  transport::flow to = from;
  if (from.transport == transport::protocol::udp && !top.has_rport)
    to.remote.set_port(top.sent_by.has_port ? top.sent_by.port : 5060);
  return to;
}

}  // namespace sipring::sip
