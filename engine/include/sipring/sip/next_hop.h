#pragma once
// Where to send a request whose next hop is a URI (a Route, a Request-URI, a registered
// contact): RFC 3263 without DNS. The host must be an IP address (sipring does not resolve
// names); the port defaults to 5060 (5061 for sips); the transport comes from the transport=
// parameter (UDP when absent, TLS for sips). A stream with an open connection from this shard
// to that address reuses it; otherwise the caller must connect first. A TLS next hop must be a
// client connected from that address (its own connection) or a federation partner's address
// (its link, whichever side opened it, or a new one): without DNS there is no name to check
// another server's certificate against.

#include <optional>
#include <string_view>

#include "sipring/parser/uri.h"
#include "sipring/transport/transport_layer.h"

namespace sipring::sip {

struct next_hop {
  transport::flow flow;
  bool needs_connect = false;  ///< a stream without a connection yet: connect to flow.remote
  int partner = -1;            ///< TLS: the federation partner at that address
};

/// The next hop for `u`, or nullopt with `why` set (a host name, an unsupported transport, no
/// listener for the address family).
std::optional<next_hop> resolve_next_hop(const parser::uri& u, const transport::transport_layer& transports,
                                         const char*& why);

}  // namespace sipring::sip
