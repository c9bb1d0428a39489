// The AVX-512 Via fast path (via_avx512.cc): it takes the common forms, and with it
// for_each_via gives exactly the scalar results on every input.

#include <gtest/gtest.h>

#include <string>

#include "corpus.h"
#include "sipring/parser/via.h"
#include "typed_avx512.h"
#include "typed_describe.h"

namespace sipring::parser {
namespace {

using testing::first_disagreement;

bool fast_path_takes(std::string_view value) {
  std::size_t pos = 0;
  via v;
  while (avx512::via_element(value, pos, v))
    if (pos == std::string_view::npos) return true;
  return false;
}

TEST(ViaAvx512, TakesTheCommonForms) {
  if (!cpu_supports(simd_level::avx512)) GTEST_SKIP() << "this CPU has no AVX-512 VBMI/GFNI";
  for (std::string_view value : {
           "SIP/2.0/TCP proxy.atlanta.example.com:5060;branch=z9hG4bK4b43c2ff8.1",
           "SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=z9hG4bK776asdhds;received=192.0.2.101;rport=5060",
           "SIP/2.0/UDP 192.0.2.1;rport;branch=z9hG4bK1, SIP/2.0/TLS edge.example.com;branch=z9hG4bK2;ttl=4",
           "SIP/2.0/UDP h.example.com:5060;maddr=224.0.1.75;x-custom=a:b;flag"})
    EXPECT_TRUE(fast_path_takes(value)) << value;
  for (std::string_view value : {"SIP/2.0/UDP [2001:db8::1];branch=z9hG4bK1",
                                 "SIP / 2.0 / UDP host;branch=z9hG4bK1",
                                 "SIP/2.0/UDP host;branch=\"quoted\"", "SIP/2.0/UDP host\r\n ;branch=x"})
    EXPECT_FALSE(fast_path_takes(value)) << value;
}

TEST(ViaAvx512, AgreesWithScalarOnTheTortureCorpus) {
  const auto values = testing::corpus_header_values({"Via", "v"});
  ASSERT_GT(values.size(), 50u);
  for (std::string_view v : values) EXPECT_EQ(first_disagreement(testing::describe_vias, v), "") << v;
}

TEST(ViaAvx512, AgreesWithScalarOnMutatedValues) {
  for (std::string_view sample :
       {"SIP/2.0/UDP pc33.example.com:5060;branch=z9hG4bK7;received=192.0.2.101;rport=5060;ttl=9",
        "SIP/2.0/TCP 10.0.0.1;rport;maddr=h.example.com;x=[::1], SIP/2.0/UDP b.example.com;branch=z9"})
    for (const std::string& v : testing::mutations(sample))
      EXPECT_EQ(first_disagreement(testing::describe_vias, v), "") << v;
}

TEST(ViaAvx512, AgreesWithScalarAcrossWindowSizes) {
  // Elements around the 64- and 128-byte window boundaries.
  for (std::size_t extra = 0; extra < 100; ++extra) {
    const std::string v = "SIP/2.0/UDP host.example.com:5060;branch=z9hG4bK" + std::string(extra, 'x') +
                          ";rport, SIP/2.0/UDP 192.0.2.7;branch=z9hG4bK" + std::string(extra / 2, 'y');
    EXPECT_EQ(first_disagreement(testing::describe_vias, v), "") << v;
  }
}

}  // namespace
}  // namespace sipring::parser
