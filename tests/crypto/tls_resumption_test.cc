// Session tickets sealed with the shared session_ticket_keys: a client resumes on another
// shard's context built with the same keys, and not with other keys.

#include <gtest/gtest.h>

#include "wolfssl/options.h"
#include <wolfssl/ssl.h>

#include "sipring/crypto/session_ticket_keys.h"
#include "tls_pair.h"

namespace {

using namespace sipring::crypto;
using sipring::test::make_context;
using sipring::test::tls_pair;

std::unique_ptr<tls_context> shard(std::shared_ptr<const session_ticket_keys> keys) {
  return make_context({tls_role::server, "sip.a.test", {}, {}, peer_verification::none, std::move(keys)});
}

tls_resumption first_connection(const tls_context& c, const tls_context& s) {
  tls_pair p(c, s, "sip.a.test");
  EXPECT_TRUE(p.handshake());
  EXPECT_FALSE(p.client.session->resumed());
  return p.client.session->resumption();
}

TEST(TlsResumption, KeysAreRandom) {
  auto a = session_ticket_keys::generate(), b = session_ticket_keys::generate();
  EXPECT_NE(a->name(), b->name());
  EXPECT_NE(a->key(), b->key());
}

TEST(TlsResumption, Tls13TicketResumesOnAnotherShard) {
  auto keys = session_ticket_keys::generate();
  auto shard1 = shard(keys), shard2 = shard(keys);
  auto c = make_context({tls_role::client, "", {"ca-a"}, {}, peer_verification::required, nullptr});
  auto ticket = first_connection(*c, *shard1);
  ASSERT_FALSE(ticket.empty());
  tls_pair p(*c, *shard2, "sip.a.test");
  p.client.session->resume(ticket);
  ASSERT_TRUE(p.handshake()) << describe(p.client.session->error());
  EXPECT_EQ(p.client.session->version(), "TLSv1.3");
  EXPECT_TRUE(p.client.session->resumed());
  EXPECT_TRUE(p.server.session->resumed());
  ASSERT_TRUE(p.client.session->write("after resumption"));
  p.pump();
  EXPECT_EQ(p.server.received, "after resumption");
}

TEST(TlsResumption, TicketUnderOtherKeysGivesAFullHandshake) {
  auto shard1 = shard(session_ticket_keys::generate()), shard2 = shard(session_ticket_keys::generate());
  auto c = make_context({tls_role::client, "", {"ca-a"}, {}, peer_verification::required, nullptr});
  auto ticket = first_connection(*c, *shard1);
  ASSERT_FALSE(ticket.empty());
  tls_pair p(*c, *shard2, "sip.a.test");
  p.client.session->resume(ticket);
  ASSERT_TRUE(p.handshake()) << describe(p.client.session->error());
  EXPECT_FALSE(p.client.session->resumed());
  EXPECT_FALSE(p.server.session->resumed());
  EXPECT_TRUE(p.client.session->peer().present);  // the certificate was sent again
}

TEST(TlsResumption, NoTicketsWithoutKeys) {
  auto s = shard(nullptr);
  auto c = make_context({tls_role::client, "", {"ca-a"}, {}, peer_verification::required, nullptr});
  auto ticket = first_connection(*c, *s);
  if (!ticket.empty()) {
    tls_pair p(*c, *s, "sip.a.test");
    p.client.session->resume(ticket);
    ASSERT_TRUE(p.handshake());
    EXPECT_FALSE(p.server.session->resumed());
  }
}

TEST(TlsResumption, Tls12TicketResumesOnAnotherShard) {
  auto keys = session_ticket_keys::generate();
  auto shard1 = shard(keys), shard2 = shard(keys);
  auto c = make_context({tls_role::client, "", {"ca-a"}, {}, peer_verification::required, nullptr});
  wolfSSL_CTX_set_max_proto_version(static_cast<WOLFSSL_CTX*>(c->native()), TLS1_2_VERSION);
  auto ticket = first_connection(*c, *shard1);
  ASSERT_FALSE(ticket.empty());
  tls_pair p(*c, *shard2, "sip.a.test");
  p.client.session->resume(ticket);
  ASSERT_TRUE(p.handshake()) << describe(p.client.session->error());
  EXPECT_EQ(p.client.session->version(), "TLSv1.2");
  EXPECT_TRUE(p.server.session->resumed());
}

TEST(TlsResumption, ContextMayGoBeforeItsSessions) {
  auto keys = session_ticket_keys::generate();
  auto s = shard(keys);
  auto c = make_context({tls_role::client, "", {"ca-a"}, {}, peer_verification::required, nullptr});
  tls_pair p(*c, *s, "sip.a.test");
  s.reset();  // reload: the old context is dropped while a handshake is under way
  ASSERT_TRUE(p.handshake());
  EXPECT_FALSE(p.client.session->resumption().empty());
}

}  // namespace
