// Session tickets sealed with the shared session_ticket_keys: a client resumes on another
// shard's context built with the same keys, and not with other keys.

#include <gtest/gtest.h>

#include "wolfssl/options.h"
#include <wolfssl/ssl.h>

#include <limits>
#include <string_view>
#include <utility>

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

/// Whether the server's first flight (its ServerHello) carries a key_share extension.
bool server_hello_has_key_share(std::string_view flight) {
  auto u8 = [&](std::size_t i) { return i < flight.size() ? static_cast<unsigned char>(flight[i]) : 0u; };
  auto u16 = [&](std::size_t i) { return u8(i) << 8 | u8(i + 1); };
  if (u8(0) != 22 || u8(5) != 2) return false;  // handshake record, ServerHello
  std::size_t i = 5 + 4 + 2 + 32;               // headers, legacy_version, random
  i += 1 + u8(i);                               // legacy_session_id_echo
  i += 2 + 1;                                   // cipher_suite, legacy_compression_method
  const std::size_t end = i + 2 + u16(i);
  for (i += 2; i + 4 <= end && i + 4 <= flight.size(); i += 4 + u16(i + 2))
    if (u16(i) == 51) return true;
  return false;
}

/// Resumes `ticket` from client context `c` with server `s`; the server's ServerHello says
/// whether an (EC)DHE exchange was made.
void resume_and_check(const tls_context& c, const tls_context& s, const tls_resumption& ticket,
                      bool expect_key_exchange) {
  tls_pair p(c, s, "sip.a.test");
  p.client.session->resume(ticket);
  ASSERT_NE(p.client.session->handshake(), tls_session::step::failed);
  tls_pair::deliver(p.server, std::exchange(p.client.outbox, {}), std::numeric_limits<std::size_t>::max());
  EXPECT_EQ(server_hello_has_key_share(p.server.outbox), expect_key_exchange);
  ASSERT_TRUE(p.handshake()) << describe(p.client.session->error()) << " / " << describe(p.server.session->error());
  EXPECT_EQ(p.client.session->version(), "TLSv1.3");
  EXPECT_TRUE(p.client.session->resumed());
  EXPECT_TRUE(p.server.session->resumed());
  ASSERT_TRUE(p.client.session->write("after resumption"));
  p.pump();
  EXPECT_EQ(p.server.received, "after resumption");
}

TEST(TlsResumption, Tls13ResumesWithKeyExchangeByDefault) {
  auto s = shard(session_ticket_keys::generate());
  auto c = make_context({tls_role::client, "", {"ca-a"}, {}, peer_verification::required, nullptr});
  resume_and_check(*c, *s, first_connection(*c, *s), true);
}

TEST(TlsResumption, Tls13ResumesWithoutKeyExchangeWhenTheClientAsks) {
  auto s = shard(session_ticket_keys::generate());
  auto c = make_context({tls_role::client, "", {"ca-a"}, {}, peer_verification::required, nullptr, true});
  auto ticket = first_connection(*c, *s);  // the full handshake is unaffected
  ASSERT_FALSE(ticket.empty());
  resume_and_check(*c, *s, ticket, false);
}

TEST(TlsResumption, ResumptionWithoutKeyExchangeIsIgnoredByAServer) {
  // A default client offers both modes: the server keeps the (EC)DHE exchange.
  auto s = make_context({tls_role::server, "sip.a.test", {}, {}, peer_verification::none,
                         session_ticket_keys::generate(), true});
  auto c = make_context({tls_role::client, "", {"ca-a"}, {}, peer_verification::required, nullptr});
  resume_and_check(*c, *s, first_connection(*c, *s), true);
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
