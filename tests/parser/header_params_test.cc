#include "sipring/parser/header_params.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sipring::parser {
namespace {

std::vector<std::string> read_all(std::string_view text, error_code& error) {
  header_param_reader r(text);
  header_param p;
  std::vector<std::string> out;
  while (r.next(p)) out.push_back(std::string(p.name) + (p.has_value ? "=" + std::string(p.value) : ""));
  error = r.error();
  return out;
}

TEST(HeaderParams, ReadsTokenHostAndQuotedValues) {
  error_code e;
  const auto got = read_all(" ;tag=abc ; lr;received=[2001:db8::1] ;x = \"a;b\\\"c\"", e);
  EXPECT_EQ(e, error_code::none);
  EXPECT_EQ(got, (std::vector<std::string>{"tag=abc", "lr", "received=[2001:db8::1]", "x=\"a;b\\\"c\""}));
}

TEST(HeaderParams, EmptyTextHasNoParams) {
  error_code e;
  EXPECT_TRUE(read_all("", e).empty());
  EXPECT_EQ(e, error_code::none);
  EXPECT_TRUE(read_all("  \r\n ", e).empty());
  EXPECT_EQ(e, error_code::none);
}

TEST(HeaderParams, FoldedLwsIsWhiteSpace) {
  error_code e;
  EXPECT_EQ(read_all("\r\n ;a=1\r\n\t;b", e), (std::vector<std::string>{"a=1", "b"}));
  EXPECT_EQ(e, error_code::none);
}

TEST(HeaderParams, RejectsMissingNameValueOrSeparator) {
  EXPECT_EQ(validate_header_params(";"), error_code::bad_param);
  EXPECT_EQ(validate_header_params(";=1"), error_code::bad_param);
  EXPECT_EQ(validate_header_params(";a="), error_code::bad_param);
  EXPECT_EQ(validate_header_params(";a=1 b"), error_code::bad_param);
  EXPECT_EQ(validate_header_params("a=1"), error_code::bad_param);
  EXPECT_EQ(validate_header_params(";a=<x>"), error_code::bad_param);
}

TEST(HeaderParams, ReportsErrorOffset) {
  header_param_reader r(";a=1;;b");
  header_param p;
  EXPECT_TRUE(r.next(p));
  EXPECT_FALSE(r.next(p));
  EXPECT_EQ(r.error(), error_code::bad_param);
  EXPECT_EQ(r.error_offset(), 5u);
}

TEST(HeaderParams, UnterminatedQuoteIsBadQuoting) {
  EXPECT_EQ(validate_header_params(";a=\"abc"), error_code::bad_quoting);
  EXPECT_EQ(validate_header_params(";a=\"abc\\\""), error_code::bad_quoting);
}

TEST(HeaderParams, QuotedStringLength) {
  EXPECT_EQ(quoted_string_length("\"ab\" x"), 4u);
  EXPECT_EQ(quoted_string_length("\"a\\\"b\""), 6u);
  EXPECT_EQ(quoted_string_length("\"ab"), 0u);
  EXPECT_EQ(quoted_string_length("x"), 0u);
  EXPECT_EQ(quoted_string_length(std::string_view("\"a\0b\"", 5)), 0u);
  EXPECT_EQ(unquote("\"abc\""), "abc");
}

TEST(HeaderParams, IequalsIgnoresAsciiCase) {
  EXPECT_TRUE(iequals("Branch", "bRANCH"));
  EXPECT_FALSE(iequals("branch", "branc"));
  EXPECT_FALSE(iequals("a", "b"));
}

}  // namespace
}  // namespace sipring::parser
