#include "sipring/parser/call_id.h"

#include <gtest/gtest.h>

#include <string>

#include "corpus.h"

namespace sipring::parser {
namespace {

using testing::header_value;
using testing::torture_message;

TEST(CallId, AcceptsWordAndWordAtWord) {
  EXPECT_EQ(validate_call_id("f81d4fae-7dec-11d0-a765-00a0c91e6bf6@foo.bar.com"), error_code::none);
  EXPECT_EQ(validate_call_id("a84b4c76e66710"), error_code::none);
  EXPECT_EQ(validate_call_id("x@[2001:db8::1]"), error_code::none);
  // Every word character of RFC 3261 §25.1.
  EXPECT_EQ(validate_call_id("aZ09-.!%*_+`'~()<>:\\\"/[]?{}@aZ09-.!%*_+`'~()<>:\\\"/[]?{}"),
            error_code::none);
}

TEST(CallId, SurroundingLwsAndFoldingAreTrimmed) {
  EXPECT_EQ(validate_call_id("  abc@host \t"), error_code::none);
  EXPECT_EQ(validate_call_id("\r\n abc@host\r\n "), error_code::none);
}

TEST(CallId, RejectsEmptyLwsInsideAndBadCharacters) {
  EXPECT_EQ(validate_call_id(""), error_code::bad_call_id);
  EXPECT_EQ(validate_call_id(" \t "), error_code::bad_call_id);
  EXPECT_EQ(validate_call_id("abc def"), error_code::bad_call_id);
  EXPECT_EQ(validate_call_id("abc @host"), error_code::bad_call_id);
  EXPECT_EQ(validate_call_id("abc@ host"), error_code::bad_call_id);
  EXPECT_EQ(validate_call_id("abc\r\n def"), error_code::bad_call_id);
  EXPECT_EQ(validate_call_id("@host"), error_code::bad_call_id);
  EXPECT_EQ(validate_call_id("abc@"), error_code::bad_call_id);
  EXPECT_EQ(validate_call_id("@"), error_code::bad_call_id);
  EXPECT_EQ(validate_call_id("a@b@c"), error_code::bad_call_id);
  EXPECT_EQ(validate_call_id("a,b"), error_code::bad_call_id);
  EXPECT_EQ(validate_call_id("a;b"), error_code::bad_call_id);
  EXPECT_EQ(validate_call_id("a=b"), error_code::bad_call_id);
  EXPECT_EQ(validate_call_id("a#b"), error_code::bad_call_id);
  EXPECT_EQ(validate_call_id("a&b"), error_code::bad_call_id);
  EXPECT_EQ(validate_call_id(std::string_view("a\0b", 3)), error_code::bad_call_id);
  EXPECT_EQ(validate_call_id("caf\xc3\xa9"), error_code::bad_call_id);
  EXPECT_EQ(validate_call_id("a\x7f"), error_code::bad_call_id);
}

TEST(CallId, Rfc4475Values) {
  // intmeth: every kind of word character, '%' not an escape.
  const std::string_view intmeth = header_value(torture_message("rfc4475", "intmeth"), "Call-ID");
  ASSERT_EQ(intmeth, "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{");
  EXPECT_EQ(validate_call_id(intmeth), error_code::none);
  // transports has two spaces after the colon.
  EXPECT_EQ(validate_call_id(std::string(" ").append(header_value(torture_message("rfc4475", "transports"), "Call-ID"))),
            error_code::none);
  EXPECT_EQ(validate_call_id(header_value(torture_message("rfc4475", "esc01"), "i")), error_code::none);
  EXPECT_EQ(validate_call_id(header_value(torture_message("rfc4475", "mpart01"), "Call-ID")), error_code::none);
}

TEST(CallId, EveryRfc4475CallIdIsValid) {
  int seen = 0;
  for (const std::string& tag : testing::torture_tags("rfc4475")) {
    for (const char* name : {"Call-ID", "i"}) {
      for (int n = 0;; ++n) {
        const std::string_view v = header_value(torture_message("rfc4475", tag), name, n);
        if (v.empty()) break;
        ++seen;
        EXPECT_EQ(validate_call_id(v), error_code::none) << tag << ": " << v;
      }
    }
  }
  EXPECT_GE(seen, 48);  // insuf has none, multi01 has two
}

}  // namespace
}  // namespace sipring::parser
