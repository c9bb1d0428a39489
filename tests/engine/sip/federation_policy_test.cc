// The SIP rules of federation: who a partner's link may speak for, and requests for a partner's
// users routed to that partner.

#include "sipring/sip/federation_policy.h"

#include <gtest/gtest.h>

#include "harness.h"

namespace sipring::sip {
namespace {

using test::msg;

transport::federation two_partners() {
  std::vector<transport::federation_partner> p(2);
  p[0].domain = "b.test";
  p[1].domain = "c.test";
  return transport::federation(std::move(p), 1);
}

std::string request(const std::string& ruri, const std::string& from) {
  return "MESSAGE " + ruri + " SIP/2.0\r\nVia: SIP/2.0/TLS 192.0.2.1;branch=z9hG4bK1\r\nFrom: <" + from +
         ">;tag=1\r\nTo: <" + ruri + ">\r\nCall-ID: c@x\r\nCSeq: 1 MESSAGE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
}

federation_decision decide(const transport::federation& f, const std::string& ruri, const std::string& from,
                           int arrived_from, bool follows_route = false) {
  const auto m = msg(request(ruri, from));
  parser::uri u;
  EXPECT_EQ(parser::parse_uri(ruri, u), parser::error_code::none);
  return check_federation(m->m, u, arrived_from, &f, follows_route);
}

TEST(FederationPolicy, APartnersLinkSpeaksOnlyForItsOwnDomain) {
  const auto f = two_partners();
  EXPECT_EQ(decide(f, "sip:alice@a.test", "sip:bob@b.test", 0).status, 0);
  EXPECT_EQ(decide(f, "sip:alice@a.test", "sip:bob@B.TEST", 0).status, 0);  // domains are case-insensitive
  EXPECT_EQ(decide(f, "sip:alice@a.test", "sip:mallory@a.test", 0).status, 403);  // not for us
  EXPECT_EQ(decide(f, "sip:alice@a.test", "sip:mallory@c.test", 0).status, 403);  // not for another partner
  EXPECT_EQ(decide(f, "sip:alice@a.test", "sip:bob@b.test", 1).status, 403);      // c's link for b
}

TEST(FederationPolicy, APartnersDomainSpeaksOnlyOverItsLink) {
  const auto f = two_partners();
  const auto d = decide(f, "sip:alice@a.test", "sip:bob@b.test", -1);
  EXPECT_EQ(d.status, 403);
  EXPECT_NE(std::string(d.reason).find("mutual TLS link"), std::string::npos);
  EXPECT_EQ(decide(f, "sip:alice@a.test", "sip:carol@a.test", -1).status, 0);
}

TEST(FederationPolicy, RequestsForAPartnersUsersGoToThatPartnerButPartnersDoNotRelayThroughUs) {
  const auto f = two_partners();
  EXPECT_EQ(decide(f, "sip:bob@b.test", "sip:alice@a.test", -1).route_to_partner, 0);
  EXPECT_EQ(decide(f, "sip:carol@c.test", "sip:alice@a.test", -1).route_to_partner, 1);
  EXPECT_EQ(decide(f, "sip:dave@d.test", "sip:alice@a.test", -1).route_to_partner, -1);  // not a partner
  EXPECT_EQ(decide(f, "sip:carol@c.test", "sip:bob@b.test", 0).status, 403);           // b -> c through us
  // An in-dialog request following our Record-Route is not routed by domain.
  EXPECT_EQ(decide(f, "sip:bob@b.test", "sip:alice@a.test", -1, true).route_to_partner, -1);
}

TEST(FederationPolicy, WithoutPartnersNothingChanges) {
  const transport::federation none({}, 1);
  EXPECT_EQ(decide(none, "sip:bob@b.test", "sip:bob@b.test", -1).status, 0);
  EXPECT_EQ(decide(none, "sip:bob@b.test", "sip:bob@b.test", -1).route_to_partner, -1);
}

}  // namespace
}  // namespace sipring::sip
