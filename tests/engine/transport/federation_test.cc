// Federation partners: which partner a certificate authenticates (its names on that partner's
// trusted-server list, its chain from that partner's own CAs), and the link table any shard
// reads. Certificates come from the test PKI (tests/support/make_test_pki).

#include "sipring/transport/federation.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "child_process.h"
#include "sipring/crypto/trust_store.h"
#include "test_pki.h"

namespace sipring::transport {
namespace {

using sipring::test::test_pki;

federation_partner partner(const std::string& domain, const std::string& ca, const std::string& server,
                           std::uint16_t port) {
  federation_partner p;
  p.domain = domain;
  p.ca_files = {test_pki(ca)};
  p.servers = {server};
  p.server_name = server;
  EXPECT_TRUE(peer_address::from_ip("127.0.0.1", port, p.address));
  return p;
}

// The certificate as a peer presents it: its DER (converted by the openssl CLI) and its name.
crypto::peer_certificate presented(const std::string& name, const std::string& dns_name) {
  const std::string der_path = sipring::test::test_pki_dir() + "/" + name + ".der";
  const auto r = sipring::testing::run_command(
      {"openssl", "x509", "-in", test_pki(name + ".crt"), "-outform", "DER", "-out", der_path});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(der_path, std::ios::binary);
  crypto::peer_certificate c;
  c.present = true;
  c.der.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  c.dns_names = {dns_name};
  c.common_name = dns_name;
  return c;
}

struct two_partners {
  federation f{{partner("b.test", "ca-b.crt", "sip.b.test", 5071), partner("c.test", "ca-c.crt", "sip.c.test", 5072)}, 2};
  std::vector<std::unique_ptr<crypto::trust_store>> trust;
  two_partners() {
    std::string error;
    for (const auto& p : f.partners()) {
      trust.push_back(crypto::trust_store::load(p.ca_files, p.crl_files, error));
      EXPECT_TRUE(trust.back()) << error;
    }
  }
};

TEST(Federation, FindsPartnersByDomainAndAddress) {
  const two_partners t;
  EXPECT_EQ(t.f.by_domain("b.test"), 0);
  EXPECT_EQ(t.f.by_domain("C.Test"), 1);
  EXPECT_EQ(t.f.by_domain("d.test"), -1);
  peer_address a;
  ASSERT_TRUE(peer_address::from_ip("127.0.0.1", 5072, a));
  EXPECT_EQ(t.f.by_address(a), 1);
  a.set_port(5073);
  EXPECT_EQ(t.f.by_address(a), -1);
}

TEST(Federation, IdentifiesAPartnerOnlyThroughItsOwnCasAndTrustedServers) {
  const two_partners t;
  EXPECT_EQ(t.f.identify(presented("sip.b.test", "sip.b.test"), t.trust).partner, 0);
  EXPECT_EQ(t.f.identify(presented("sip.c.test", "sip.c.test"), t.trust).partner, 1);

  // Partner C's CA never vouches for partner B's server name.
  const partner_verdict wrong_ca = t.f.identify(presented("sip.b.test-by-c", "sip.b.test"), t.trust);
  EXPECT_EQ(wrong_ca.partner, -1);
  EXPECT_EQ(wrong_ca.error, crypto::tls_error::unknown_ca);
  EXPECT_NE(wrong_ca.detail.find("b.test"), std::string::npos) << wrong_ca.detail;

  const partner_verdict stranger = t.f.identify(presented("sip.wrong.test", "sip.wrong.test"), t.trust);
  EXPECT_EQ(stranger.error, crypto::tls_error::untrusted_server);

  const partner_verdict expired = t.f.identify(presented("sip.b.test-expired", "sip.b.test"), t.trust);
  EXPECT_EQ(expired.error, crypto::tls_error::expired);

  EXPECT_EQ(t.f.identify(crypto::peer_certificate{}, t.trust).error, crypto::tls_error::no_certificate);
}

TEST(Federation, ALinkWeOpenedMustBeThePartnerWeCalled) {
  const two_partners t;
  EXPECT_EQ(t.f.confirm(0, presented("sip.b.test", "sip.b.test"), t.trust).partner, 0);
  EXPECT_NE(t.f.confirm(0, presented("sip.c.test", "sip.c.test"), t.trust).error, crypto::tls_error::none);
  EXPECT_EQ(t.f.confirm(1, presented("sip.b.test-by-c", "sip.b.test"), t.trust).error,
            crypto::tls_error::untrusted_server);  // C's CA, but not a C server name
}

TEST(Federation, LinkTableIsSharedByShardsAndForgetsOnlyTheLinkThatClosed) {
  two_partners t;
  EXPECT_FALSE(t.f.find_link(0, 0));
  flow on_shard1;
  on_shard1.transport = protocol::tls;
  on_shard1.shard = 1;
  on_shard1.listener = 3;
  on_shard1.connection = {7, 42};
  t.f.link_up(0, on_shard1);
  const auto found = t.f.find_link(0, 0);  // shard 0 finds shard 1's link
  ASSERT_TRUE(found);
  EXPECT_EQ(found->shard, 1);
  EXPECT_EQ(found->listener, 3);
  EXPECT_EQ(found->connection, (connection_id{7, 42}));
  EXPECT_FALSE(t.f.find_link(1, 0));  // not partner C's

  flow newer = on_shard1;
  newer.connection = {7, 43};
  t.f.link_up(0, newer);
  t.f.link_down(0, on_shard1);  // the old link closing does not forget the newer one
  ASSERT_TRUE(t.f.find_link(0, 1));
  EXPECT_EQ(t.f.find_link(0, 1)->connection, (connection_id{7, 43}));
  t.f.link_down(0, newer);
  EXPECT_FALSE(t.f.find_link(0, 1));
}

}  // namespace
}  // namespace sipring::transport
