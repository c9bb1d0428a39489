#include "sipring/parser/event.h"

#include <gtest/gtest.h>

#include <string>

#include "sipring/parser/header_params.h"

namespace sipring::parser {
namespace {

using kind = subscription_state::value_kind;

TEST(Event, PackageAlone) {
  event e;
  ASSERT_EQ(parse_event("presence", e), error_code::none);
  EXPECT_EQ(e.package, "presence");
  EXPECT_EQ(e.id, "");
  EXPECT_EQ(e.params, "");
  ASSERT_EQ(parse_event("message-summary", e), error_code::none);
  EXPECT_EQ(e.package, "message-summary");
}

TEST(Event, TemplatePartsBelongToTheEventType) {
  event e;
  ASSERT_EQ(parse_event("presence.winfo", e), error_code::none);
  EXPECT_EQ(e.package, "presence.winfo");
  ASSERT_EQ(parse_event("reg.winfo.x-y;id=1", e), error_code::none);
  EXPECT_EQ(e.package, "reg.winfo.x-y");
  EXPECT_EQ(e.id, "1");
}

TEST(Event, IdAndOtherParams) {
  event e;
  ASSERT_EQ(parse_event("dialog ; call-id=\"a@b\" ; id = 47x!", e), error_code::none);
  EXPECT_EQ(e.package, "dialog");
  EXPECT_EQ(e.id, "47x!");
  EXPECT_EQ(e.params, "; call-id=\"a@b\" ; id = 47x!");
  EXPECT_EQ(validate_header_params(e.params), error_code::none);
  ASSERT_EQ(parse_event("refer;ID=93809824", e), error_code::none);  // parameter names ignore case
  EXPECT_EQ(e.id, "93809824");
  ASSERT_EQ(parse_event("foo;param=abcd", e), error_code::none);
  EXPECT_EQ(e.id, "");
}

TEST(Event, LwsAndFolding) {
  event e;
  ASSERT_EQ(parse_event("\r\n presence\r\n\t;\r\n id=7 \r\n ", e), error_code::none);
  EXPECT_EQ(e.package, "presence");
  EXPECT_EQ(e.id, "7");
  EXPECT_EQ(e.params, ";\r\n id=7");
}

TEST(Event, StructureErrorsAreBadEvent) {
  event e;
  e.package = "untouched";
  EXPECT_EQ(parse_event("", e), error_code::bad_event);
  EXPECT_EQ(parse_event(" \r\n ", e), error_code::bad_event);
  EXPECT_EQ(parse_event(".winfo", e), error_code::bad_event);
  EXPECT_EQ(parse_event("presence.", e), error_code::bad_event);
  EXPECT_EQ(parse_event("presence..winfo", e), error_code::bad_event);
  EXPECT_EQ(parse_event("presence .winfo", e), error_code::bad_event);
  EXPECT_EQ(parse_event("presence winfo", e), error_code::bad_event);
  EXPECT_EQ(parse_event("presence, dialog", e), error_code::bad_event);
  EXPECT_EQ(parse_event("pres@nce", e), error_code::bad_event);
  EXPECT_EQ(parse_event("\"presence\"", e), error_code::bad_event);
  EXPECT_EQ(parse_event(";id=1", e), error_code::bad_event);
  EXPECT_EQ(e.package, "untouched");
}

TEST(Event, BadIdIsBadEvent) {
  event e;
  EXPECT_EQ(parse_event("dialog;id", e), error_code::bad_event);
  EXPECT_EQ(parse_event("dialog;id=\"1\"", e), error_code::bad_event);
  EXPECT_EQ(parse_event("dialog;id=[::1]", e), error_code::bad_event);  // host chars, not token
  EXPECT_EQ(parse_event("dialog;id=1;id=2", e), error_code::bad_event);
}

TEST(Event, ParameterErrorsKeepTheReadersCode) {
  event e;
  EXPECT_EQ(parse_event("dialog;", e), error_code::bad_param);
  EXPECT_EQ(parse_event("dialog;a=", e), error_code::bad_param);
  EXPECT_EQ(parse_event("dialog;id=1 x", e), error_code::bad_param);
  EXPECT_EQ(parse_event("dialog;a=\"open", e), error_code::bad_quoting);
}

TEST(SubscriptionState, KnownStatesAnyCase) {
  subscription_state s;
  ASSERT_EQ(parse_subscription_state("active", s), error_code::none);
  EXPECT_EQ(s.state, kind::active);
  EXPECT_EQ(s.state_token, "active");
  EXPECT_FALSE(s.has_expires);
  EXPECT_FALSE(s.has_retry_after);
  EXPECT_EQ(s.reason, "");
  EXPECT_EQ(s.params, "");
  ASSERT_EQ(parse_subscription_state("Pending", s), error_code::none);
  EXPECT_EQ(s.state, kind::pending);
  EXPECT_EQ(s.state_token, "Pending");
  ASSERT_EQ(parse_subscription_state("TERMINATED", s), error_code::none);
  EXPECT_EQ(s.state, kind::terminated);
  ASSERT_EQ(parse_subscription_state("waiting", s), error_code::none);
  EXPECT_EQ(s.state, kind::extension);
  EXPECT_EQ(s.state_token, "waiting");
  ASSERT_EQ(parse_subscription_state("activated", s), error_code::none);
  EXPECT_EQ(s.state, kind::extension);
}

TEST(SubscriptionState, ReasonExpiresRetryAfter) {
  subscription_state s;
  ASSERT_EQ(parse_subscription_state("active;expires=3600", s), error_code::none);
  EXPECT_EQ(s.state, kind::active);
  EXPECT_TRUE(s.has_expires);
  EXPECT_EQ(s.expires, 3600u);
  EXPECT_FALSE(s.has_retry_after);

  ASSERT_EQ(parse_subscription_state("terminated; reason=probation ;retry-after=30;x=y", s),
            error_code::none);
  EXPECT_EQ(s.state, kind::terminated);
  EXPECT_EQ(s.reason, "probation");
  EXPECT_TRUE(s.has_retry_after);
  EXPECT_EQ(s.retry_after, 30u);
  EXPECT_FALSE(s.has_expires);
  EXPECT_EQ(s.params, "; reason=probation ;retry-after=30;x=y");

  ASSERT_EQ(parse_subscription_state("terminated;REASON=noresource;Expires=0", s), error_code::none);
  EXPECT_EQ(s.reason, "noresource");
  EXPECT_TRUE(s.has_expires);
  EXPECT_EQ(s.expires, 0u);
}

TEST(SubscriptionState, LwsAndFolding) {
  subscription_state s;
  ASSERT_EQ(parse_subscription_state(" active\r\n ;\r\n\texpires = 60\r\n ", s), error_code::none);
  EXPECT_EQ(s.state, kind::active);
  EXPECT_EQ(s.expires, 60u);
}

TEST(SubscriptionState, NumberBoundaries) {
  subscription_state s;
  ASSERT_EQ(parse_subscription_state("active;expires=4294967295;retry-after=004294967295", s),
            error_code::none);
  EXPECT_EQ(s.expires, 4294967295u);
  EXPECT_EQ(s.retry_after, 4294967295u);
  EXPECT_EQ(parse_subscription_state("active;expires=4294967296", s), error_code::bad_number);
  EXPECT_EQ(parse_subscription_state("terminated;retry-after=949302838503028349304023988", s),
            error_code::bad_number);
}

TEST(SubscriptionState, StructureErrorsAreBadSubscriptionState) {
  subscription_state s;
  s.state_token = "untouched";
  EXPECT_EQ(parse_subscription_state("", s), error_code::bad_subscription_state);
  EXPECT_EQ(parse_subscription_state("  ", s), error_code::bad_subscription_state);
  EXPECT_EQ(parse_subscription_state(";expires=1", s), error_code::bad_subscription_state);
  EXPECT_EQ(parse_subscription_state("active pending", s), error_code::bad_subscription_state);
  EXPECT_EQ(parse_subscription_state("active, pending", s), error_code::bad_subscription_state);
  EXPECT_EQ(parse_subscription_state("\"active\"", s), error_code::bad_subscription_state);
  EXPECT_EQ(parse_subscription_state("active;expires", s), error_code::bad_subscription_state);
  EXPECT_EQ(parse_subscription_state("active;expires=\"60\"", s), error_code::bad_subscription_state);
  EXPECT_EQ(parse_subscription_state("active;expires=-1", s), error_code::bad_subscription_state);
  EXPECT_EQ(parse_subscription_state("active;expires=1h", s), error_code::bad_subscription_state);
  EXPECT_EQ(parse_subscription_state("active;expires=1;expires=2", s),
            error_code::bad_subscription_state);
  EXPECT_EQ(parse_subscription_state("terminated;retry-after=x", s),
            error_code::bad_subscription_state);
  EXPECT_EQ(parse_subscription_state("terminated;reason", s), error_code::bad_subscription_state);
  EXPECT_EQ(parse_subscription_state("terminated;reason=\"timeout\"", s),
            error_code::bad_subscription_state);
  EXPECT_EQ(parse_subscription_state("terminated;reason=a:b", s),
            error_code::bad_subscription_state);
  EXPECT_EQ(parse_subscription_state("terminated;reason=a;reason=b", s),
            error_code::bad_subscription_state);
  EXPECT_EQ(s.state_token, "untouched");
}

TEST(SubscriptionState, ParameterErrorsKeepTheReadersCode) {
  subscription_state s;
  EXPECT_EQ(parse_subscription_state("active;", s), error_code::bad_param);
  EXPECT_EQ(parse_subscription_state("active;expires=", s), error_code::bad_param);
  EXPECT_EQ(parse_subscription_state("active;x=\"open", s), error_code::bad_quoting);
}

}  // namespace
}  // namespace sipring::parser
