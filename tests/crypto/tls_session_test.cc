// tls_session: handshakes and data through in-memory pairs.

#include "sipring/crypto/tls_session.h"

#include <gtest/gtest.h>

#include "wolfssl/options.h"
#include <wolfssl/ssl.h>

#include "tls_pair.h"

namespace {

using namespace sipring::crypto;
using sipring::test::context_spec;
using sipring::test::count_records;
using sipring::test::make_context;
using sipring::test::tls_pair;

constexpr auto server_role = tls_role::server;
constexpr auto client_role = tls_role::client;

std::unique_ptr<tls_context> server_ctx(const std::string& cert = "sip.a.test") {
  return make_context({server_role, cert, {}, {}, peer_verification::none, nullptr});
}
std::unique_ptr<tls_context> client_ctx(std::vector<std::string> cas = {"ca-a"}) {
  return make_context({client_role, "", std::move(cas), {}, peer_verification::required, nullptr});
}

std::string pattern(std::size_t n, int seed) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 131 + seed) & 0xff);
  return s;
}

TEST(TlsSession, Tls13EcdsaHandshakeAndDataBothWays) {
  auto s = server_ctx();
  auto c = client_ctx();
  tls_pair p(*c, *s, "sip.a.test");
  ASSERT_TRUE(p.handshake()) << describe(p.client.session->error()) << " / "
                             << describe(p.server.session->error());
  EXPECT_EQ(p.client.session->version(), "TLSv1.3");
  EXPECT_EQ(p.server.session->version(), "TLSv1.3");
  EXPECT_EQ(p.client.session->cipher(), "TLS_AES_128_GCM_SHA256");
  EXPECT_FALSE(p.client.session->resumed());
  const auto& peer = p.client.session->peer();
  ASSERT_TRUE(peer.present);
  EXPECT_EQ(peer.dns_names, std::vector<std::string>{"sip.a.test"});
  EXPECT_EQ(peer.common_name, "sip.a.test");
  EXPECT_FALSE(peer.der.empty());
  EXPECT_FALSE(p.server.session->peer().present);

  ASSERT_TRUE(p.client.session->write("OPTIONS sip:a.test SIP/2.0\r\n\r\n"));
  p.pump();
  EXPECT_EQ(p.server.received, "OPTIONS sip:a.test SIP/2.0\r\n\r\n");
  ASSERT_TRUE(p.server.session->write("SIP/2.0 200 OK\r\n\r\n"));
  p.pump();
  EXPECT_EQ(p.client.received, "SIP/2.0 200 OK\r\n\r\n");
}

TEST(TlsSession, Tls12Handshake) {
  auto s = server_ctx();
  auto c = client_ctx();
  ASSERT_EQ(wolfSSL_CTX_set_max_proto_version(static_cast<WOLFSSL_CTX*>(c->native()), TLS1_2_VERSION),
            WOLFSSL_SUCCESS);
  tls_pair p(*c, *s, "sip.a.test");
  ASSERT_TRUE(p.handshake()) << describe(p.client.session->error());
  EXPECT_EQ(p.client.session->version(), "TLSv1.2");
  EXPECT_EQ(p.server.session->cipher(), "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
  ASSERT_TRUE(p.client.session->write("ping"));
  p.pump();
  EXPECT_EQ(p.server.received, "ping");
}

TEST(TlsSession, RsaCertificate) {
  auto s = server_ctx("sip-rsa.a.test");
  auto c = client_ctx();
  tls_pair p(*c, *s, "sip-rsa.a.test");
  ASSERT_TRUE(p.handshake()) << describe(p.client.session->error());
  EXPECT_EQ(p.client.session->peer().display_name(), "sip-rsa.a.test");
  auto c12 = client_ctx();
  wolfSSL_CTX_set_max_proto_version(static_cast<WOLFSSL_CTX*>(c12->native()), TLS1_2_VERSION);
  tls_pair p12(*c12, *s, "sip-rsa.a.test");
  ASSERT_TRUE(p12.handshake()) << describe(p12.client.session->error());
  EXPECT_EQ(p12.client.session->cipher(), "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
}

TEST(TlsSession, GatheredWriteMakesOneRecord) {
  auto s = server_ctx();
  auto c = client_ctx();
  tls_pair p(*c, *s, "sip.a.test");
  ASSERT_TRUE(p.handshake());
  std::string a = "INVITE sip:bob@b.test SIP/2.0\r\n", b = "Via: SIP/2.0/TLS x\r\n", d = "\r\n";
  iovec v[3] = {{a.data(), a.size()}, {b.data(), b.size()}, {d.data(), d.size()}};
  const auto calls = p.client.sink_calls;
  ASSERT_TRUE(p.client.session->write(v));
  EXPECT_EQ(p.client.sink_calls, calls + 1);
  EXPECT_EQ(count_records(p.client.outbox, 23), 1u);
  p.pump();
  EXPECT_EQ(p.server.received, a + b + d);
}

TEST(TlsSession, LargeMessagesBothWaysInFewRecords) {
  auto s = server_ctx();
  auto c = client_ctx();
  tls_pair p(*c, *s, "sip.a.test");
  ASSERT_TRUE(p.handshake());
  const std::string big = pattern(100 * 1024, 7);
  // Pieces of odd sizes: 100 KiB must still take ceil(100 KiB / 16 KiB) = 7 records.
  std::vector<iovec> pieces;
  for (std::size_t off = 0; off < big.size();) {
    const std::size_t n = std::min<std::size_t>(1000 + off % 7777, big.size() - off);
    pieces.push_back({const_cast<char*>(big.data() + off), n});
    off += n;
  }
  ASSERT_TRUE(p.client.session->write(pieces));
  EXPECT_EQ(count_records(p.client.outbox, 23), 7u);
  p.pump();
  EXPECT_EQ(p.server.received, big);
  const std::string back = pattern(100 * 1024, 3);
  iovec one{const_cast<char*>(back.data()), back.size()};
  ASSERT_TRUE(p.server.session->write(std::span<const iovec>(&one, 1)));
  p.pump(1000);  // delivered in pieces smaller than a record
  EXPECT_EQ(p.client.received, back);
}

TEST(TlsSession, HandshakeFedOneByteAtATime) {
  auto s = server_ctx();
  auto c = client_ctx();
  tls_pair p(*c, *s, "sip.a.test");
  ASSERT_TRUE(p.handshake(1)) << describe(p.client.session->error());
  ASSERT_TRUE(p.client.session->write("hello"));
  p.pump(1);
  EXPECT_EQ(p.server.received, "hello");
}

TEST(TlsSession, PlaintextSipOnTheTlsPortIsNotTls) {
  auto s = server_ctx();
  sipring::test::tls_endpoint e;
  tls_session session(*s, e.sink());
  const std::string sip = "OPTIONS sip:x SIP/2.0\r\nVia: SIP/2.0/TCP h\r\nContent-Length: 0\r\n\r\n";
  session.feed(sip);
  EXPECT_EQ(session.handshake(), tls_session::step::failed);
  EXPECT_EQ(session.error(), tls_error::not_tls);
  tls_session other(*s, e.sink());
  other.feed(std::string_view("REGISTER sip:a.test SIP/2.0\r\n"));
  EXPECT_EQ(other.handshake(), tls_session::step::failed);
  EXPECT_EQ(other.error(), tls_error::not_tls);
}

TEST(TlsSession, Tls11ClientIsRefused) {
  auto s = server_ctx();
  auto c = client_ctx();
  auto* ctx = static_cast<WOLFSSL_CTX*>(c->native());
  if (wolfSSL_CTX_SetMinVersion(ctx, WOLFSSL_TLSV1_1) != WOLFSSL_SUCCESS ||
      wolfSSL_CTX_set_max_proto_version(ctx, TLS1_1_VERSION) != WOLFSSL_SUCCESS)
    GTEST_SKIP() << "this wolfSSL cannot make a TLS 1.1-only client";
  tls_pair p(*c, *s, "sip.a.test");
  EXPECT_FALSE(p.handshake());
  EXPECT_EQ(p.server.session->error(), tls_error::protocol_version)
      << describe(p.server.session->error()) << " " << p.server.session->library_error();
  EXPECT_FALSE(p.client.session->established());
}

TEST(TlsSession, CloseNotifyIsPeerClosed) {
  auto s = server_ctx();
  auto c = client_ctx();
  tls_pair p(*c, *s, "sip.a.test");
  ASSERT_TRUE(p.handshake());
  p.server.session->close();
  p.pump();
  EXPECT_EQ(p.client.session->error(), tls_error::peer_closed);
  EXPECT_FALSE(p.client.session->write("late"));
}

TEST(TlsSession, CorruptRecordIsBadRecord) {
  auto s = server_ctx();
  auto c = client_ctx();
  tls_pair p(*c, *s, "sip.a.test");
  ASSERT_TRUE(p.handshake());
  ASSERT_TRUE(p.client.session->write("some payload"));
  p.client.outbox[10] ^= 0x40;
  p.pump();
  EXPECT_EQ(p.server.session->error(), tls_error::bad_record);
  EXPECT_TRUE(p.server.received.empty());
}

TEST(TlsSession, RefusingSinkFailsTheWrite) {
  auto s = server_ctx();
  auto c = client_ctx();
  tls_pair p(*c, *s, "sip.a.test");
  ASSERT_TRUE(p.handshake());
  p.client.refuse = true;
  EXPECT_FALSE(p.client.session->write("x"));
  EXPECT_NE(p.client.session->error(), tls_error::none);
}

}  // namespace
