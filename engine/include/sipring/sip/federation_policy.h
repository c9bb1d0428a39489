#pragma once
// The SIP rules of federation: a request that arrives over a partner's mutual TLS link may
// speak only for that partner's domain (its From), a request whose From is a partner's domain
// must come over that partner's link, and a request for a user of a partner's domain goes to
// that partner. Partners do not relay through us to each other or to the world.

#include <cstdint>
#include <string_view>

#include "sipring/parser/message_view.h"
#include "sipring/parser/uri.h"
#include "sipring/transport/federation.h"

namespace sipring::sip {

struct federation_decision {
  std::uint16_t status = 0;     ///< non-zero: refuse with this status and reason
  const char* reason = nullptr;
  int route_to_partner = -1;    ///< forward to this partner (requests outside a dialog)
};

/// `arrived_from_partner`: the partner whose link carried the request (-1: not a partner link).
/// `follows_route`: an in-dialog request following our Record-Route (not routed by domain).
federation_decision check_federation(const parser::message_view& request, const parser::uri& request_uri,
                                     int arrived_from_partner, const transport::federation* partners,
                                     bool follows_route);

}  // namespace sipring::sip
