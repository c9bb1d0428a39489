#include "sipring/parser/option_tags.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "corpus.h"

namespace sipring::parser {
namespace {

std::vector<std::string> tags_of(std::string_view value, error_code& error) {
  option_tag_reader r(value);
  std::vector<std::string> out;
  std::string_view t;
  while (r.next(t)) out.emplace_back(t);
  error = r.error();
  return out;
}

TEST(OptionTags, IteratesTagsWithLwsAroundCommas) {
  error_code e;
  EXPECT_EQ(tags_of("100rel", e), (std::vector<std::string>{"100rel"}));
  EXPECT_EQ(e, error_code::none);
  EXPECT_EQ(tags_of(" 100rel ,timer,\tpath  , gruu ", e),
            (std::vector<std::string>{"100rel", "timer", "path", "gruu"}));
  EXPECT_EQ(e, error_code::none);
}

TEST(OptionTags, FoldingIsLws) {
  error_code e;
  EXPECT_EQ(tags_of("100rel\r\n ,\r\n\ttimer\r\n ", e), (std::vector<std::string>{"100rel", "timer"}));
  EXPECT_EQ(e, error_code::none);
}

TEST(OptionTags, EmptyValueYieldsNothing) {
  error_code e;
  EXPECT_TRUE(tags_of("", e).empty());
  EXPECT_EQ(e, error_code::none);
  EXPECT_TRUE(tags_of(" \r\n ", e).empty());
  EXPECT_EQ(e, error_code::none);
}

TEST(OptionTags, MalformedElementStopsWithBadOptionTag) {
  error_code e;
  EXPECT_EQ(tags_of("a, b c, d", e), (std::vector<std::string>{"a"}));
  EXPECT_EQ(e, error_code::bad_option_tag);
  EXPECT_EQ(tags_of("a,,b", e), (std::vector<std::string>{"a"}));
  EXPECT_EQ(e, error_code::bad_option_tag);
  EXPECT_TRUE(tags_of(",a", e).empty());
  EXPECT_EQ(e, error_code::bad_option_tag);
}

TEST(OptionTags, ValidateRejectsEmptyUnlessAllowed) {
  EXPECT_EQ(validate_option_tags("100rel, timer"), error_code::none);
  EXPECT_EQ(validate_option_tags(""), error_code::bad_option_tag);
  EXPECT_EQ(validate_option_tags("  "), error_code::bad_option_tag);
  EXPECT_EQ(validate_option_tags("", empty_list::allowed), error_code::none);
  EXPECT_EQ(validate_option_tags(" \r\n ", empty_list::allowed), error_code::none);
  EXPECT_EQ(validate_option_tags("timer", empty_list::allowed), error_code::none);
}

TEST(OptionTags, ValidateRejectsMalformedLists) {
  for (const auto empty : {empty_list::rejected, empty_list::allowed}) {
    EXPECT_EQ(validate_option_tags(",", empty), error_code::bad_option_tag);
    EXPECT_EQ(validate_option_tags("a,", empty), error_code::bad_option_tag);
    EXPECT_EQ(validate_option_tags(",a", empty), error_code::bad_option_tag);
    EXPECT_EQ(validate_option_tags("a, ,b", empty), error_code::bad_option_tag);
    EXPECT_EQ(validate_option_tags("a b", empty), error_code::bad_option_tag);
    EXPECT_EQ(validate_option_tags("a;b", empty), error_code::bad_option_tag);
    EXPECT_EQ(validate_option_tags("\"a\"", empty), error_code::bad_option_tag);
    EXPECT_EQ(validate_option_tags("<a>", empty), error_code::bad_option_tag);
    EXPECT_EQ(validate_option_tags("a/b", empty), error_code::bad_option_tag);
    EXPECT_EQ(validate_option_tags("a\r\nb", empty), error_code::bad_option_tag);
  }
}

TEST(OptionTags, ContainsComparesCaseInsensitively) {
  EXPECT_TRUE(contains_option_tag("100rel, timer", "timer"));
  EXPECT_TRUE(contains_option_tag("100rel, Timer", "TIMER"));
  EXPECT_TRUE(contains_option_tag("\r\n 100rel", "100rel"));
  EXPECT_FALSE(contains_option_tag("100rel, timer", "time"));
  EXPECT_FALSE(contains_option_tag("100rel, timers", "timer"));
  EXPECT_FALSE(contains_option_tag("", "timer"));
  EXPECT_FALSE(contains_option_tag("a b, timer", "timer"));  // stops at the malformed element
  EXPECT_TRUE(contains_option_tag("timer, a b", "timer"));
}

TEST(OptionTags, Rfc4475Bext01) {
  const std::string_view require = testing::header_value(testing::torture_message("rfc4475", "bext01"), "Require");
  const std::string_view proxy_require = testing::header_value(testing::torture_message("rfc4475", "bext01"), "Proxy-Require");
  error_code e;
  EXPECT_EQ(tags_of(require, e),
            (std::vector<std::string>{"nothingSupportsThis", "nothingSupportsThisEither"}));
  EXPECT_EQ(e, error_code::none);
  EXPECT_EQ(tags_of(proxy_require, e),
            (std::vector<std::string>{"noProxiesSupportThis", "norDoAnyProxiesSupportThis"}));
  EXPECT_EQ(e, error_code::none);
  EXPECT_EQ(validate_option_tags(require), error_code::none);
  EXPECT_TRUE(contains_option_tag(proxy_require, "norDoAnyProxiesSupportThis"));
  EXPECT_FALSE(contains_option_tag(require, "100rel"));
}

}  // namespace
}  // namespace sipring::parser
