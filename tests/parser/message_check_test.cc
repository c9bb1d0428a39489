// check_typed_headers() on the torture corpus: every valid message passes parse() and the typed
// parsers; every invalid one fails one of the two with the code written here.

#include "sipring/parser/message_check.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "corpus.h"
#include "sipring/parser/parse.h"

namespace sipring::parser {
namespace {

// What parse() + check_typed_headers() say of the invalid messages (and of the valid ones that
// a registrar or proxy rejects later for their meaning, not their syntax, which pass here).
const std::map<std::string, error_code> invalid_outcome = {
    // Caught by parse() itself (see parse_test.cc).
    {"clerr", error_code::body_truncated}, {"ncl", error_code::bad_content_length},
    {"scalar02", error_code::bad_number}, {"scalarlg", error_code::bad_number},
    {"ltgtruri", error_code::bad_request_uri}, {"lwsruri", error_code::bad_request_uri},
    {"lwsstart", error_code::bad_start_line}, {"trws", error_code::bad_start_line},
    {"badvers", error_code::bad_version}, {"mismatch01", error_code::cseq_method_mismatch},
    {"mismatch02", error_code::cseq_method_mismatch}, {"bigcode", error_code::bad_status_code},
    {"insuf", error_code::missing_to}, {"multi01", error_code::duplicate_header},
    {"mcl01", error_code::conflicting_content_length},
    // Caught by the typed parsers.
    {"badinv01", error_code::bad_param},      // ";;" in Via and Contact
    {"quotbal", error_code::bad_quoting},     // unterminated display name
    {"regbadct", error_code::bad_name_addr},  // URI with headers not in <>
    {"badaspec", error_code::bad_uri},        // spaces inside the addr-spec
    {"baddn", error_code::bad_name_addr},     // non-token display name
    {"escruri", error_code::bad_request_uri}, // headers in the Request-URI (RFC 3261 §19.1.1)
    // RFC 4475 §3.1.2.12: rejecting a non-GMT Date is acceptable only if the Date matters; it
    // does not to a proxy or registrar, so sipring has no Date parser and accepts it.
    {"baddate", error_code::none},
    // RFC 5118.
    {"ipv6-bad", error_code::bad_request_uri},
    {"ipv6-bug-abnf-3-colons", error_code::bad_request_uri},
};

error_code outcome(const std::string& bytes, const parse_options& options = {}) {
  std::vector<header_field> storage(300);
  const parse_result r = parse(bytes, storage, options);
  if (!r.ok()) return r.error.code;
  return check_typed_headers(r.message).code;
}

TEST(MessageCheck, ValidTortureMessagesPassAndInvalidOnesFailWithTheirCode) {
  for (const auto& m : testing::torture_corpus()) {
    SCOPED_TRACE(m.set + "/" + m.tag);
    if (m.tag == "ipv6-in-sdp") {
      // Its body is shorter than its Content-Length (see the set's README): check its headers.
      parse_options stream;
      stream.transport = transport_kind::stream;
      EXPECT_EQ(code_name(outcome(m.bytes, stream)), "incomplete");
      continue;
    }
    if (m.valid) {
      EXPECT_EQ(code_name(outcome(m.bytes)), "none");
      continue;
    }
    const auto expected = invalid_outcome.find(m.tag);
    ASSERT_NE(expected, invalid_outcome.end()) << "no expectation for invalid " << m.tag;
    EXPECT_EQ(code_name(outcome(m.bytes)), code_name(expected->second));
  }
}

const std::string base =
    "INVITE sip:bob@example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bKnashds8\r\n"
    "Max-Forwards: 70\r\n"
    "To: Bob <sip:bob@example.com>\r\n"
    "From: Alice <sip:alice@example.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710\r\n"
    "CSeq: 314159 INVITE\r\n"
    "X-Extra: ok\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

std::string with(std::string_view header_line) {
  std::string text = base;
  text.replace(text.find("X-Extra: ok\r\n"), 13, header_line);
  return text;
}

TEST(MessageCheck, EachTypedHeaderIsChecked) {
  EXPECT_EQ(outcome(base), error_code::none);
  const std::pair<std::string_view, error_code> cases[] = {
      {"Via: SIP/2.0/UDP host;branch=\r\n", error_code::bad_param},
      {"Contact: <sip:a@h>, \r\n", error_code::bad_name_addr},
      {"Contact: <sip:a@h;transport=>\r\n", error_code::bad_uri},
      {"Contact: *\r\n", error_code::none},
      {"Route: <sip:p1@h;lr>,<sip:p2@h;lr>\r\n", error_code::none},
      {"Record-Route: sip:a b@h\r\n", error_code::bad_uri},
      {"Path: <sip:edge@h;lr\r\n", error_code::bad_name_addr},
      {"Reply-To: Bob <sip:bob@h>\r\n", error_code::none},
      {"Content-Type: application\r\n", error_code::bad_content_type},
      {"Expires: soon\r\n", error_code::bad_expires},
      {"Min-Expires: 60\r\n", error_code::none},
      {"Require: 100rel, \r\n", error_code::bad_option_tag},
      {"Supported: \r\n", error_code::none},
      {"Authorization: Digest username=\"a\",, realm=\"r\"\r\n", error_code::bad_auth},
      {"WWW-Authenticate: Digest realm=\"r\", nonce=\"n\", stale=maybe\r\n", error_code::bad_auth},
      {"Event: presence;id=\"q\"\r\n", error_code::bad_event},
      {"Subscription-State: active;expires=x\r\n", error_code::bad_subscription_state},
      {"Date: not a date\r\n", error_code::none},
  };
  for (const auto& [line, code] : cases) EXPECT_EQ(code_name(outcome(with(line))), code_name(code)) << line;
}

TEST(MessageCheck, ErrorOffsetIsTheValues) {
  const std::string text = with("Event: presence;id=\"q\"\r\n");
  std::vector<header_field> storage(64);
  const parse_result r = parse(text, storage);
  ASSERT_TRUE(r.ok());
  const parse_error e = check_typed_headers(r.message);
  EXPECT_EQ(e.code, error_code::bad_event);
  EXPECT_EQ(e.offset, text.find("presence;id="));
  std::string bad_uri = base;
  bad_uri.replace(7, 19, "sip:bob@[::1");
  const parse_result r2 = parse(bad_uri, storage);
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(check_typed_headers(r2.message).code, error_code::bad_request_uri);
  EXPECT_EQ(check_typed_headers(r2.message).offset, 7u);
}

}  // namespace
}  // namespace sipring::parser
