#include "app/json_writer.h"

#include <gtest/gtest.h>

namespace sipring::app {
namespace {

TEST(JsonWriter, NestsAndPlacesCommas) {
  std::string out;
  json_writer j(out);
  j.begin_object();
  j.field("a", std::int64_t{1});
  j.key("b");
  j.begin_array();
  j.value("x");
  j.value(true);
  j.null();
  j.begin_object();
  j.end_object();
  j.end_array();
  j.optional_field("skipped", "");
  j.optional_field("c", "y");
  j.end_object();
  EXPECT_EQ(out, R"({"a":1,"b":["x",true,null,{}],"c":"y"})");
}

TEST(JsonWriter, EscapesQuotesBackslashesAndControls) {
  std::string out;
  json_writer j(out);
  j.value(std::string_view("a\"b\\c\r\n\t\x01\x7f\0", 11));
  EXPECT_EQ(out, R"("a\"b\\c\r\n\t\u0001\u007f\u0000")");
}

TEST(JsonWriter, PassesValidUtf8AndEscapesInvalidBytes) {
  std::string out;
  json_writer j(out);
  j.value("\xd0\xbd\xe2\x80\x9c\xf0\x9f\x98\x80");  // н “ 😀
  EXPECT_EQ(out, "\"\xd0\xbd\xe2\x80\x9c\xf0\x9f\x98\x80\"");
  out.clear();
  j.value("\xff\xc3(\xe0\x80\xaf\xed\xa0\x80");  // invalid, truncated, overlong, surrogate
  EXPECT_EQ(out, R"("\u00ff\u00c3(\u00e0\u0080\u00af\u00ed\u00a0\u0080")");
}

}  // namespace
}  // namespace sipring::app
