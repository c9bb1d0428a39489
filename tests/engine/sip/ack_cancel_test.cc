#include "sipring/sip/ack_cancel.h"

#include <gtest/gtest.h>

#include "harness.h"

namespace sipring::sip::test {
namespace {

TEST(AckCancel, AckFollowsRfc3261_17_1_1_3) {
  const auto resp = msg(response_to(486));
  std::string ack;
  ASSERT_TRUE(build_ack(forwarded_request(), resp->m, ack));
  EXPECT_EQ(ack,
            "ACK sip:bob@192.0.2.4 SIP/2.0\r\n"
            "Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKsr0.0123456789abcdef\r\n"
            "Route: <sip:p2.example.com;lr>\r\n"
            "Route: <sip:p3.example.com;lr>\r\n"
            "Max-Forwards: 70\r\n"
            "From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
            "To: Bob <sip:bob@biloxi.com>;tag=a6c85cf\r\n"
            "Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n"
            "CSeq: 314159 ACK\r\n"
            "Content-Length: 0\r\n\r\n");
  // It is a valid request.
  EXPECT_TRUE(msg(ack)->m.is_request());
}

TEST(AckCancel, CancelFollowsRfc3261_9_1) {
  std::string cancel;
  ASSERT_TRUE(build_cancel(forwarded_request(), cancel));
  EXPECT_EQ(cancel,
            "CANCEL sip:bob@192.0.2.4 SIP/2.0\r\n"
            "Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKsr0.0123456789abcdef\r\n"
            "Route: <sip:p2.example.com;lr>\r\n"
            "Route: <sip:p3.example.com;lr>\r\n"
            "Max-Forwards: 70\r\n"
            "From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
            "To: Bob <sip:bob@biloxi.com>\r\n"
            "Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n"
            "CSeq: 314159 CANCEL\r\n"
            "Content-Length: 0\r\n\r\n");
  EXPECT_EQ(msg(cancel)->m.method(), parser::method_id::cancel);
}

TEST(AckCancel, OnlyTheTopViaElementNoRoute) {
  const std::string invite =
      "INVITE sip:carol@chicago.com SIP/2.0\r\n"
      "v: SIP/2.0/TCP a.example.com;branch=z9hG4bKfirst , SIP/2.0/UDP b.example.com;branch=z9hG4bKx\r\n"
      "Via: SIP/2.0/UDP c.example.com;branch=z9hG4bKy\r\n"
      "t: <sip:carol@chicago.com>\r\n"
      "f: <sip:alice@atlanta.com>;tag=1\r\n"
      "i: abc\r\n"
      "CSeq: 7 INVITE\r\n"
      "Content-Type: application/sdp\r\n"
      "Content-Length: 4\r\n\r\nv=0\n";
  std::string cancel;
  ASSERT_TRUE(build_cancel(invite, cancel));
  EXPECT_EQ(cancel,
            "CANCEL sip:carol@chicago.com SIP/2.0\r\n"
            "Via: SIP/2.0/TCP a.example.com;branch=z9hG4bKfirst\r\n"
            "Max-Forwards: 70\r\n"
            "From: <sip:alice@atlanta.com>;tag=1\r\n"
            "To: <sip:carol@chicago.com>\r\n"
            "Call-ID: abc\r\n"
            "CSeq: 7 CANCEL\r\n"
            "Content-Length: 0\r\n\r\n");
}

TEST(AckCancel, RefusesWhatDoesNotParse) {
  std::string out;
  EXPECT_FALSE(build_cancel("garbage", out));
  EXPECT_FALSE(build_cancel(response_to(200), out));  // not a request
}

}  // namespace
}  // namespace sipring::sip::test
