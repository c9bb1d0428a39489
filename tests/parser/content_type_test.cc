#include "sipring/parser/content_type.h"

#include <gtest/gtest.h>

#include <string>

#include "sipring/parser/header_params.h"
#include "corpus.h"

namespace sipring::parser {
namespace {

using testing::header_value;
using testing::torture_message;

TEST(ContentType, TypeAndSubtype) {
  media_type m;
  ASSERT_EQ(parse_content_type("application/sdp", m), error_code::none);
  EXPECT_EQ(m.type, "application");
  EXPECT_EQ(m.subtype, "sdp");
  EXPECT_EQ(m.params, "");
  ASSERT_EQ(parse_content_type("Application/PIDF+XML", m), error_code::none);
  EXPECT_EQ(m.type, "Application");
  EXPECT_EQ(m.subtype, "PIDF+XML");
  ASSERT_EQ(parse_content_type("x-foo/vnd.example-1", m), error_code::none);
  EXPECT_EQ(m.subtype, "vnd.example-1");
}

TEST(ContentType, LwsAroundSlashAndFolding) {
  media_type m;
  ASSERT_EQ(parse_content_type("  text \t/  plain  ", m), error_code::none);
  EXPECT_EQ(m.type, "text");
  EXPECT_EQ(m.subtype, "plain");
  EXPECT_EQ(m.params, "");
  ASSERT_EQ(parse_content_type("text\r\n /\r\n\tplain\r\n ;\r\n charset=UTF-8", m), error_code::none);
  EXPECT_EQ(m.type, "text");
  EXPECT_EQ(m.subtype, "plain");
  EXPECT_EQ(validate_header_params(m.params), error_code::none);
}

TEST(ContentType, ParamsStartAtTheSemicolon) {
  media_type m;
  ASSERT_EQ(parse_content_type("multipart/mixed ; boundary=7a9cbec02ceef655 ;charset=\"utf-8\"", m),
            error_code::none);
  EXPECT_EQ(m.subtype, "mixed");
  EXPECT_EQ(m.params, "; boundary=7a9cbec02ceef655 ;charset=\"utf-8\"");
  header_param_reader r(m.params);
  header_param p;
  ASSERT_TRUE(r.next(p));
  EXPECT_EQ(p.name, "boundary");
  EXPECT_EQ(p.value, "7a9cbec02ceef655");
  ASSERT_TRUE(r.next(p));
  EXPECT_EQ(p.name, "charset");
  EXPECT_TRUE(p.quoted);
  EXPECT_FALSE(r.next(p));
  EXPECT_EQ(r.error(), error_code::none);
}

TEST(ContentType, StructureErrorsAreBadContentType) {
  media_type m;
  m.type = "untouched";
  EXPECT_EQ(parse_content_type("", m), error_code::bad_content_type);
  EXPECT_EQ(parse_content_type(" \r\n ", m), error_code::bad_content_type);
  EXPECT_EQ(parse_content_type("application", m), error_code::bad_content_type);
  EXPECT_EQ(parse_content_type("application/", m), error_code::bad_content_type);
  EXPECT_EQ(parse_content_type("/sdp", m), error_code::bad_content_type);
  EXPECT_EQ(parse_content_type("application//sdp", m), error_code::bad_content_type);
  EXPECT_EQ(parse_content_type("application/sdp/x", m), error_code::bad_content_type);
  EXPECT_EQ(parse_content_type("application sdp", m), error_code::bad_content_type);
  EXPECT_EQ(parse_content_type("application/sdp x", m), error_code::bad_content_type);
  EXPECT_EQ(parse_content_type("application/sdp, text/plain", m), error_code::bad_content_type);
  EXPECT_EQ(parse_content_type("appl@cation/sdp", m), error_code::bad_content_type);
  EXPECT_EQ(parse_content_type("\"text\"/plain", m), error_code::bad_content_type);
  EXPECT_EQ(parse_content_type(";a=b", m), error_code::bad_content_type);
  EXPECT_EQ(m.type, "untouched");
}

TEST(ContentType, ParameterErrorsKeepTheReadersCode) {
  media_type m;
  EXPECT_EQ(parse_content_type("text/plain;", m), error_code::bad_param);
  EXPECT_EQ(parse_content_type("text/plain;charset", m), error_code::bad_param);
  EXPECT_EQ(parse_content_type("text/plain;charset=", m), error_code::bad_param);
  EXPECT_EQ(parse_content_type("text/plain;a=1;;b=2", m), error_code::bad_param);
  EXPECT_EQ(parse_content_type("text/plain;a=\"open", m), error_code::bad_quoting);
}

TEST(ContentType, Rfc4475Values) {
  // Views point into the value: keep each alive.
  const std::string_view mpart = header_value(torture_message("rfc4475", "mpart01"), "Content-Type");
  media_type m;
  ASSERT_EQ(parse_content_type(mpart, m), error_code::none);
  EXPECT_EQ(m.type, "multipart");
  EXPECT_EQ(m.subtype, "mixed");
  EXPECT_EQ(m.params, ";boundary=7a9cbec02ceef655");

  const std::string_view invut = header_value(torture_message("rfc4475", "invut"), "Content-Type");
  ASSERT_EQ(parse_content_type(invut, m), error_code::none);
  EXPECT_EQ(m.subtype, "unknownformat");  // syntactically fine; 415 is the endpoint's call

  const std::string_view esc01 = header_value(torture_message("rfc4475", "esc01"), "c");
  ASSERT_EQ(parse_content_type(esc01, m), error_code::none);
  EXPECT_EQ(m.subtype, "sdp");

  int seen = 0;
  for (const std::string& tag : testing::torture_tags("rfc4475")) {
    for (const char* name : {"Content-Type", "c"}) {
      const std::string_view v = header_value(torture_message("rfc4475", tag), name);
      if (v.empty()) continue;
      ++seen;
      EXPECT_EQ(parse_content_type(v, m), error_code::none) << tag << ": " << v;
    }
  }
  EXPECT_GE(seen, 20);  // header sections only (not bodies or trailing octets)
}

}  // namespace
}  // namespace sipring::parser
