// RFC 6125 name matching (peer_certificate.cc).

#include "sipring/crypto/peer_certificate.h"

#include <gtest/gtest.h>

#include "sipring/crypto/tls_error.h"

namespace {

using sipring::crypto::dns_name_matches;
using sipring::crypto::peer_certificate;

TEST(DnsNameMatches, Table) {
  struct row {
    const char* presented;
    const char* host;
    bool match;
  } rows[] = {
      {"sip.a.test", "sip.a.test", true},
      {"SIP.A.Test", "sip.a.TEST", true},
      {"sip.a.test.", "sip.a.test", true},
      {"sip.a.test", "sip.a.test.", true},
      {"sip.a.test", "sip.b.test", false},
      {"sip.a.test", "a.test", false},
      {"sip.a.test", "xsip.a.test", false},
      {"*.a.test", "sip.a.test", true},
      {"*.a.test", "SIP.A.TEST", true},
      {"*.a.test", "sip.a.test.", true},
      {"*.a.test", "a.test", false},
      {"*.a.test", ".a.test", false},
      {"*.a.test", "x.sip.a.test", false},
      {"*.a.test", "sip.b.test", false},
      {"*.test", "a.test", false},
      {"*", "a", false},
      {"s*.a.test", "sip.a.test", false},
      {"sip.*.test", "sip.a.test", false},
      {"*.*.test", "a.b.test", false},
      {"", "a.test", false},
      {"a.test", "", false},
  };
  for (const auto& r : rows)
    EXPECT_EQ(dns_name_matches(r.presented, r.host), r.match) << r.presented << " vs " << r.host;
}

TEST(PeerCertificate, MatchesDnsNamesElseCommonName) {
  peer_certificate c;
  EXPECT_FALSE(c.matches("sip.a.test"));
  EXPECT_EQ(c.display_name(), "(no certificate)");
  c.present = true;
  c.common_name = "sip.a.test";
  EXPECT_TRUE(c.matches("sip.a.test"));
  EXPECT_EQ(c.display_name(), "sip.a.test");
  c.dns_names = {"other.a.test", "*.b.test"};
  EXPECT_FALSE(c.matches("sip.a.test"));  // the CN is ignored when there are dNSNames
  EXPECT_TRUE(c.matches("sip.b.test"));
  EXPECT_TRUE(c.matches("other.a.test"));
  EXPECT_EQ(c.display_name(), "other.a.test");
}

TEST(TlsError, EveryReasonIsDescribed) {
  using sipring::crypto::tls_error;
  for (int i = 0; i <= static_cast<int>(tls_error::internal); ++i)
    EXPECT_FALSE(describe(static_cast<tls_error>(i)).empty());
  EXPECT_EQ(describe(tls_error::expired), "certificate expired");
}

}  // namespace
