// tls_session: every reason a handshake is refused, on both sides.

#include <gtest/gtest.h>

#include "tls_pair.h"

namespace {

using namespace sipring::crypto;
using sipring::test::make_context;
using sipring::test::tls_pair;

struct outcome {
  bool ok;
  tls_error client, server;
  peer_certificate client_saw;
};

outcome connect(const std::string& server_cert, const std::string& name, std::vector<std::string> client_cas,
                std::vector<std::string> crls = {}) {
  auto s = make_context({tls_role::server, server_cert, {}, {}, peer_verification::none, nullptr});
  auto c = make_context({tls_role::client, "", std::move(client_cas), std::move(crls),
                         peer_verification::required, nullptr});
  tls_pair p(*c, *s, name);
  const bool ok = p.handshake();
  return {ok, p.client.session->error(), p.server.session->error(), p.client.session->peer()};
}

TEST(TlsVerify, TrustedServerIsAccepted) {
  auto o = connect("sip.b.test", "sip.b.test", {"ca-a", "ca-b"}, {"ca-b"});
  EXPECT_TRUE(o.ok) << describe(o.client);
}

TEST(TlsVerify, UnknownCaIsRefusedWithThePeerCaptured) {
  auto o = connect("sip.b.test-evil", "sip.b.test", {"ca-b"});
  EXPECT_FALSE(o.ok);
  EXPECT_EQ(o.client, tls_error::unknown_ca);
  EXPECT_TRUE(o.client_saw.present);
  EXPECT_EQ(o.client_saw.display_name(), "sip.b.test");
  // The client's alert reaches the server.
  EXPECT_EQ(o.server, tls_error::peer_alert);
}

TEST(TlsVerify, ExpiredIsRefused) {
  auto o = connect("sip.b.test-expired", "sip.b.test", {"ca-b"});
  EXPECT_FALSE(o.ok);
  EXPECT_EQ(o.client, tls_error::expired);
}

TEST(TlsVerify, NotYetValidIsRefused) {
  auto o = connect("sip.b.test-future", "sip.b.test", {"ca-b"});
  EXPECT_FALSE(o.ok);
  EXPECT_EQ(o.client, tls_error::not_yet_valid);
}

TEST(TlsVerify, RevokedIsRefusedOnlyWithTheCrl) {
  auto o = connect("sip.b.test-revoked", "sip.b.test", {"ca-a", "ca-b"}, {"ca-b"});
  EXPECT_FALSE(o.ok);
  EXPECT_EQ(o.client, tls_error::revoked);
  EXPECT_TRUE(connect("sip.b.test-revoked", "sip.b.test", {"ca-b"}).ok);
  // A CA with no CRL configured (ca-a) is not checked for revocation.
  EXPECT_TRUE(connect("sip.a.test", "sip.a.test", {"ca-a", "ca-b"}, {"ca-b"}).ok);
}

TEST(TlsVerify, NameMismatchIsRefused) {
  auto o = connect("sip.wrong.test", "sip.b.test", {"ca-b"});
  EXPECT_FALSE(o.ok);
  EXPECT_EQ(o.client, tls_error::name_mismatch);
  EXPECT_EQ(o.client_saw.display_name(), "sip.wrong.test");
}

TEST(TlsVerify, WildcardCertificate) {
  EXPECT_TRUE(connect("wildcard.a.test", "sip.a.test", {"ca-a"}).ok);
  EXPECT_TRUE(connect("wildcard.a.test", "SIP.A.TEST.", {"ca-a"}).ok);
  EXPECT_EQ(connect("wildcard.a.test", "a.test", {"ca-a"}).client, tls_error::name_mismatch);
  EXPECT_EQ(connect("wildcard.a.test", "x.sip.a.test", {"ca-a"}).client, tls_error::name_mismatch);
  EXPECT_EQ(connect("wildcard.a.test", "sip.b.test", {"ca-a"}).client, tls_error::name_mismatch);
}

TEST(TlsVerify, ClientWithoutVerificationAcceptsAnything) {
  auto s = make_context({tls_role::server, "sip.b.test-evil", {}, {}, peer_verification::none, nullptr});
  auto c = make_context({tls_role::client, "", {}, {}, peer_verification::none, nullptr});
  tls_pair p(*c, *s, "other.test");
  EXPECT_TRUE(p.handshake());
  EXPECT_EQ(p.client.session->peer().display_name(), "sip.b.test");
}

struct mutual {
  std::unique_ptr<tls_context> s, c;
};
mutual mutual_contexts(peer_verification server_verify, const std::string& client_cert) {
  return {make_context({tls_role::server, "sip.a.test", {"ca-a", "ca-b"}, {}, server_verify, nullptr}),
          make_context({tls_role::client, client_cert, {"ca-a"}, {}, peer_verification::required, nullptr})};
}

TEST(TlsVerify, ClientCertificateRequired) {
  auto m = mutual_contexts(peer_verification::required, "");
  tls_pair p(*m.c, *m.s, "sip.a.test");
  EXPECT_FALSE(p.handshake());
  EXPECT_EQ(p.server.session->error(), tls_error::no_certificate)
      << describe(p.server.session->error()) << " " << p.server.session->library_error();
  EXPECT_FALSE(p.server.session->peer().present);
}

TEST(TlsVerify, ClientCertificateOptional) {
  auto m = mutual_contexts(peer_verification::optional, "");
  tls_pair p(*m.c, *m.s, "sip.a.test");
  EXPECT_TRUE(p.handshake());
  EXPECT_FALSE(p.server.session->peer().present);
  EXPECT_EQ(p.server.session->peer().display_name(), "(no certificate)");

  auto m2 = mutual_contexts(peer_verification::optional, "alice.a.test");
  tls_pair p2(*m2.c, *m2.s, "sip.a.test");
  EXPECT_TRUE(p2.handshake());
  const auto& peer = p2.server.session->peer();
  ASSERT_TRUE(peer.present);
  EXPECT_EQ(peer.common_name, "alice@a.test");
  EXPECT_TRUE(peer.dns_names.empty());  // the e-mail SAN is not a DNS name
  EXPECT_EQ(peer.display_name(), "alice@a.test");
}

TEST(TlsVerify, UntrustedClientCertificateIsRefusedByTheServer) {
  auto s = make_context({tls_role::server, "sip.a.test", {"ca-a"}, {}, peer_verification::required, nullptr});
  auto c = make_context({tls_role::client, "sip.b.test", {"ca-a"}, {}, peer_verification::required, nullptr});
  tls_pair p(*c, *s, "sip.a.test");
  EXPECT_FALSE(p.handshake());
  EXPECT_EQ(p.server.session->error(), tls_error::unknown_ca);
  EXPECT_EQ(p.server.session->peer().display_name(), "sip.b.test");
  EXPECT_FALSE(p.client.session->established() && p.client.session->error() == tls_error::none);
}

int peer_check_calls = 0;
tls_error refuse_partner_b(void*, const peer_certificate& peer) {
  ++peer_check_calls;
  // Partner b's servers must be issued by ca-b: here the check refuses any sip.b.test.
  return peer.matches("sip.b.test") ? tls_error::untrusted_server : tls_error::none;
}

TEST(TlsVerify, PeerCheckRefusal) {
  auto s = make_context({tls_role::server, "sip.a.test", {"ca-b", "ca-c"}, {}, peer_verification::required, nullptr});
  auto c = make_context({tls_role::client, "sip.b.test-by-c", {"ca-a"}, {}, peer_verification::required, nullptr});
  peer_check_calls = 0;
  tls_pair p(*c, *s, "sip.a.test");
  p.server.session->set_peer_check({nullptr, &refuse_partner_b});
  EXPECT_FALSE(p.handshake());
  EXPECT_EQ(peer_check_calls, 1);
  EXPECT_EQ(p.server.session->error(), tls_error::untrusted_server);
  EXPECT_NE(p.client.session->error(), tls_error::none);

  // The same check lets another partner's server through.
  auto c2 = make_context({tls_role::client, "sip.c.test", {"ca-a"}, {}, peer_verification::required, nullptr});
  tls_pair p2(*c2, *s, "sip.a.test");
  p2.server.session->set_peer_check({nullptr, &refuse_partner_b});
  EXPECT_TRUE(p2.handshake()) << describe(p2.server.session->error());
  EXPECT_EQ(peer_check_calls, 2);
}

TEST(TlsVerify, ClientPeerCheckRunsAfterTheNameMatched) {
  auto s = make_context({tls_role::server, "sip.a.test", {}, {}, peer_verification::none, nullptr});
  auto c = make_context({tls_role::client, "", {"ca-a"}, {}, peer_verification::required, nullptr});
  tls_pair p(*c, *s, "sip.a.test");
  p.client.session->set_peer_check({nullptr, [](void*, const peer_certificate&) { return tls_error::untrusted_server; }});
  EXPECT_FALSE(p.handshake());
  EXPECT_EQ(p.client.session->error(), tls_error::untrusted_server);
  EXPECT_EQ(p.server.session->error(), tls_error::peer_alert);
}

}  // namespace
