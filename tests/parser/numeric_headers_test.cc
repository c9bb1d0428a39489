#include "sipring/parser/numeric_headers.h"

#include <gtest/gtest.h>

#include <string>

#include "corpus.h"

namespace sipring::parser {
namespace {

using testing::header_value;
using testing::torture_message;

TEST(ParseUint, ReadsDigitsWithLeadingZeros) {
  std::uint64_t v = 1;
  EXPECT_EQ(parse_uint("0", 100, v), error_code::none);
  EXPECT_EQ(v, 0u);
  EXPECT_EQ(parse_uint("0068", 100, v), error_code::none);
  EXPECT_EQ(v, 68u);
  EXPECT_EQ(parse_uint("18446744073709551615", UINT64_MAX, v), error_code::none);
  EXPECT_EQ(v, UINT64_MAX);
}

TEST(ParseUint, TooLargeIsBadNumberAndLeavesMax) {
  std::uint64_t v = 0;
  EXPECT_EQ(parse_uint("101", 100, v), error_code::bad_number);
  EXPECT_EQ(v, 100u);
  EXPECT_EQ(parse_uint("5", 4, v), error_code::bad_number);
  EXPECT_EQ(v, 4u);
  EXPECT_EQ(parse_uint("18446744073709551616", UINT64_MAX, v), error_code::bad_number);
  EXPECT_EQ(v, UINT64_MAX);
  EXPECT_EQ(parse_uint(std::string(500, '9'), 100, v), error_code::bad_number);
  EXPECT_EQ(parse_uint("00000000000000000000000000000000100", 100, v), error_code::none);
  EXPECT_EQ(v, 100u);
}

TEST(ParseUint, NonDigitsAreNotANumber) {
  std::uint64_t v = 7;
  EXPECT_EQ(parse_uint("", 100, v), error_code::bad_header_value);
  EXPECT_EQ(parse_uint("-1", 100, v), error_code::bad_header_value);
  EXPECT_EQ(parse_uint("+1", 100, v), error_code::bad_header_value);
  EXPECT_EQ(parse_uint(" 1", 100, v), error_code::bad_header_value);
  EXPECT_EQ(parse_uint("1 ", 100, v), error_code::bad_header_value);
  EXPECT_EQ(parse_uint("0x10", 100, v), error_code::bad_header_value);
  // A non-digit after an overflow still makes it not a number.
  EXPECT_EQ(parse_uint("99999999999999999999999x", 100, v), error_code::bad_header_value);
  EXPECT_EQ(v, 7u);
}

TEST(MaxForwards, AcceptsZeroTo255) {
  std::uint8_t hops = 1;
  EXPECT_EQ(parse_max_forwards("0", hops), error_code::none);
  EXPECT_EQ(hops, 0);
  EXPECT_EQ(parse_max_forwards("70", hops), error_code::none);
  EXPECT_EQ(hops, 70);
  EXPECT_EQ(parse_max_forwards("255", hops), error_code::none);
  EXPECT_EQ(hops, 255);
  EXPECT_EQ(parse_max_forwards("000255", hops), error_code::none);
  EXPECT_EQ(hops, 255);
}

TEST(MaxForwards, RejectsAbove255AndNonNumbers) {
  std::uint8_t hops = 9;
  EXPECT_EQ(parse_max_forwards("256", hops), error_code::bad_max_forwards);
  EXPECT_EQ(parse_max_forwards("4294967296", hops), error_code::bad_max_forwards);
  EXPECT_EQ(parse_max_forwards("", hops), error_code::bad_max_forwards);
  EXPECT_EQ(parse_max_forwards("  ", hops), error_code::bad_max_forwards);
  EXPECT_EQ(parse_max_forwards("-1", hops), error_code::bad_max_forwards);
  EXPECT_EQ(parse_max_forwards("7 0", hops), error_code::bad_max_forwards);
  EXPECT_EQ(parse_max_forwards("70, 70", hops), error_code::bad_max_forwards);
  EXPECT_EQ(parse_max_forwards("seventy", hops), error_code::bad_max_forwards);
  EXPECT_EQ(hops, 9);  // untouched on error
}

TEST(MaxForwards, SurroundingLwsAndFoldingAreAllowed) {
  std::uint8_t hops = 0;
  EXPECT_EQ(parse_max_forwards(" \t70 ", hops), error_code::none);
  EXPECT_EQ(hops, 70);
  EXPECT_EQ(parse_max_forwards("\r\n 69\r\n\t", hops), error_code::none);
  EXPECT_EQ(hops, 69);
  EXPECT_EQ(parse_max_forwards("6\r\n 9", hops), error_code::bad_max_forwards);
}

TEST(MaxForwards, Rfc4475Values) {
  std::uint8_t hops = 0;
  EXPECT_EQ(parse_max_forwards(header_value(torture_message("rfc4475", "wsinv"), "Max-Forwards"), hops), error_code::none);
  EXPECT_EQ(hops, 68);  // "0068"
  EXPECT_EQ(parse_max_forwards(header_value(torture_message("rfc4475", "intmeth"), "Max-Forwards"), hops), error_code::none);
  EXPECT_EQ(hops, 255);
  EXPECT_EQ(parse_max_forwards(header_value(torture_message("rfc4475", "zeromf"), "Max-Forwards"), hops), error_code::none);
  EXPECT_EQ(hops, 0);
  const std::string_view scalar02 = header_value(torture_message("rfc4475", "scalar02"), "Max-Forwards");
  ASSERT_EQ(scalar02, "300");
  EXPECT_EQ(parse_max_forwards(scalar02, hops), error_code::bad_max_forwards);
}

TEST(ContentLength, AcceptsDigitsUpTo32Bits) {
  std::uint32_t n = 1;
  EXPECT_EQ(parse_content_length("0", n), error_code::none);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(parse_content_length("00150", n), error_code::none);
  EXPECT_EQ(n, 150u);
  EXPECT_EQ(parse_content_length("4294967295", n), error_code::none);
  EXPECT_EQ(n, 4294967295u);
  EXPECT_EQ(parse_content_length("\r\n 13 ", n), error_code::none);
  EXPECT_EQ(n, 13u);
}

TEST(ContentLength, RejectsOverflowSignsAndWords) {
  std::uint32_t n = 5;
  EXPECT_EQ(parse_content_length("4294967296", n), error_code::bad_content_length);
  EXPECT_EQ(parse_content_length("99999999999999999999999", n), error_code::bad_content_length);
  EXPECT_EQ(parse_content_length("-999", n), error_code::bad_content_length);
  EXPECT_EQ(parse_content_length("+1", n), error_code::bad_content_length);
  EXPECT_EQ(parse_content_length("five", n), error_code::bad_content_length);
  EXPECT_EQ(parse_content_length("", n), error_code::bad_content_length);
  EXPECT_EQ(parse_content_length("1 2", n), error_code::bad_content_length);
  EXPECT_EQ(parse_content_length("1.0", n), error_code::bad_content_length);
  EXPECT_EQ(n, 5u);
}

TEST(ContentLength, Rfc4475Values) {
  std::uint32_t n = 0;
  EXPECT_EQ(parse_content_length(header_value(torture_message("rfc4475", "wsinv"), "Content-Length"), n), error_code::none);
  EXPECT_EQ(n, 150u);
  EXPECT_EQ(parse_content_length(header_value(torture_message("rfc4475", "clerr"), "Content-Length"), n), error_code::none);
  EXPECT_EQ(n, 9999u);  // syntactically fine; larger than the datagram is the framer's call
  const std::string_view ncl = header_value(torture_message("rfc4475", "ncl"), "Content-Length");
  ASSERT_EQ(ncl, "-999");
  EXPECT_EQ(parse_content_length(ncl, n), error_code::bad_content_length);
  EXPECT_EQ(parse_content_length(header_value(torture_message("rfc4475", "mcl01"), "Content-Length", 0), n), error_code::none);
  EXPECT_EQ(n, 13u);
  EXPECT_EQ(parse_content_length(header_value(torture_message("rfc4475", "mcl01"), "Content-Length", 1), n), error_code::none);
  EXPECT_EQ(n, 5u);
  EXPECT_EQ(parse_content_length(header_value(torture_message("rfc4475", "mismatch01"), "l"), n), error_code::none);
  EXPECT_EQ(n, 0u);
}

TEST(Expires, ReadsDeltaSeconds) {
  std::uint32_t s = 1;
  EXPECT_EQ(parse_expires("0", s), error_code::none);
  EXPECT_EQ(s, 0u);
  EXPECT_EQ(parse_expires(" 3600\r\n ", s), error_code::none);
  EXPECT_EQ(s, 3600u);
  EXPECT_EQ(parse_expires("4294967295", s), error_code::none);
  EXPECT_EQ(s, 4294967295u);
}

TEST(Expires, ValuesAbove32BitsClampTo2Pow32Minus1) {
  std::uint32_t s = 0;
  EXPECT_EQ(parse_expires("4294967296", s), error_code::none);
  EXPECT_EQ(s, 4294967295u);
  s = 0;
  EXPECT_EQ(parse_expires("36893488147419103232", s), error_code::none);
  EXPECT_EQ(s, 4294967295u);
  const std::string_view scalar02 = header_value(torture_message("rfc4475", "scalar02"), "Expires");
  ASSERT_GT(scalar02.size(), 100u);
  s = 0;
  EXPECT_EQ(parse_expires(scalar02, s), error_code::none);
  EXPECT_EQ(s, 4294967295u);
}

TEST(Expires, NonNumbersAreBadExpires) {
  std::uint32_t s = 7;
  EXPECT_EQ(parse_expires("", s), error_code::bad_expires);
  EXPECT_EQ(parse_expires("-1", s), error_code::bad_expires);
  // RFC 2543 allowed an HTTP date; RFC 3261 does not.
  EXPECT_EQ(parse_expires("Thu, 01 Dec 1994 16:00:00 GMT", s), error_code::bad_expires);
  EXPECT_EQ(parse_expires("36 00", s), error_code::bad_expires);
  EXPECT_EQ(parse_expires("3600;refresher=uac", s), error_code::bad_expires);
  EXPECT_EQ(parse_expires("99999999999999999999x", s), error_code::bad_expires);
  EXPECT_EQ(s, 7u);
}

}  // namespace
}  // namespace sipring::parser
