#include "sipring/parser/cseq.h"

#include <gtest/gtest.h>

#include <string>

#include "corpus.h"

namespace sipring::parser {
namespace {

using testing::header_value;
using testing::torture_message;

TEST(Cseq, ParsesNumberAndKnownMethod) {
  cseq c;
  ASSERT_EQ(parse_cseq("4711 INVITE", c), error_code::none);
  EXPECT_EQ(c.number, 4711u);
  EXPECT_EQ(c.method_token, "INVITE");
  EXPECT_EQ(c.method, method_id::invite);
  ASSERT_EQ(parse_cseq("0 REGISTER", c), error_code::none);
  EXPECT_EQ(c.number, 0u);
  EXPECT_EQ(c.method, method_id::register_);
}

TEST(Cseq, ExtensionAndCaseSensitiveMethods) {
  cseq c;
  ASSERT_EQ(parse_cseq("1 FOO", c), error_code::none);
  EXPECT_EQ(c.method, method_id::extension);
  EXPECT_EQ(c.method_token, "FOO");
  ASSERT_EQ(parse_cseq("1 invite", c), error_code::none);
  EXPECT_EQ(c.method, method_id::extension);  // RFC 3261 §7.1: case-sensitive
}

TEST(Cseq, LwsAndFolding) {
  cseq c;
  ASSERT_EQ(parse_cseq("  12 \t  BYE \r\n ", c), error_code::none);
  EXPECT_EQ(c.number, 12u);
  EXPECT_EQ(c.method_token, "BYE");
  ASSERT_EQ(parse_cseq("0009\r\n  INVITE", c), error_code::none);
  EXPECT_EQ(c.number, 9u);
  EXPECT_EQ(c.method, method_id::invite);
}

TEST(Cseq, NumberBoundaryIs2Pow31) {
  cseq c;
  ASSERT_EQ(parse_cseq("2147483647 ACK", c), error_code::none);
  EXPECT_EQ(c.number, 2147483647u);
  EXPECT_EQ(parse_cseq("2147483648 ACK", c), error_code::bad_number);
  EXPECT_EQ(parse_cseq("4294967295 ACK", c), error_code::bad_number);
  EXPECT_EQ(parse_cseq("4294967296 ACK", c), error_code::bad_number);
  EXPECT_EQ(parse_cseq("00000000002147483647 ACK", c), error_code::none);
}

TEST(Cseq, StructureErrorsAreBadCseq) {
  cseq c;
  c.number = 77;
  EXPECT_EQ(parse_cseq("", c), error_code::bad_cseq);
  EXPECT_EQ(parse_cseq("   ", c), error_code::bad_cseq);
  EXPECT_EQ(parse_cseq("INVITE", c), error_code::bad_cseq);
  EXPECT_EQ(parse_cseq("1", c), error_code::bad_cseq);
  EXPECT_EQ(parse_cseq("1 ", c), error_code::bad_cseq);
  EXPECT_EQ(parse_cseq("1INVITE", c), error_code::bad_cseq);
  EXPECT_EQ(parse_cseq("-1 INVITE", c), error_code::bad_cseq);
  EXPECT_EQ(parse_cseq("1a INVITE", c), error_code::bad_cseq);
  EXPECT_EQ(parse_cseq("1 INVITE BYE", c), error_code::bad_cseq);
  EXPECT_EQ(parse_cseq("1 INVITE;x", c), error_code::bad_cseq);
  EXPECT_EQ(parse_cseq("1 INV@TE", c), error_code::bad_cseq);
  EXPECT_EQ(parse_cseq("1 INVITE, 2 INVITE", c), error_code::bad_cseq);
  EXPECT_EQ(parse_cseq("1 2 INVITE", c), error_code::bad_cseq);
  // Structure wins over size.
  EXPECT_EQ(parse_cseq("99999999999999999999", c), error_code::bad_cseq);
  EXPECT_EQ(c.number, 77u);  // untouched on error
}

TEST(Cseq, Rfc4475Values) {
  cseq c;
  ASSERT_EQ(parse_cseq(header_value(torture_message("rfc4475", "wsinv"), "CSeq"), c), error_code::none);
  EXPECT_EQ(c.number, 9u);
  EXPECT_EQ(c.method, method_id::invite);

  // Views point into the value: keep it alive.
  const std::string_view intmeth = header_value(torture_message("rfc4475", "intmeth"), "CSeq");
  ASSERT_EQ(parse_cseq(intmeth, c), error_code::none);
  EXPECT_EQ(c.number, 139122385u);
  EXPECT_EQ(c.method_token, "!interesting-Method0123456789_*+`.%indeed'~");
  EXPECT_EQ(c.method, method_id::extension);

  const std::string_view esc02 = header_value(torture_message("rfc4475", "esc02"), "CSeq");
  ASSERT_EQ(parse_cseq(esc02, c), error_code::none);
  EXPECT_EQ(c.method_token, "RE%47IST%45R");
  EXPECT_EQ(c.method, method_id::extension);  // not REGISTER

  ASSERT_EQ(parse_cseq(header_value(torture_message("rfc4475", "lwsruri"), "CSeq"), c), error_code::none);
  EXPECT_EQ(c.number, 2130706432u);

  EXPECT_EQ(parse_cseq(header_value(torture_message("rfc4475", "scalar02"), "CSeq"), c), error_code::bad_number);
  EXPECT_EQ(parse_cseq(header_value(torture_message("rfc4475", "scalarlg"), "CSeq"), c), error_code::bad_number);
}

TEST(Cseq, EveryOtherRfc4475CseqParses) {
  int seen = 0;
  for (const std::string& tag : testing::torture_tags("rfc4475")) {
    for (int n = 0;; ++n) {
      const std::string_view v = header_value(torture_message("rfc4475", tag), "CSeq", n);
      if (v.empty()) break;
      ++seen;
      cseq c;
      const error_code want =
          (tag == "scalar02" || tag == "scalarlg") ? error_code::bad_number : error_code::none;
      EXPECT_EQ(parse_cseq(v, c), want) << tag << ": " << v;
    }
  }
  EXPECT_GE(seen, 49);
}

}  // namespace
}  // namespace sipring::parser
