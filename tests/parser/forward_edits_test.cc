// forward_edits: the gather list for a forwarded request, concatenated and re-parsed: a new top
// Via, Max-Forwards replaced or added, Record-Route, the top Route element popped, Request-URI
// replaced, headers added; edits in any call order, refusals, short iovec arrays, RFC 4475 dblreq.

#include "sipring/parser/forward_edits.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "corpus.h"
#include "sipring/parser/header_values.h"
#include "sipring/parser/parse.h"

namespace sipring::parser {
namespace {

// Two Via lines, two Route lines (the first with one element), a Record-Route and a body.
const std::string invite =
    "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
    "Route: <sip:p1.example.com;lr>\r\n"
    "Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bK2d4790.1\r\n"
    "Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776asdhds\r\n"
    "Route: <sip:p2.example.com;lr>\r\n"
    "Max-Forwards: 70\r\n"
    "Record-Route: <sip:proxy.example.com;lr>\r\n"
    "To: Bob <sip:bob@biloxi.example.com>\r\n"
    "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710@pc33.example.com\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 10\r\n"
    "\r\n"
    "v=0\r\ns=-\r\n";

constexpr std::string_view new_via = "Via: SIP/2.0/TCP sipring.example.com;branch=z9hG4bKsr1\r\n";
constexpr std::string_view new_rr = "Record-Route: <sip:sipring.example.com;lr>\r\n";

struct parsed {
  std::string bytes;
  std::vector<header_field> storage = std::vector<header_field>(64);
  parse_result result;
  const message_view& m() const { return result.message; }
};

std::unique_ptr<parsed> parse_ok(std::string text) {
  auto p = std::make_unique<parsed>();
  p->bytes = std::move(text);
  p->result = parse(p->bytes, p->storage);
  EXPECT_TRUE(p->result.ok()) << code_name(p->result.error.code) << " at "
                              << p->result.error.offset << " in\n" << p->bytes;
  return p;
}

// The forwarded message: the iovecs concatenated (checked against segment_count/total_size).
std::string gather(const forward_edits& fe) {
  std::array<iovec, forward_edits::max_segments> iov{};
  const std::size_t n = fe.to_iovec(iov);
  EXPECT_EQ(n, fe.segment_count());
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_NE(iov[i].iov_len, 0u);
    out.append(static_cast<const char*>(iov[i].iov_base), iov[i].iov_len);
  }
  EXPECT_EQ(out.size(), fe.total_size());
  return out;
}

std::vector<std::string_view> values_of(const message_view& m, header_id id) {
  std::vector<std::string_view> v;
  for (const header_field& h : m.headers())
    if (h.id == id) v.push_back(m.value(h));
  return v;
}

std::vector<std::string_view> elements_of(std::string_view value) {
  std::vector<std::string_view> v;
  list_splitter s(value);
  for (std::string_view e; s.next(e);) v.push_back(e);
  return v;
}

TEST(forward_edits, no_edits_is_the_message) {
  const auto req = parse_ok(invite);
  forward_edits fe(req->m());
  EXPECT_EQ(fe.segment_count(), 1u);
  EXPECT_EQ(gather(fe), invite);
}

TEST(forward_edits, proxy_edits_in_message_order) {
  const auto req = parse_ok(invite);
  forward_edits fe(req->m());
  // Called out of message order on purpose.
  ASSERT_TRUE(fe.drop_top_route());
  ASSERT_TRUE(fe.insert_record_route(new_rr));
  ASSERT_TRUE(fe.set_max_forwards(69));
  ASSERT_TRUE(fe.insert_via(new_via));
  const std::string out = gather(fe);
  EXPECT_EQ(out,
            "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
            "Via: SIP/2.0/TCP sipring.example.com;branch=z9hG4bKsr1\r\n"
            "Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bK2d4790.1\r\n"
            "Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776asdhds\r\n"
            "Route: <sip:p2.example.com;lr>\r\n"
            "Max-Forwards: 69\r\n"
            "Record-Route: <sip:sipring.example.com;lr>\r\n"
            "Record-Route: <sip:proxy.example.com;lr>\r\n"
            "To: Bob <sip:bob@biloxi.example.com>\r\n"
            "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
            "Call-ID: a84b4c76e66710@pc33.example.com\r\n"
            "CSeq: 314159 INVITE\r\n"
            "Content-Type: application/sdp\r\n"
            "Content-Length: 10\r\n"
            "\r\n"
            "v=0\r\ns=-\r\n");

  const auto fwd = parse_ok(out);
  const message_view& m = fwd->m();
  EXPECT_EQ(m.value_of(header_id::max_forwards), "69");
  EXPECT_EQ(m.value_of(header_id::via), "SIP/2.0/TCP sipring.example.com;branch=z9hG4bKsr1");
  EXPECT_EQ(m.count(header_id::via), 3);
  EXPECT_EQ(values_of(m, header_id::route),
            std::vector<std::string_view>{"<sip:p2.example.com;lr>"});
  EXPECT_EQ(values_of(m, header_id::record_route),
            (std::vector<std::string_view>{"<sip:sipring.example.com;lr>",
                                           "<sip:proxy.example.com;lr>"}));
  EXPECT_EQ(m.content_length(), 10);
  EXPECT_EQ(m.body(), req->m().body());
}

TEST(forward_edits, any_call_order_gives_the_same_message) {
  const auto req = parse_ok(invite);
  std::vector<std::function<bool(forward_edits&)>> calls = {
      [](forward_edits& f) { return f.insert_via(new_via); },
      [](forward_edits& f) { return f.set_max_forwards(69); },
      [](forward_edits& f) { return f.insert_record_route(new_rr); },
      [](forward_edits& f) { return f.drop_top_route(); },
      [](forward_edits& f) { return f.replace_request_uri("sip:bob@192.0.2.4:5060"); },
      [](forward_edits& f) { return f.add_header("X-Trace: 1\r\n"); },
  };
  std::vector<int> order = {0, 1, 2, 3, 4, 5};
  std::string first;
  do {
    forward_edits fe(req->m());
    for (int i : order) ASSERT_TRUE(calls[static_cast<std::size_t>(i)](fe));
    const std::string out = gather(fe);
    if (first.empty()) first = out;
    ASSERT_EQ(out, first);
  } while (std::next_permutation(order.begin(), order.end()));
  const auto fwd = parse_ok(first);
  EXPECT_EQ(fwd->m().request_uri(), "sip:bob@192.0.2.4:5060");
  EXPECT_EQ(fwd->m().headers()[0].id, header_id::via);
  EXPECT_EQ(fwd->m().headers()[1].id, header_id::via);
  EXPECT_EQ(fwd->m().headers().back().id, header_id::other);  // X-Trace, last
  EXPECT_EQ(fwd->m().body(), "v=0\r\ns=-\r\n");
}

TEST(forward_edits, strict_router_fix_drops_the_last_route_element_and_sets_the_request_uri) {
  // §16.4: the Request-URI is our Record-Route (a strict router upstream); the last Route value
  // becomes the Request-URI.
  std::string text = invite;
  text.replace(text.find("Route: <sip:p2.example.com;lr>\r\n"), sizeof("Route: <sip:p2.example.com;lr>\r\n") - 1,
               "Route: <sip:p2.example.com;lr>, <sip:bob@192.0.2.4>\r\n");
  const auto req = parse_ok(text);
  forward_edits fe(req->m());
  ASSERT_TRUE(fe.drop_last_route());
  ASSERT_FALSE(fe.drop_last_route());  // once
  ASSERT_TRUE(fe.replace_request_uri("sip:bob@192.0.2.4"));
  const auto fwd = parse_ok(gather(fe));
  EXPECT_EQ(fwd->m().request_uri(), "sip:bob@192.0.2.4");
  EXPECT_EQ(values_of(fwd->m(), header_id::route),
            (std::vector<std::string_view>{"<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>"}));

  // A last Route line with one element goes whole.
  const auto plain = parse_ok(invite);
  forward_edits fe2(plain->m());
  ASSERT_TRUE(fe2.drop_last_route());
  const auto fwd2 = parse_ok(gather(fe2));
  EXPECT_EQ(values_of(fwd2->m(), header_id::route), (std::vector<std::string_view>{"<sip:p1.example.com;lr>"}));
}

TEST(forward_edits, a_relayed_response_loses_its_top_via_line_or_element) {
  const std::string response =
      "SIP/2.0 180 Ringing\r\n"
      "Via: SIP/2.0/UDP sipring.example.com;branch=z9hG4bKsr1.x\r\n"
      "Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776asdhds\r\n"
      "To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf\r\n"
      "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
      "Call-ID: a84b4c76e66710@pc33.example.com\r\n"
      "CSeq: 314159 INVITE\r\n"
      "Content-Length: 0\r\n\r\n";
  const auto whole_line = parse_ok(response);
  forward_edits fe(whole_line->m());
  ASSERT_TRUE(fe.drop_top_via());
  ASSERT_FALSE(fe.drop_top_via());  // once
  const auto relayed = parse_ok(gather(fe));
  EXPECT_EQ(values_of(relayed->m(), header_id::via),
            (std::vector<std::string_view>{"SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776asdhds"}));

  std::string combined = response;
  combined.replace(combined.find("\r\nVia: SIP/2.0/UDP pc33"), 6, ", ");
  const auto one_line = parse_ok(combined);
  forward_edits fe2(one_line->m());
  ASSERT_TRUE(fe2.drop_top_via());
  const auto relayed2 = parse_ok(gather(fe2));
  EXPECT_EQ(values_of(relayed2->m(), header_id::via),
            (std::vector<std::string_view>{"SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776asdhds"}));
}

TEST(forward_edits, drops_the_first_of_several_route_elements) {
  std::string text = invite;
  text.replace(text.find("Route: <sip:p1.example.com;lr>\r\n"),
               sizeof("Route: <sip:p1.example.com;lr>\r\n") - 1,
               "Route: <sip:p1.example.com;lr>, \"P, 1a\" <sip:p1a.example.com;lr> ,\r\n"
               " <sip:p1b.example.com;lr>\r\n");
  const auto req = parse_ok(text);
  forward_edits fe(req->m());
  ASSERT_TRUE(fe.drop_top_route());
  ASSERT_FALSE(fe.drop_top_route());  // once
  const auto fwd = parse_ok(gather(fe));
  const auto routes = values_of(fwd->m(), header_id::route);
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0], "\"P, 1a\" <sip:p1a.example.com;lr> ,\r\n <sip:p1b.example.com;lr>");
  EXPECT_EQ(elements_of(routes[0]),
            (std::vector<std::string_view>{"\"P, 1a\" <sip:p1a.example.com;lr>",
                                           "<sip:p1b.example.com;lr>"}));
  EXPECT_EQ(routes[1], "<sip:p2.example.com;lr>");
}

TEST(forward_edits, drops_two_top_route_elements_across_lines_for_double_record_routing) {
  // RFC 5658: a proxy that bridged two transports finds both of its Record-Routes on top.
  std::string text = invite;
  text.replace(text.find("Route: <sip:p1.example.com;lr>\r\n"),
               sizeof("Route: <sip:p1.example.com;lr>\r\n") - 1,
               "Route: <sip:p1.example.com;lr>\r\n"
               "Route: <sip:p1.example.com:5061;transport=tls;lr>, <sip:p1b.example.com;lr>\r\n");
  const auto req = parse_ok(text);
  {
    forward_edits fe(req->m());
    ASSERT_TRUE(fe.drop_top_routes(2));
    ASSERT_FALSE(fe.drop_top_route());  // once
    const auto fwd = parse_ok(gather(fe));
    EXPECT_EQ(values_of(fwd->m(), header_id::route),
              (std::vector<std::string_view>{"<sip:p1b.example.com;lr>", "<sip:p2.example.com;lr>"}));
  }
  {
    forward_edits fe(req->m());
    ASSERT_TRUE(fe.drop_top_routes(3));  // both lines whole
    const auto fwd = parse_ok(gather(fe));
    EXPECT_EQ(values_of(fwd->m(), header_id::route), (std::vector<std::string_view>{"<sip:p2.example.com;lr>"}));
  }
  forward_edits too_many(req->m());
  EXPECT_FALSE(too_many.drop_top_routes(5));  // only four elements
  EXPECT_EQ(gather(too_many), text);          // nothing changed
}

TEST(forward_edits, drops_a_folded_single_route_line_whole) {
  std::string text = invite;
  text.replace(text.find("Route: <sip:p1.example.com;lr>\r\n"),
               sizeof("Route: <sip:p1.example.com;lr>\r\n") - 1,
               "Route:\r\n  <sip:p1.example.com;lr>  \r\n");
  const auto req = parse_ok(text);
  forward_edits fe(req->m());
  ASSERT_TRUE(fe.insert_via(new_via));
  ASSERT_TRUE(fe.drop_top_route());
  const std::string out = gather(fe);
  EXPECT_EQ(out.find("p1.example.com"), std::string::npos);
  const auto fwd = parse_ok(out);
  EXPECT_EQ(values_of(fwd->m(), header_id::route),
            std::vector<std::string_view>{"<sip:p2.example.com;lr>"});
  EXPECT_EQ(fwd->m().count(header_id::via), 3);
}

TEST(forward_edits, adds_max_forwards_when_absent) {
  std::string text = invite;
  text.erase(text.find("Max-Forwards: 70\r\n"), sizeof("Max-Forwards: 70\r\n") - 1);
  const auto req = parse_ok(text);
  ASSERT_EQ(req->m().find(header_id::max_forwards), nullptr);
  forward_edits fe(req->m());
  ASSERT_TRUE(fe.set_max_forwards(70));
  ASSERT_FALSE(fe.set_max_forwards(69));  // once
  const std::string out = gather(fe);
  EXPECT_NE(out.find("Content-Length: 10\r\nMax-Forwards: 70\r\n\r\nv=0"), std::string::npos);
  const auto fwd = parse_ok(out);
  EXPECT_EQ(fwd->m().value_of(header_id::max_forwards), "70");
  EXPECT_EQ(fwd->m().body(), "v=0\r\ns=-\r\n");
}

TEST(forward_edits, max_forwards_extremes_and_folded_value) {
  std::string text = invite;
  text.replace(text.find("Max-Forwards: 70\r\n"), sizeof("Max-Forwards: 70\r\n") - 1,
               "Max-Forwards:\r\n\t70\r\n");
  const auto req = parse_ok(text);
  for (const int hops : {0, 9, 10, 255}) {
    forward_edits fe(req->m());
    ASSERT_TRUE(fe.set_max_forwards(static_cast<std::uint8_t>(hops)));
    const std::string out = gather(fe);
    EXPECT_NE(out.find("Max-Forwards:\r\n\t" + std::to_string(hops) + "\r\n"), std::string::npos);
    const auto fwd = parse_ok(out);
    EXPECT_EQ(fwd->m().value_of(header_id::max_forwards), std::to_string(hops));
  }
}

TEST(forward_edits, record_route_after_the_new_via_when_none) {
  std::string text = invite;
  text.erase(text.find("Record-Route: <sip:proxy.example.com;lr>\r\n"),
             sizeof("Record-Route: <sip:proxy.example.com;lr>\r\n") - 1);
  const auto req = parse_ok(text);
  {
    forward_edits fe(req->m());
    // Two Record-Routes (RFC 5658) keep their call order; the Via still comes first.
    ASSERT_TRUE(fe.insert_record_route(new_rr));
    ASSERT_TRUE(fe.insert_record_route("Record-Route: <sip:sipring.example.net;lr>\r\n"));
    ASSERT_TRUE(fe.insert_via(new_via));
    const auto fwd = parse_ok(gather(fe));
    const auto h = fwd->m().headers();
    ASSERT_GE(h.size(), 5u);
    EXPECT_EQ(h[0].id, header_id::route);
    EXPECT_EQ(fwd->m().value(h[1]), "SIP/2.0/TCP sipring.example.com;branch=z9hG4bKsr1");
    EXPECT_EQ(fwd->m().value(h[2]), "<sip:sipring.example.com;lr>");
    EXPECT_EQ(fwd->m().value(h[3]), "<sip:sipring.example.net;lr>");
    EXPECT_EQ(fwd->m().value(h[4]), "SIP/2.0/UDP proxy.example.com;branch=z9hG4bK2d4790.1");
  }
  {
    forward_edits fe(req->m());
    ASSERT_TRUE(fe.insert_record_route(new_rr));
    const auto fwd = parse_ok(gather(fe));
    EXPECT_EQ(fwd->m().headers()[1].id, header_id::record_route);
    EXPECT_EQ(fwd->m().headers()[2].id, header_id::via);
  }
}

TEST(forward_edits, compact_and_folded_headers) {
  const std::string text =
      "OPTIONS sip:carol@chicago.example.com SIP/2.0\r\n"
      "v: SIP/2.0/UDP pc33.example.com;branch=z9hG4bKhjhs8ass877,\r\n"
      "   SIP/2.0/UDP pc34.example.com;branch=z9hG4bKhjhs8ass878\r\n"
      "t: <sip:carol@chicago.example.com>\r\n"
      "f: Alice\r\n <sip:alice@example.com>;tag=1928301774\r\n"
      "i: a84b4c76e66710\r\n"
      "Route: <sip:a.example.com;lr>,<sip:b.example.com;lr>\r\n"
      "CSeq: 63104 OPTIONS\r\n"
      "l: 0\r\n"
      "\r\n";
  const auto req = parse_ok(text);
  forward_edits fe(req->m());
  ASSERT_TRUE(fe.insert_via(new_via));
  ASSERT_TRUE(fe.set_max_forwards(69));
  ASSERT_TRUE(fe.drop_top_route());
  ASSERT_TRUE(fe.insert_record_route(new_rr));
  const std::string out = gather(fe);
  EXPECT_NE(out.find("Route: <sip:b.example.com;lr>\r\n"), std::string::npos);
  const auto fwd = parse_ok(out);
  const message_view& m = fwd->m();
  EXPECT_EQ(m.value(m.headers()[0]), "SIP/2.0/TCP sipring.example.com;branch=z9hG4bKsr1");
  EXPECT_EQ(m.name(m.headers()[2]), "v");
  EXPECT_EQ(m.count(header_id::via), 2);
  EXPECT_EQ(m.value_of(header_id::from), "Alice\r\n <sip:alice@example.com>;tag=1928301774");
  EXPECT_EQ(m.value_of(header_id::call_id), "a84b4c76e66710");
  EXPECT_EQ(m.value_of(header_id::route), "<sip:b.example.com;lr>");
  EXPECT_EQ(m.value_of(header_id::max_forwards), "69");
  EXPECT_EQ(m.content_length(), 0);
}

TEST(forward_edits, replaces_request_uri_and_adds_headers) {
  const auto req = parse_ok(invite);
  forward_edits fe(req->m());
  ASSERT_FALSE(fe.replace_request_uri(""));
  ASSERT_FALSE(fe.replace_request_uri("sip:a b@example.com"));
  ASSERT_FALSE(fe.replace_request_uri("sip:ab@example.com\r\n"));
  ASSERT_TRUE(fe.replace_request_uri("sips:bob@[2001:db8::10]:5061;transport=tls"));
  ASSERT_FALSE(fe.replace_request_uri("sip:other@example.com"));  // once
  ASSERT_TRUE(fe.add_header("P-Hint: first\r\n"));
  ASSERT_TRUE(fe.add_header("P-Hint: second\r\n"));
  const auto fwd = parse_ok(gather(fe));
  EXPECT_EQ(fwd->m().method(), method_id::invite);
  EXPECT_EQ(fwd->m().request_uri(), "sips:bob@[2001:db8::10]:5061;transport=tls");
  const auto h = fwd->m().headers();
  EXPECT_EQ(fwd->m().value(h[h.size() - 2]), "first");
  EXPECT_EQ(fwd->m().value(h[h.size() - 1]), "second");
  EXPECT_EQ(fwd->m().body(), "v=0\r\ns=-\r\n");
}

// RFC 4475 §3.1.1.8: the INVITE after the REGISTER in the datagram is not forwarded.
TEST(forward_edits, dblreq_forwards_only_the_register) {
  const std::string& bytes = testing::torture_message("rfc4475", "dblreq");
  std::vector<header_field> storage(64);
  const parse_result req = parse(bytes, storage);
  ASSERT_TRUE(req.ok());
  forward_edits fe(req.message);
  ASSERT_TRUE(fe.insert_via(new_via));
  ASSERT_TRUE(fe.set_max_forwards(7));
  ASSERT_FALSE(fe.drop_top_route());  // no Route
  const std::string out = gather(fe);
  EXPECT_EQ(out.find("INVITE"), std::string::npos);
  EXPECT_TRUE(out.ends_with("Content-Length: 0\r\n\r\n"));
  parse_options stream;
  stream.transport = transport_kind::stream;
  std::vector<header_field> out_storage(64);
  const parse_result fwd = parse(out, out_storage, stream);
  ASSERT_TRUE(fwd.ok()) << code_name(fwd.error.code);
  EXPECT_EQ(fwd.consumed, out.size());
  EXPECT_EQ(fwd.message.method(), method_id::register_);
  EXPECT_EQ(fwd.message.value_of(header_id::max_forwards), "7");
  EXPECT_EQ(fwd.message.value_of(header_id::call_id), "dblreq.0ha0isndaksdj99sdfafnl3lk233412");
  EXPECT_EQ(fwd.message.count(header_id::via), 2);
}

TEST(forward_edits, refuses_malformed_lines_and_repeats) {
  const auto req = parse_ok(invite);
  forward_edits fe(req->m());
  EXPECT_FALSE(fe.insert_via("Via: SIP/2.0/UDP x;branch=z9hG4bK1"));  // no CRLF
  EXPECT_FALSE(fe.insert_via("\r\n"));
  EXPECT_FALSE(fe.insert_via(""));
  EXPECT_FALSE(fe.insert_record_route("Record-Route: <sip:x;lr>\n"));
  EXPECT_FALSE(fe.add_header("X: 1"));
  EXPECT_TRUE(fe.insert_via(new_via));
  EXPECT_FALSE(fe.insert_via(new_via));  // once
  EXPECT_EQ(gather(fe).size(), invite.size() + new_via.size());
}

TEST(forward_edits, refuses_routes_with_empty_elements) {
  for (const char* route : {"Route: ,<sip:b.example.com;lr>\r\n",
                            "Route: <sip:a;lr>,,<sip:b;lr>\r\n",
                            "Route: <sip:a;lr>, ,<sip:b;lr>\r\n"}) {
    std::string text = invite;
    text.replace(text.find("Route: <sip:p1.example.com;lr>\r\n"),
                 sizeof("Route: <sip:p1.example.com;lr>\r\n") - 1, route);
    const auto req = parse_ok(text);
    forward_edits fe(req->m());
    EXPECT_FALSE(fe.drop_top_route()) << route;
    EXPECT_EQ(gather(fe), text);
  }
}

TEST(forward_edits, capacity_is_bounded) {
  const auto req = parse_ok(invite);
  forward_edits fe(req->m());
  for (std::size_t i = 0; i < forward_edits::max_edits; ++i)
    ASSERT_TRUE(fe.add_header("X: 1\r\n")) << i;
  EXPECT_FALSE(fe.add_header("X: 1\r\n"));
  EXPECT_FALSE(fe.insert_via(new_via));
  EXPECT_FALSE(fe.set_max_forwards(69));
  EXPECT_FALSE(fe.drop_top_route());
  EXPECT_LE(fe.segment_count(), forward_edits::max_segments);
  const std::string out = gather(fe);
  EXPECT_EQ(out.size(), invite.size() + 16 * 6);
  const auto fwd = parse_ok(out);
  EXPECT_EQ(fwd->m().value_of(header_id::max_forwards), "70");
  EXPECT_EQ(fwd->m().body(), "v=0\r\ns=-\r\n");
}

TEST(forward_edits, short_iovec_array_gives_zero) {
  const auto req = parse_ok(invite);
  forward_edits fe(req->m());
  ASSERT_TRUE(fe.insert_via(new_via));
  ASSERT_TRUE(fe.set_max_forwards(69));
  ASSERT_TRUE(fe.drop_top_route());
  const std::size_t needed = fe.segment_count();
  // Route (line 1) is dropped and the Via goes right after it: original up to Route, Via,
  // original up to Max-Forwards' value, "69", the rest.
  EXPECT_EQ(needed, 5u);
  std::array<iovec, forward_edits::max_segments> iov{};
  for (std::size_t n = 0; n < needed; ++n)
    EXPECT_EQ(fe.to_iovec(std::span<iovec>(iov.data(), n)), 0u) << n;
  EXPECT_EQ(fe.to_iovec(std::span<iovec>(iov.data(), needed)), needed);
}

TEST(forward_edits, copies_own_their_max_forwards_text) {
  const auto req = parse_ok(invite);
  auto original = std::make_unique<forward_edits>(req->m());
  ASSERT_TRUE(original->set_max_forwards(42));
  const forward_edits copy = *original;
  original.reset();
  const auto fwd = parse_ok(gather(copy));
  EXPECT_EQ(fwd->m().value_of(header_id::max_forwards), "42");
}

}  // namespace
}  // namespace sipring::parser
