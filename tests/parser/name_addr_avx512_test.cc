// The AVX-512 name-addr fast path (name_addr_avx512.cc): it takes the common forms, and with it
// for_each_name_addr / parse_name_addr_uri give exactly the scalar results on every input.

#include <gtest/gtest.h>

#include <string>

#include "corpus.h"
#include "sipring/parser/name_addr.h"
#include "typed_avx512.h"
#include "typed_describe.h"

namespace sipring::parser {
namespace {

using testing::first_disagreement;

#define REQUIRE_AVX512() \
  if (!cpu_supports(simd_level::avx512)) GTEST_SKIP() << "this CPU has no AVX-512 VBMI/GFNI"

bool fast_path_takes(std::string_view value) {
  std::size_t pos = 0;
  name_addr na;
  uri u;
  while (avx512::name_addr_element(value, pos, true, na, u))
    if (pos == std::string_view::npos) return true;
  return false;
}

TEST(NameAddrAvx512, TakesTheCommonForms) {
  REQUIRE_AVX512();
  for (std::string_view value : {
           "\"Alice\" <sip:alice@atlanta.example.com>;tag=1928301774",
           "\"Bob\" <sip:bob@biloxi.example.com>", "<sip:ss2.biloxi.example.com;lr>",
           "<sip:alice@pc33.atlanta.example.com;transport=udp>", "Bob <sips:bob@192.0.2.4:5061>",
           "<sip:a@b.example.com>;expires=3600;q=0.7, <sip:c:pw@d.example.com;user=phone>",
           "  <sip:+1-555@gw.example.com;method=INVITE;ttl=16;maddr=192.0.2.1>  ",
           // RFC 5626: a quoted instance id, with '<', '>' and ':' inside the quotes.
           "<sip:bob@192.0.2.4:5060>;expires=3600;+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>\"",
           "<sip:p1.example.com;lr>,<sip:p2.example.com;lr>,<sip:p3.example.com;lr>,"
           "<sip:p4.example.com;lr>,<sip:p5.example.com;lr>",  // past one 64-byte window
           "\"A long display name past 64 bytes\" "
           "<sip:someone.with.a.long.user.part@host.example.com;transport=tcp>;tag=abcdef"})
    EXPECT_TRUE(fast_path_takes(value)) << value;
}

TEST(NameAddrAvx512, LeavesUncommonFormsToTheGeneralParser) {
  REQUIRE_AVX512();
  for (std::string_view value :
       {"sip:bare@example.com", "<sip:%61lice@example.com>", "<sip:a@[2001:db8::1]>",
        "<sip:a@example.com?subject=x>", "<sip:a@example.com>;x=\"esc\\\"aped\"",
        "<sip:a@example.com>;tag=\"quoted\"", "<sip:a@example.com>;x=\"unterminated",
        "\"esc\\\"aped\" <sip:a@example.com>", "<tel:+1555>", "<sip:a@example.com>\r\n ;tag=1",
        "<sip:a@example.com>; tag=1", "<sip:a@example.com>;tag=1;tag=2", "<sip:a@-bad.com>"})
    EXPECT_FALSE(fast_path_takes(value)) << value;
}

TEST(NameAddrAvx512, AgreesWithScalarOnTheTortureCorpus) {
  const auto values = testing::corpus_header_values(
      {"From", "f", "To", "t", "Contact", "m", "Route", "Record-Route", "Reply-To", "Path"});
  ASSERT_GT(values.size(), 100u);
  for (std::string_view v : values) EXPECT_EQ(first_disagreement(testing::describe_name_addrs, v), "") << v;
}

TEST(NameAddrAvx512, AgreesWithScalarOnMutatedElements) {
  for (std::string_view sample :
       {"\"Alice\" <sip:alice:pw@atlanta.example.com:5060;transport=tcp;lr>;tag=19;q=0.5;expires=60",
        "Bob <sip:bob@192.0.2.4>, <sips:c@d.example.com;maddr=10.0.0.1;ttl=1>;x",
        "<sip:a;b=c@host.example.com;method=REGISTER;user=ip>;tag=x",
        "<sip:b@192.0.2.4>;reg-id=1;+sip.instance=\"<urn:uuid:1,2>\";expires=60, <sip:c@d.example.com>"})
    for (const std::string& v : testing::mutations(sample))
      EXPECT_EQ(first_disagreement(testing::describe_name_addrs, v), "") << v;
}

TEST(NameAddrAvx512, AgreesWithScalarOnLongLists) {
  std::string list;
  for (int i = 0; i < 12; ++i) {
    if (i) list += i % 3 ? "," : " ,\t";
    list += "<sip:proxy" + std::to_string(i) + ".example.com;lr>";
    EXPECT_EQ(first_disagreement(testing::describe_name_addrs, list), "") << list;
  }
}

}  // namespace
}  // namespace sipring::parser
