// trust_store: one partner's CAs, apart from the handshake; tls_context's load errors.

#include "sipring/crypto/trust_store.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tls_pair.h"

namespace {

using namespace sipring::crypto;
using sipring::test::make_context;
using sipring::test::test_pki;
using sipring::test::tls_pair;

/// The certificate a client sees from a server presenting `cert`.
peer_certificate presented(const std::string& cert) {
  auto s = make_context({tls_role::server, cert, {}, {}, peer_verification::none, nullptr});
  auto c = make_context({tls_role::client, "", {}, {}, peer_verification::none, nullptr});
  tls_pair p(*c, *s);
  EXPECT_TRUE(p.handshake());
  return p.client.session->peer();
}

std::unique_ptr<trust_store> store(std::vector<std::string> cas, std::vector<std::string> crls = {}) {
  std::vector<std::string> ca_files, crl_files;
  for (auto& c : cas) ca_files.push_back(test_pki(c + ".crt"));
  for (auto& c : crls) crl_files.push_back(test_pki(c + ".crl"));
  std::string error;
  auto s = trust_store::load(ca_files, crl_files, error);
  EXPECT_TRUE(s) << error;
  return s;
}

TEST(TrustStore, PerPartnerVerification) {
  auto partner_b = store({"ca-b"}, {"ca-b"});
  auto partner_c = store({"ca-c"});
  EXPECT_EQ(partner_b->verify(presented("sip.b.test")), tls_error::none);
  EXPECT_EQ(partner_c->verify(presented("sip.b.test")), tls_error::unknown_ca);
  EXPECT_EQ(partner_b->verify(presented("sip.b.test-by-c")), tls_error::unknown_ca);
  EXPECT_EQ(partner_c->verify(presented("sip.b.test-by-c")), tls_error::none);
  EXPECT_EQ(partner_b->verify(presented("sip.b.test-evil")), tls_error::unknown_ca);
  EXPECT_EQ(partner_b->verify(presented("sip.b.test-expired")), tls_error::expired);
  EXPECT_EQ(partner_b->verify(presented("sip.b.test-future")), tls_error::not_yet_valid);
  EXPECT_EQ(partner_b->verify(presented("sip.b.test-revoked")), tls_error::revoked);
  EXPECT_EQ(store({"ca-b"})->verify(presented("sip.b.test-revoked")), tls_error::none);
  EXPECT_EQ(partner_b->verify(peer_certificate{}), tls_error::no_certificate);
  peer_certificate junk = presented("sip.b.test");
  junk.der[junk.der.size() - 5] ^= 0x11;  // break the signature
  EXPECT_EQ(partner_b->verify(junk), tls_error::bad_certificate);
}

TEST(TrustStore, LoadErrorsNameTheFile) {
  std::string error;
  EXPECT_FALSE(trust_store::load({"/nonexistent/ca.pem"}, {}, error));
  EXPECT_NE(error.find("/nonexistent/ca.pem"), std::string::npos) << error;
  EXPECT_FALSE(trust_store::load({test_pki("sip.a.test.key")}, {}, error));
  EXPECT_NE(error.find("sip.a.test.key"), std::string::npos) << error;
  EXPECT_FALSE(trust_store::load({test_pki("ca-a.crt")}, {test_pki("ca-b.crl")}, error));
  EXPECT_NE(error.find("ca-b.crl"), std::string::npos) << error;
}

TEST(TlsContext, LoadErrorsNameTheFileAndTheProblem) {
  std::string error;
  tls_context_options o;
  o.certificate_chain = "/nonexistent/chain.pem";
  o.private_key = test_pki("sip.a.test.key");
  EXPECT_FALSE(tls_context::create(o, error));
  EXPECT_NE(error.find("/nonexistent/chain.pem"), std::string::npos) << error;

  o.certificate_chain = test_pki("sip.a.test.key");
  EXPECT_FALSE(tls_context::create(o, error));
  EXPECT_NE(error.find("no usable PEM certificate"), std::string::npos) << error;

  o.certificate_chain = test_pki("sip.a.test.crt");
  o.private_key = test_pki("sip.b.test.key");
  EXPECT_FALSE(tls_context::create(o, error));
  EXPECT_NE(error.find("does not match"), std::string::npos) << error;

  o.private_key = test_pki("sip.a.test.crt");
  EXPECT_FALSE(tls_context::create(o, error));
  EXPECT_NE(error.find("sip.a.test.crt: no usable PEM private key"), std::string::npos) << error;

  o.private_key = test_pki("sip.a.test.key");
  o.trusted_cas = {test_pki("ca-a.key")};
  EXPECT_FALSE(tls_context::create(o, error));
  EXPECT_NE(error.find("ca-a.key: no usable PEM CA"), std::string::npos) << error;

  o.trusted_cas = {test_pki("ca-a.crt")};
  o.crls = {test_pki("ca-a.crt")};
  EXPECT_FALSE(tls_context::create(o, error));
  EXPECT_NE(error.find("ca-a.crt: not a PEM CRL"), std::string::npos) << error;

  o.crls = {test_pki("ca-a.crl")};
  EXPECT_TRUE(tls_context::create(o, error)) << error;
}

}  // namespace
