#include "sipring/sip/federation_policy.h"

#include <strings.h>

#include "sipring/parser/name_addr.h"

namespace sipring::sip {

namespace {

bool same_domain(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

federation_decision check_federation(const parser::message_view& request, const parser::uri& request_uri,
                                     int arrived_from_partner, const transport::federation* partners,
                                     bool follows_route) {
  federation_decision d;
  if (partners == nullptr || partners->empty()) return d;
  parser::name_addr from;
  std::string_view from_domain;
  if (parser::parse_name_addr(request.value_of(parser::header_id::from), from) == parser::error_code::none) {
    parser::uri u;
    if (parser::parse_uri(from.uri, u) == parser::error_code::none) from_domain = u.host;
  }
  if (arrived_from_partner >= 0) {
    const auto& p = partners->partners()[static_cast<std::size_t>(arrived_from_partner)];
    if (!same_domain(from_domain, p.domain)) {
      d.status = 403;
      d.reason = "Forbidden (a partner's link speaks only for its own domain)";
      return d;
    }
  } else if (partners->by_domain(from_domain) >= 0) {
    d.status = 403;
    d.reason = "Forbidden (a partner's requests come over its mutual TLS link only)";
    return d;
  }
  if (follows_route) return d;
  const int target = partners->by_domain(request_uri.host);
  if (target < 0) return d;
  if (arrived_from_partner >= 0) {
    d.status = 403;
    d.reason = "Forbidden (not relaying between partners)";
    return d;
  }
  d.route_to_partner = target;
  return d;
}

}  // namespace sipring::sip
