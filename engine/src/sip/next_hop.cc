#include "sipring/sip/next_hop.h"

namespace sipring::sip {

std::optional<next_hop> resolve_next_hop(const parser::uri& u, const transport::transport_layer& transports,
                                         const char*& why) {
  if (u.scheme != parser::uri_scheme::sip && u.scheme != parser::uri_scheme::sips) {
    why = "not a SIP URI";
    return std::nullopt;
  }
  // maddr overrides the host (RFC 3261 §19.1.1) when it is an address.
  std::string_view host = u.host;
  if (!u.maddr.empty()) host = u.maddr;
  transport::protocol p = u.scheme == parser::uri_scheme::sips ? transport::protocol::tls : transport::protocol::udp;
  if (!u.transport.empty() && !transport::parse_protocol(u.transport, p)) {
    why = "unsupported transport";
    return std::nullopt;
  }
  const std::uint16_t port = u.has_port ? u.port : (p == transport::protocol::tls ? 5061 : 5060);
  next_hop hop;
  if (!transport::peer_address::from_ip(host, port, hop.flow.remote)) {
    why = "the host is not an IP address (sipring does not resolve names)";
    return std::nullopt;
  }
  if (p == transport::protocol::tls) {
    // A client's own TLS connection from that address (its contact is where it connected
    // from), else a federation partner's link.
    if (const transport::flow* open = transports.find_connection(p, hop.flow.remote)) {
      hop.flow = *open;
      return hop;
    }
    const transport::federation* partners = transports.partners();
    const int partner = partners != nullptr ? partners->by_address(hop.flow.remote) : -1;
    if (partner < 0) {
      why = "a TLS next hop must be a connected client or a federation partner's address";
      return std::nullopt;
    }
    hop.partner = partner;
    if (const auto link = partners->find_link(partner, transports.shard_id())) hop.flow = *link;
    else hop.needs_connect = true;
    return hop;
  }
  hop.flow.transport = p;
  hop.flow.shard = static_cast<std::uint16_t>(transports.shard_id());
  const int listener = transports.listener_for(p, hop.flow.remote.family());
  if (listener < 0) {
    why = "no listener of that transport and address family";
    return std::nullopt;
  }
  hop.flow.listener = static_cast<std::uint16_t>(listener);
  if (transport::is_stream(p)) {
    if (const transport::flow* open = transports.find_connection(p, hop.flow.remote)) hop.flow = *open;
    else hop.needs_connect = true;
  }
  return hop;
}

}  // namespace sipring::sip
