// The AVX-512 SIP URI fast path (uri_avx512.cc): it takes the common forms, and with it
// parse_uri gives exactly the scalar results on every input.

#include <gtest/gtest.h>

#include <string>

#include "corpus.h"
#include "sipring/parser/parse.h"
#include "sipring/parser/uri.h"
#include "typed_avx512.h"
#include "typed_describe.h"

namespace sipring::parser {
namespace {

using testing::first_disagreement;

TEST(UriAvx512, TakesTheCommonForms) {
  if (!cpu_supports(simd_level::avx512)) GTEST_SKIP() << "this CPU has no AVX-512 VBMI/GFNI";
  uri u;
  for (std::string_view text : {"sip:bob@biloxi.example.com", "SIPS:a:pw@192.0.2.1:5061;transport=tls",
                                "sip:registrar.example.com", "sip:+1-555;npdi@gw.example.com;user=phone;lr"})
    EXPECT_TRUE(avx512::sip_uri(text, u)) << text;
  for (std::string_view text : {"sip:%61@example.com", "sip:[::1]", "sip:a@example.com?x=y", "tel:+1555",
                                "sip:a@example.com;transport=udp;transport=tcp"})
    EXPECT_FALSE(avx512::sip_uri(text, u)) << text;
}

TEST(UriAvx512, AgreesWithScalarOnEveryRequestUriOfTheCorpus) {
  std::vector<header_field> storage(300);
  int n = 0;
  for (const auto& m : testing::torture_corpus()) {
    const parse_result r = parse_with(simd_level::scalar, m.bytes, storage);
    if (!r.ok() || !r.message.is_request()) continue;
    ++n;
    EXPECT_EQ(first_disagreement(testing::describe_uri, r.message.request_uri()), "") << m.tag;
  }
  EXPECT_GT(n, 20);
}

TEST(UriAvx512, AgreesWithScalarOnMutatedUris) {
  for (std::string_view sample : {"sip:alice:pw@atlanta.example.com:5060;transport=tcp;lr;ttl=255;maddr=1.2.3.4",
                                  "sips:+1-555;x=y@192.0.2.99;method=INVITE;user=phone;other"})
    for (const std::string& v : testing::mutations(sample))
      EXPECT_EQ(first_disagreement(testing::describe_uri, v), "") << v;
}

}  // namespace
}  // namespace sipring::parser
