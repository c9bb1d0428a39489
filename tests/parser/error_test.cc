#include "sipring/parser/error.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace sipring::parser {
namespace {

TEST(Error, EveryCodeHasADistinctNameAReasonAndAStatus) {
  std::set<std::string> names;
  for (int i = 0; i <= static_cast<int>(error_code::bad_number); ++i) {
    const auto code = static_cast<error_code>(i);
    const std::string name(code_name(code));
    EXPECT_FALSE(name.empty()) << i;
    EXPECT_TRUE(names.insert(name).second) << "duplicate name " << name;
    if (code == error_code::none || code == error_code::incomplete) {
      EXPECT_EQ(response_status(code), 0) << name;
      continue;
    }
    EXPECT_FALSE(reason_phrase(code).empty()) << name;
    for (char c : reason_phrase(code)) EXPECT_TRUE(c >= 0x20 && c < 0x7f) << name;  // fit for a status line
    EXPECT_TRUE(response_status(code) == 400 || response_status(code) == 505 || response_status(code) == 513) << name;
  }
}

TEST(Error, VersionAndLimitsHaveTheirOwnStatus) {
  EXPECT_EQ(response_status(error_code::bad_version), 505);
  EXPECT_EQ(response_status(error_code::message_too_large), 513);
  EXPECT_EQ(response_status(error_code::too_many_headers), 513);
  EXPECT_EQ(response_status(error_code::header_line_too_long), 513);
  EXPECT_EQ(response_status(error_code::bad_via), 400);
  EXPECT_EQ(code_name(error_code::bad_via), "bad_via");
}

}  // namespace
}  // namespace sipring::parser
