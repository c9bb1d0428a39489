// build_salvaged_response: the answer to a request that did not parse copies its Via, From, To
// (tagged), Call-ID and CSeq lines; responses, garbage and Via-less requests get no answer.

#include "sipring/sip/salvaged_response.h"

#include <gtest/gtest.h>

#include <string>

namespace sipring::sip {
namespace {

std::string answer(const std::string& request, std::uint16_t status = 400, std::string_view reason = "Bad Request") {
  char out[2048];
  const salvaged_response r = build_salvaged_response(request, status, reason, "t1", out);
  return std::string(out, r.size);
}

TEST(SalvagedResponse, CopiesTheTransactionHeadersOfABrokenRequest) {
  const std::string broken =
      "INVITE sip:bob@example.com SIP/2.0\r\n"
      "Via: SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK1;rport\r\n"
      "v: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bK0\r\n"
      "Expires: \x01\x02\r\n"
      "f: <sip:a@example.com>;tag=9\r\n"
      "To: <sip:bob@example.com>\r\n"
      "Call-ID: abc\r\n"
      "CSeq: 1 INVITE\r\n"
      "Content-Length: 0\r\n\r\n";
  EXPECT_EQ(answer(broken),
            "SIP/2.0 400 Bad Request\r\n"
            "Via: SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK1;rport\r\n"
            "v: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bK0\r\n"
            "f: <sip:a@example.com>;tag=9\r\n"
            "To: <sip:bob@example.com>;tag=t1\r\n"
            "Call-ID: abc\r\n"
            "CSeq: 1 INVITE\r\n"
            "Content-Length: 0\r\n\r\n");
  char out[2048];
  const salvaged_response r = build_salvaged_response(broken, 505, "Version Not Supported", "t1", out);
  ASSERT_NE(r.size, 0u);
  EXPECT_EQ(r.top_via.sent_by.host, "192.0.2.1");
  EXPECT_EQ(r.top_via.sent_by.port, 5070);
  EXPECT_TRUE(r.top_via.has_rport);
  EXPECT_EQ(std::string(out, 12), "SIP/2.0 505 ");
}

TEST(SalvagedResponse, KeepsAnExistingToTag) {
  const std::string text = answer(
      "BYE sip:x@h SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bKa\r\nTo: <sip:x@h>;tag=abc\r\nCSeq: x\r\n\r\n");
  EXPECT_NE(text.find("To: <sip:x@h>;tag=abc\r\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("tag=t1"), std::string::npos) << text;
}

TEST(SalvagedResponse, NoAnswerToResponsesGarbageOrRequestsWithoutAUsableVia) {
  EXPECT_EQ(answer("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKa\r\n\r\n"), "");
  EXPECT_EQ(answer("GARBAGE\r\n\r\n"), "");
  EXPECT_EQ(answer(""), "");
  EXPECT_EQ(answer("OPTIONS sip:h SIP/2.0\r\nTo: <sip:h>\r\n\r\n"), "");
  EXPECT_EQ(answer("OPTIONS sip:h SIP/2.0\r\nVia: nonsense here\r\n\r\n"), "");
  EXPECT_EQ(answer("OPTIONS sip:h SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKa\r\n\r\n", 400, "Bad Request"),
            "SIP/2.0 400 Bad Request\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKa\r\nContent-Length: 0\r\n\r\n");
}

TEST(SalvagedResponse, ABufferTooSmallGivesNoAnswerRatherThanAPartialOne) {
  char out[40];
  const salvaged_response r = build_salvaged_response(
      "OPTIONS sip:h SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKa\r\n\r\n", 400, "Bad Request", "t", out);
  EXPECT_EQ(r.size, 0u);
}

}  // namespace
}  // namespace sipring::sip
