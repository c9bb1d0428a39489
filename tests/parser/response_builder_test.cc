// build_response(): responses built from parsed requests re-parse as valid messages carrying
// the request's Via (in order), From, To (tagged where needed), Call-ID and CSeq; extra headers,
// body, sizing, bad inputs and short buffers.

#include "sipring/parser/response_builder.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "corpus.h"
#include "sipring/parser/name_addr.h"
#include "sipring/parser/parse.h"

namespace sipring::parser {
namespace {

// An INVITE with two Via lines (one compact, one holding two values and folded), compact
// From/To/Call-ID and a folded Subject.
const std::string invite =
    "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
    "v: SIP/2.0/UDP proxy.example.com;branch=z9hG4bK2d4790.1\r\n"
    "Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776asdhds ,\r\n"
    "  SIP/2.0/TCP client.example.com;branch=z9hG4bKnashds8\r\n"
    "Max-Forwards: 69\r\n"
    "t: Bob <sip:bob@biloxi.example.com>\r\n"
    "f: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
    "i: a84b4c76e66710@pc33.example.com\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Subject: lunch\r\n"
    "\tat noon\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 4\r\n"
    "\r\n"
    "v=0\n";

struct parsed {
  std::string bytes;
  std::vector<header_field> storage = std::vector<header_field>(64);
  parse_result result;
};

// Parses `text` (kept alive in the returned object) and expects success.
std::unique_ptr<parsed> parse_ok(std::string text) {
  auto p = std::make_unique<parsed>();
  p->bytes = std::move(text);
  p->result = parse(p->bytes, p->storage);
  EXPECT_TRUE(p->result.ok()) << code_name(p->result.error.code) << " at "
                              << p->result.error.offset << " in\n" << p->bytes;
  return p;
}

std::string build(const message_view& request, std::uint16_t status, std::string_view reason,
                  const response_options& o = {}) {
  std::string out(max_response_size(request, o, reason), '\0');
  const std::size_t n = build_response(request, status, reason, o, out);
  EXPECT_NE(n, 0u);
  out.resize(n);
  return out;
}

std::vector<std::string_view> values_of(const message_view& m, header_id id) {
  std::vector<std::string_view> v;
  for (const header_field& h : m.headers())
    if (h.id == id) v.push_back(m.value(h));
  return v;
}

TEST(response_builder, copies_via_from_to_call_id_cseq_and_tags_to) {
  const auto req = parse_ok(invite);
  const message_view& r = req->result.message;
  response_options o;
  o.to_tag = "a6c85cf";
  const auto resp = parse_ok(build(r, 180, "", o));
  const message_view& m = resp->result.message;

  EXPECT_FALSE(m.is_request());
  EXPECT_EQ(m.status_code(), 180);
  EXPECT_EQ(m.reason_phrase(), "Ringing");
  EXPECT_EQ(values_of(m, header_id::via), values_of(r, header_id::via));
  ASSERT_EQ(m.count(header_id::via), 2);
  EXPECT_EQ(m.name(m.headers()[0]), "Via");  // canonical names, not the compact "v"
  EXPECT_EQ(m.value_of(header_id::from), r.value_of(header_id::from));
  EXPECT_EQ(m.value_of(header_id::to), "Bob <sip:bob@biloxi.example.com>;tag=a6c85cf");
  EXPECT_EQ(m.value_of(header_id::call_id), "a84b4c76e66710@pc33.example.com");
  EXPECT_EQ(m.value_of(header_id::cseq), "314159 INVITE");
  EXPECT_EQ(m.content_length(), 0);
  EXPECT_TRUE(m.body().empty());
  // Nothing else of the request is copied.
  EXPECT_EQ(m.count(header_id::subject), 0);
  EXPECT_EQ(m.count(header_id::content_type), 0);
  EXPECT_EQ(m.count(header_id::max_forwards), 0);

  name_addr to;
  ASSERT_EQ(parse_name_addr(m.value_of(header_id::to), to), error_code::none);
  EXPECT_EQ(to.tag, "a6c85cf");
}

TEST(response_builder, exact_bytes) {
  const auto req = parse_ok(
      "OPTIONS sip:carol@chicago.example.com SIP/2.0\r\n"
      "Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bKhjhs8ass877\r\n"
      "Max-Forwards: 70\r\n"
      "To: <sip:carol@chicago.example.com>\r\n"
      "From: Alice <sip:alice@example.com>;tag=1928301774\r\n"
      "Call-ID: a84b4c76e66710\r\n"
      "CSeq: 63104 OPTIONS\r\n"
      "Content-Length: 0\r\n"
      "\r\n");
  response_options o;
  o.to_tag = "x1";
  o.extra_headers = "Allow: INVITE, ACK, CANCEL, OPTIONS, BYE\r\n";
  EXPECT_EQ(build(req->result.message, 200, "OK", o),
            "SIP/2.0 200 OK\r\n"
            "Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bKhjhs8ass877\r\n"
            "From: Alice <sip:alice@example.com>;tag=1928301774\r\n"
            "To: <sip:carol@chicago.example.com>;tag=x1\r\n"
            "Call-ID: a84b4c76e66710\r\n"
            "CSeq: 63104 OPTIONS\r\n"
            "Allow: INVITE, ACK, CANCEL, OPTIONS, BYE\r\n"
            "Content-Length: 0\r\n"
            "\r\n");
}

TEST(response_builder, keeps_an_existing_to_tag) {
  std::string text = invite;
  text.replace(text.find("t: Bob <sip:bob@biloxi.example.com>"),
               sizeof("t: Bob <sip:bob@biloxi.example.com>") - 1,
               "t: Bob <sip:bob@biloxi.example.com>;TAG=314");
  const auto req = parse_ok(text);
  response_options o;
  o.to_tag = "new";
  const auto resp = parse_ok(build(req->result.message, 486, "", o));
  EXPECT_EQ(resp->result.message.value_of(header_id::to),
            "Bob <sip:bob@biloxi.example.com>;TAG=314");
  EXPECT_EQ(resp->result.message.reason_phrase(), "Busy Here");
}

TEST(response_builder, no_tag_on_100_or_without_one) {
  const auto req = parse_ok(invite);
  response_options o;
  o.to_tag = "abc";
  const auto trying = parse_ok(build(req->result.message, 100, "", o));
  EXPECT_EQ(trying->result.message.value_of(header_id::to), "Bob <sip:bob@biloxi.example.com>");
  EXPECT_EQ(trying->result.message.reason_phrase(), "Trying");
  const auto untagged = parse_ok(build(req->result.message, 404, "Not Here", {}));
  EXPECT_EQ(untagged->result.message.value_of(header_id::to), "Bob <sip:bob@biloxi.example.com>");
  EXPECT_EQ(untagged->result.message.reason_phrase(), "Not Here");
}

// RFC 4475 §3.1.1.8: the REGISTER is answered; the trailing INVITE's octets play no part.
TEST(response_builder, dblreq_register_with_bare_addr_spec_to) {
  const std::string& bytes = testing::torture_message("rfc4475", "dblreq");
  std::vector<header_field> storage(64);
  const parse_result req = parse(bytes, storage);
  ASSERT_TRUE(req.ok());
  response_options o;
  o.to_tag = "reg1";
  o.extra_headers = "Contact: <sip:j.user@host.example.com>;expires=3600\r\n";
  const std::string text = build(req.message, 200, "", o);
  EXPECT_EQ(text.find("INVITE"), std::string::npos);
  const auto resp = parse_ok(text);
  const message_view& m = resp->result.message;
  EXPECT_EQ(m.value_of(header_id::to), "sip:j.user@example.com;tag=reg1");
  EXPECT_EQ(m.value_of(header_id::call_id), "dblreq.0ha0isndaksdj99sdfafnl3lk233412");
  EXPECT_EQ(m.value_of(header_id::cseq), "8 REGISTER");
  EXPECT_EQ(m.value_of(header_id::via), "SIP/2.0/UDP 192.0.2.125;branch=z9hG4bKkdjuw23492");
  EXPECT_EQ(m.value_of(header_id::contact), "<sip:j.user@host.example.com>;expires=3600");
}

TEST(response_builder, extra_headers_and_body) {
  const auto req = parse_ok(invite);
  response_options o;
  o.to_tag = "t9";
  o.extra_headers =
      "Contact: <sip:bob@192.0.2.4>\r\n"
      "Unsupported: foo\r\n";
  o.content_type = "application/sdp";
  o.body = "v=0\r\no=bob 1 1 IN IP4 192.0.2.4\r\n";
  const auto resp = parse_ok(build(req->result.message, 200, "", o));
  const message_view& m = resp->result.message;
  EXPECT_EQ(m.reason_phrase(), "OK");
  EXPECT_EQ(m.value_of(header_id::contact), "<sip:bob@192.0.2.4>");
  EXPECT_EQ(m.value_of(header_id::unsupported), "foo");
  EXPECT_EQ(m.value_of(header_id::content_type), "application/sdp");
  EXPECT_EQ(m.content_length(), static_cast<std::int64_t>(o.body.size()));
  EXPECT_EQ(m.body(), o.body);
  EXPECT_EQ(m.bytes().size(), resp->bytes.size());
}

TEST(response_builder, body_without_type_and_type_without_body) {
  const auto req = parse_ok(invite);
  response_options o;
  o.body = "hello";
  const auto with_body = parse_ok(build(req->result.message, 200, "", o));
  EXPECT_EQ(with_body->result.message.count(header_id::content_type), 0);
  EXPECT_EQ(with_body->result.message.body(), "hello");
  response_options t;
  t.content_type = "text/plain";
  const auto no_body = parse_ok(build(req->result.message, 200, "", t));
  EXPECT_EQ(no_body->result.message.count(header_id::content_type), 0);
  EXPECT_EQ(no_body->result.message.content_length(), 0);
}

TEST(response_builder, unknown_status_without_reason_has_an_empty_phrase) {
  const auto req = parse_ok(invite);
  const std::string text = build(req->result.message, 299, "", {});
  EXPECT_TRUE(text.starts_with("SIP/2.0 299 \r\n"));
  const auto resp = parse_ok(text);
  EXPECT_EQ(resp->result.message.status_code(), 299);
  EXPECT_EQ(resp->result.message.reason_phrase(), "");
}

TEST(response_builder, too_small_buffer_gives_zero) {
  const auto req = parse_ok(invite);
  response_options o;
  o.to_tag = "abc";
  o.body = "body";
  const std::string full = build(req->result.message, 200, "", o);
  std::string out(full.size() + 8, '#');
  const auto build_into = [&](std::size_t n) {
    return build_response(req->result.message, 200, "", o, std::span<char>(out.data(), n));
  };
  for (std::size_t n = 0; n < full.size(); ++n) ASSERT_EQ(build_into(n), 0u) << n;
  ASSERT_EQ(build_into(full.size()), full.size());
  EXPECT_EQ(out.substr(0, full.size()), full);
  EXPECT_EQ(out.substr(full.size()), std::string(8, '#'));  // nothing written past the end
}

TEST(response_builder, max_response_size_bounds_every_default_reason) {
  const auto req = parse_ok(invite);
  response_options o;
  o.to_tag = "abcdef";
  o.extra_headers = "Min-Expires: 3600\r\n";
  o.body = "xyz";
  o.content_type = "text/plain";
  const std::size_t bound = max_response_size(req->result.message, o);
  std::string out(bound, '\0');
  for (std::uint16_t status = 100; status < 700; ++status) {
    const std::size_t n = build_response(req->result.message, status, "", o, out);
    ASSERT_NE(n, 0u) << status;
    ASSERT_LE(n, bound) << status;
  }
  // The longest phrase fills the bound exactly (To has no tag yet, so it gets one).
  EXPECT_EQ(build_response(req->result.message, 439, "", o, out), bound);
  // With a given reason the bound is exact too.
  EXPECT_EQ(build_response(req->result.message, 200, "Fine", o, out),
            max_response_size(req->result.message, o, "Fine"));
}

TEST(response_builder, refuses_bad_inputs) {
  const auto req = parse_ok(invite);
  const message_view& r = req->result.message;
  std::string out(4096, '\0');
  EXPECT_NE(build_response(r, 200, "OK", {}, out), 0u);
  EXPECT_EQ(build_response(r, 99, "Low", {}, out), 0u);
  EXPECT_EQ(build_response(r, 700, "High", {}, out), 0u);
  EXPECT_EQ(build_response(r, 200, "OK\r\nX-Injected: 1", {}, out), 0u);
  EXPECT_EQ(build_response(r, 200, "OK\n", {}, out), 0u);
  response_options bad_tag;
  bad_tag.to_tag = "a b";
  EXPECT_EQ(build_response(r, 200, "OK", bad_tag, out), 0u);
  response_options bad_extra;
  bad_extra.extra_headers = "Allow: INVITE";
  EXPECT_EQ(build_response(r, 200, "OK", bad_extra, out), 0u);
  EXPECT_EQ(build_response(r, 200, "OK", {}, std::span<char>()), 0u);

  // A response is not answered.
  const auto resp = parse_ok(build(r, 200, "OK", {}));
  EXPECT_EQ(build_response(resp->result.message, 200, "OK", {}, out), 0u);
  EXPECT_EQ(build_response(message_view{}, 200, "OK", {}, out), 0u);
}

TEST(response_builder, default_reasons) {
  EXPECT_EQ(default_reason(100), "Trying");
  EXPECT_EQ(default_reason(183), "Session Progress");
  EXPECT_EQ(default_reason(202), "Accepted");
  EXPECT_EQ(default_reason(302), "Moved Temporarily");
  EXPECT_EQ(default_reason(401), "Unauthorized");
  EXPECT_EQ(default_reason(407), "Proxy Authentication Required");
  EXPECT_EQ(default_reason(420), "Bad Extension");
  EXPECT_EQ(default_reason(421), "Extension Required");
  EXPECT_EQ(default_reason(423), "Interval Too Brief");
  EXPECT_EQ(default_reason(429), "Provide Referrer Identity");
  EXPECT_EQ(default_reason(439), "First Hop Lacks Outbound Support");
  EXPECT_EQ(default_reason(469), "Bad Info Package");
  EXPECT_EQ(default_reason(470), "Consent Needed");
  EXPECT_EQ(default_reason(481), "Call/Transaction Does Not Exist");
  EXPECT_EQ(default_reason(483), "Too Many Hops");
  EXPECT_EQ(default_reason(489), "Bad Event");
  EXPECT_EQ(default_reason(494), "Security Agreement Required");
  EXPECT_EQ(default_reason(505), "Version Not Supported");
  EXPECT_EQ(default_reason(513), "Message Too Large");
  EXPECT_EQ(default_reason(580), "Precondition Failure");
  EXPECT_EQ(default_reason(606), "Not Acceptable");
  for (std::uint16_t unknown : {0, 99, 199, 299, 490, 492, 607, 700, 65535})
    EXPECT_EQ(default_reason(unknown), "") << unknown;
}

}  // namespace
}  // namespace sipring::parser
