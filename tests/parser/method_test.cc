#include "sipring/parser/method.h"

#include <gtest/gtest.h>

namespace sipring::parser {
namespace {

TEST(Method, EveryKnownMethodRoundTrips) {
  for (int i = 1; i <= static_cast<int>(method_id::publish); ++i) {
    const auto id = static_cast<method_id>(i);
    EXPECT_EQ(lookup_method(method_name(id)), id) << method_name(id);
  }
  EXPECT_EQ(method_name(method_id::extension), "");
}

TEST(Method, MethodsAreCaseSensitiveAndOthersAreExtensions) {
  EXPECT_EQ(lookup_method("invite"), method_id::extension);
  EXPECT_EQ(lookup_method("RE%47IST%45R"), method_id::extension);  // RFC 4475 esc02
  EXPECT_EQ(lookup_method("NEWMETHOD"), method_id::extension);
  EXPECT_EQ(lookup_method(""), method_id::extension);
  EXPECT_EQ(lookup_method("INVITES"), method_id::extension);
}

}  // namespace
}  // namespace sipring::parser
