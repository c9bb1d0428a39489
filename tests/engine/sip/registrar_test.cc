#include "sipring/sip/registrar.h"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "sipring/parser/parse.h"
#include "sipring/parser/response_builder.h"
#include "sipring/sip/aor.h"

namespace sipring::sip {
namespace {

using namespace std::chrono_literals;
using time_point = location_partition::clock::time_point;

constexpr std::string_view alice = "alice@example.com";

struct request_spec {
  std::string headers;  ///< extra header lines, each ending in CRLF
  std::string call_id = "call-1@192.0.2.1";
  std::uint32_t cseq = 1;
  std::string to = "sip:alice@example.com";
};

std::string register_text(const request_spec& r) {
  return "REGISTER sip:example.com SIP/2.0\r\n"
         "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKreg" + std::to_string(r.cseq) + "\r\n"
         "Max-Forwards: 70\r\n"
         "To: <" + r.to + ">\r\n"
         "From: <" + r.to + ">;tag=ft1\r\n"
         "Call-ID: " + r.call_id + "\r\n"
         "CSeq: " + std::to_string(r.cseq) + " REGISTER\r\n" +
         r.headers +
         "Content-Length: 0\r\n\r\n";
}

struct answer {
  std::uint16_t status = 0;
  std::string reason;
  std::string headers;
};

class RegistrarTest : public ::testing::Test {
 protected:
  answer send(const request_spec& r, const transport::flow& from) {
    const std::string text = register_text(r);
    std::array<parser::header_field, 64> storage{};
    const auto parsed = parser::parse(text, storage);
    EXPECT_TRUE(parsed.ok()) << text;
    if (!parsed.ok()) return {};
    answer a;
    const auto out = active->process(parsed.message, from, now, a.headers);
    a.status = out.status;
    a.reason = std::string(out.reason);
    // Whatever the registrar answers, build_response must take its header text.
    std::array<char, 4096> response{};
    parser::response_options o;
    o.to_tag = "reg1";
    o.extra_headers = a.headers;
    EXPECT_GT(parser::build_response(parsed.message, out.status, out.reason, o, response), 0u) << a.headers;
    return a;
  }
  answer send(const request_spec& r) { return send(r, udp); }

  std::vector<std::string> current_contacts() {
    std::vector<std::string> out;
    for (const auto& b : partition.lookup(alice, now)) out.push_back(b.contact);
    return out;
  }

  static transport::flow make_udp() {
    transport::flow f;
    EXPECT_TRUE(transport::peer_address::from_ip("192.0.2.1", 5060, f.remote));
    return f;
  }

  location_partition partition;
  registrar reg{partition, registrar_options{}};
  registrar* active = &reg;  ///< the registrar send() uses (a test may swap in one with limits)
  time_point now = time_point{} + 10000s;
  transport::flow udp = make_udp();
};

TEST_F(RegistrarTest, AddWithDefaultExpires) {
  const auto a = send({.headers = "Contact: <sip:alice@192.0.2.1:5060>\r\n"});
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.headers, "Contact: <sip:alice@192.0.2.1:5060>;expires=3600\r\n");
  const auto bs = partition.lookup(alice, now);
  ASSERT_EQ(bs.size(), 1u);
  EXPECT_EQ(bs[0].contact, "sip:alice@192.0.2.1:5060");
  EXPECT_EQ(bs[0].expires_at, now + 3600s);
  EXPECT_EQ(bs[0].call_id, "call-1@192.0.2.1");
  EXPECT_EQ(bs[0].cseq, 1u);
  EXPECT_EQ(bs[0].q, 1000);
  EXPECT_FALSE(bs[0].has_q);
  EXPECT_TRUE(bs[0].path.empty());
  EXPECT_EQ(bs[0].flow.remote, udp.remote);
  EXPECT_EQ(partition.binding_count(), 1u);
  EXPECT_EQ(partition.aor_count(), 1u);
}

TEST_F(RegistrarTest, RefreshReplacesTheBinding) {
  ASSERT_EQ(send({.headers = "Contact: <sip:alice@192.0.2.1>\r\n"}).status, 200);
  now += 100s;
  const auto a = send({.headers = "Contact: <sip:alice@192.0.2.1>\r\nExpires: 600\r\n", .cseq = 2});
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.headers, "Contact: <sip:alice@192.0.2.1>;expires=600\r\n");
  ASSERT_EQ(partition.binding_count(), 1u);
  EXPECT_EQ(partition.lookup(alice, now)[0].cseq, 2u);
  EXPECT_EQ(*partition.next_expiry(), now + 600s);  // the old deadline is gone from the index
}

TEST_F(RegistrarTest, ContactsCompareAsUris) {
  ASSERT_EQ(send({.headers = "Contact: <sip:alice@Host.Example.com;transport=TCP>\r\n"}).status, 200);
  ASSERT_EQ(send({.headers = "Contact: <sip:alice@host.example.com;transport=tcp>\r\n", .cseq = 2}).status, 200);
  EXPECT_EQ(partition.binding_count(), 1u);
  // A transport parameter on one side only makes another contact (RFC 3261 §19.1.4).
  ASSERT_EQ(send({.headers = "Contact: <sip:alice@host.example.com>\r\n", .cseq = 3}).status, 200);
  EXPECT_EQ(partition.binding_count(), 2u);
}

TEST_F(RegistrarTest, FetchListsEveryBindingWithTimeLeft) {
  ASSERT_EQ(send({.headers = "Contact: <sip:alice@192.0.2.1>\r\n"}).status, 200);
  ASSERT_EQ(send({.headers = "Contact: <sip:alice@192.0.2.2>;expires=120\r\n", .call_id = "other", .cseq = 9}).status, 200);
  now += 100s;
  const auto a = send({.headers = "", .cseq = 2});
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.headers,
            "Contact: <sip:alice@192.0.2.1>;expires=3500\r\n"
            "Contact: <sip:alice@192.0.2.2>;expires=20\r\n");
  EXPECT_EQ(partition.binding_count(), 2u);
  // A fetch of an AoR without bindings: 200 and no Contact.
  const auto none = send({.headers = "", .cseq = 1, .to = "sip:nobody@example.com"});
  EXPECT_EQ(none.status, 200);
  EXPECT_EQ(none.headers, "");
}

TEST_F(RegistrarTest, RemoveOne) {
  ASSERT_EQ(send({.headers = "Contact: <sip:alice@192.0.2.1>, <sip:alice@192.0.2.2>\r\n"}).status, 200);
  const auto a = send({.headers = "Contact: <sip:alice@192.0.2.1>;expires=0\r\n", .cseq = 2});
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.headers, "Contact: <sip:alice@192.0.2.2>;expires=3600\r\n");
  EXPECT_EQ(current_contacts(), std::vector<std::string>{"sip:alice@192.0.2.2"});
  // Removing a contact that is not bound is fine and changes nothing.
  EXPECT_EQ(send({.headers = "Contact: <sip:alice@192.0.2.9>\r\nExpires: 0\r\n", .cseq = 3}).status, 200);
  EXPECT_EQ(partition.binding_count(), 1u);
}

TEST_F(RegistrarTest, RemoveAllWithStar) {
  ASSERT_EQ(send({.headers = "Contact: <sip:alice@192.0.2.1>, <sip:alice@192.0.2.2>\r\n"}).status, 200);
  ASSERT_EQ(send({.headers = "Contact: <sip:alice@192.0.2.3>\r\n", .call_id = "another"}).status, 200);
  const auto a = send({.headers = "Contact: *\r\nExpires: 0\r\n", .cseq = 2});
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.headers, "");
  EXPECT_EQ(partition.binding_count(), 0u);
  EXPECT_EQ(partition.aor_count(), 0u);
}

TEST_F(RegistrarTest, StarNeedsExpiresZero) {
  ASSERT_EQ(send({.headers = "Contact: <sip:alice@192.0.2.1>\r\n"}).status, 200);
  auto a = send({.headers = "Contact: *\r\nExpires: 60\r\n", .cseq = 2});
  EXPECT_EQ(a.status, 400);
  EXPECT_EQ(a.reason, "Contact * requires Expires: 0");
  a = send({.headers = "Contact: *\r\n", .cseq = 3});
  EXPECT_EQ(a.status, 400);
  EXPECT_EQ(partition.binding_count(), 1u);
}

TEST_F(RegistrarTest, StarMustBeAlone) {
  ASSERT_EQ(send({.headers = "Contact: <sip:alice@192.0.2.1>\r\n"}).status, 200);
  for (const char* h : {"Contact: *, <sip:alice@192.0.2.2>\r\nExpires: 0\r\n",
                        "Contact: <sip:alice@192.0.2.2>, *\r\nExpires: 0\r\n",
                        "Contact: *\r\nContact: <sip:alice@192.0.2.2>\r\nExpires: 0\r\n",
                        "Contact: <sip:alice@192.0.2.2>\r\nContact: *\r\nExpires: 0\r\n",
                        "Contact: *\r\nContact: *\r\nExpires: 0\r\n"}) {
    const auto a = send({.headers = h, .cseq = 2});
    EXPECT_EQ(a.status, 400) << h;
    EXPECT_EQ(a.reason, "Contact * must be the only Contact") << h;
  }
  EXPECT_EQ(current_contacts(), std::vector<std::string>{"sip:alice@192.0.2.1"});
}

TEST_F(RegistrarTest, IntervalTooBriefIs423WithMinExpires) {
  auto a = send({.headers = "Contact: <sip:alice@192.0.2.1>\r\nExpires: 30\r\n"});
  EXPECT_EQ(a.status, 423);
  EXPECT_EQ(a.headers, "Min-Expires: 60\r\n");
  // One brief Contact refuses the whole request.
  a = send({.headers = "Contact: <sip:alice@192.0.2.1>, <sip:alice@192.0.2.2>;expires=59\r\n", .cseq = 2});
  EXPECT_EQ(a.status, 423);
  EXPECT_EQ(partition.binding_count(), 0u);
  // The minimum itself is fine.
  EXPECT_EQ(send({.headers = "Contact: <sip:alice@192.0.2.1>;expires=60\r\n", .cseq = 3}).status, 200);
}

TEST_F(RegistrarTest, No423ForAnHourOrMore) {
  // RFC 3261 §10.3: 423 only for intervals shorter than one hour, whatever the minimum.
  registrar strict{partition, {.default_expires = 7200, .min_expires = 7200, .max_expires = 86400}};
  const std::string text = register_text({.headers = "Contact: <sip:alice@192.0.2.1>\r\nExpires: 3600\r\n"});
  std::array<parser::header_field, 32> storage{};
  const auto parsed = parser::parse(text, storage);
  ASSERT_TRUE(parsed.ok());
  std::string headers;
  EXPECT_EQ(strict.process(parsed.message, udp, now, headers).status, 200);
  EXPECT_EQ(headers, "Contact: <sip:alice@192.0.2.1>;expires=3600\r\n");
  const std::string brief = register_text({.headers = "Contact: <sip:alice@192.0.2.1>\r\nExpires: 3599\r\n", .cseq = 2});
  const auto parsed_brief = parser::parse(brief, storage);
  ASSERT_TRUE(parsed_brief.ok());
  EXPECT_EQ(strict.process(parsed_brief.message, udp, now, headers).status, 423);
  EXPECT_EQ(headers, "Min-Expires: 7200\r\n");
}

TEST_F(RegistrarTest, LongIntervalsAreShortenedToTheMaximum) {
  const auto a = send({.headers = "Contact: <sip:alice@192.0.2.1>\r\nExpires: 100000\r\n"});
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.headers, "Contact: <sip:alice@192.0.2.1>;expires=86400\r\n");
  // Expires above 2^32-1 reads as 2^32-1 (RFC 3261 §20.19), then is shortened.
  EXPECT_EQ(send({.headers = "Contact: <sip:alice@192.0.2.1>\r\nExpires: 99999999999\r\n", .cseq = 2}).headers,
            "Contact: <sip:alice@192.0.2.1>;expires=86400\r\n");
}

TEST_F(RegistrarTest, ExpiresParamBeatsTheExpiresHeader) {
  const auto a = send({.headers = "Contact: <sip:alice@192.0.2.1>;expires=120, <sip:alice@192.0.2.2>\r\n"
                                  "Expires: 600\r\n"});
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.headers,
            "Contact: <sip:alice@192.0.2.1>;expires=120\r\n"
            "Contact: <sip:alice@192.0.2.2>;expires=600\r\n");
  // expires=0 on the Contact removes even when the header says otherwise.
  EXPECT_EQ(send({.headers = "Contact: <sip:alice@192.0.2.1>;expires=0\r\nExpires: 600\r\n", .cseq = 2}).headers,
            "Contact: <sip:alice@192.0.2.2>;expires=600\r\n");
}

TEST_F(RegistrarTest, OutOfOrderCSeqIsRefusedAndChangesNothing) {
  ASSERT_EQ(send({.headers = "Contact: <sip:alice@192.0.2.1>\r\n", .cseq = 5}).status, 200);
  for (std::uint32_t cseq : {5u, 4u}) {
    const auto a = send({.headers = "Contact: <sip:alice@192.0.2.2>, <sip:alice@192.0.2.1>;expires=0\r\n",
                         .cseq = cseq});
    EXPECT_EQ(a.status, 400) << cseq;
    EXPECT_EQ(a.reason, "Invalid CSeq number");
    EXPECT_EQ(a.headers, "");
  }
  // The first Contact was new, but the request is atomic: it was not added.
  EXPECT_EQ(current_contacts(), std::vector<std::string>{"sip:alice@192.0.2.1"});
  // The same holds for `Contact: *`.
  EXPECT_EQ(send({.headers = "Contact: *\r\nExpires: 0\r\n", .cseq = 5}).reason, "Invalid CSeq number");
  EXPECT_EQ(partition.binding_count(), 1u);
  // A fetch never compares CSeq.
  EXPECT_EQ(send({.headers = "", .cseq = 1}).status, 200);
  EXPECT_EQ(send({.headers = "Contact: *\r\nExpires: 0\r\n", .cseq = 6}).status, 200);
  EXPECT_EQ(partition.binding_count(), 0u);
}

TEST_F(RegistrarTest, AnotherCallIdUpdatesAndRemoves) {
  ASSERT_EQ(send({.headers = "Contact: <sip:alice@192.0.2.1>\r\n", .cseq = 50}).status, 200);
  // The phone rebooted: a new Call-ID with a lower CSeq still updates (§10.3 step 7).
  auto a = send({.headers = "Contact: <sip:alice@192.0.2.1>\r\nExpires: 300\r\n", .call_id = "rebooted", .cseq = 1});
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.headers, "Contact: <sip:alice@192.0.2.1>;expires=300\r\n");
  ASSERT_EQ(partition.binding_count(), 1u);
  EXPECT_EQ(partition.lookup(alice, now)[0].call_id, "rebooted");
  EXPECT_EQ(partition.lookup(alice, now)[0].cseq, 1u);
  // And a third Call-ID removes it.
  a = send({.headers = "Contact: <sip:alice@192.0.2.1>;expires=0\r\n", .call_id = "third", .cseq = 1});
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(partition.binding_count(), 0u);
}

TEST_F(RegistrarTest, SeveralContactsInOneHeaderAndInSeveral) {
  const auto a = send({.headers = "Contact: <sip:alice@192.0.2.1>, \"Alice\" <sip:alice@192.0.2.2>\r\n"
                                  "m: sip:alice@192.0.2.3\r\n"
                                  "Contact: <sip:alice@192.0.2.4;transport=tcp>;expires=200\r\n"});
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(current_contacts(), (std::vector<std::string>{"sip:alice@192.0.2.1", "sip:alice@192.0.2.2",
                                                          "sip:alice@192.0.2.3",
                                                          "sip:alice@192.0.2.4;transport=tcp"}));
  EXPECT_EQ(a.headers,
            "Contact: <sip:alice@192.0.2.1>;expires=3600\r\n"
            "Contact: <sip:alice@192.0.2.2>;expires=3600\r\n"
            "Contact: <sip:alice@192.0.2.3>;expires=3600\r\n"
            "Contact: <sip:alice@192.0.2.4;transport=tcp>;expires=200\r\n");
}

TEST_F(RegistrarTest, HighestQFirstAndQEchoed) {
  const auto a = send({.headers = "Contact: <sip:alice@192.0.2.1>;q=0.1, <sip:alice@192.0.2.2>;q=0.85\r\n"
                                  "Contact: <sip:alice@192.0.2.3>, <sip:alice@192.0.2.4>;q=1.0, "
                                  "<sip:alice@192.0.2.5>;q=0\r\n"});
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.headers,
            "Contact: <sip:alice@192.0.2.3>;expires=3600\r\n"
            "Contact: <sip:alice@192.0.2.4>;expires=3600;q=1\r\n"
            "Contact: <sip:alice@192.0.2.2>;expires=3600;q=0.85\r\n"
            "Contact: <sip:alice@192.0.2.1>;expires=3600;q=0.1\r\n"
            "Contact: <sip:alice@192.0.2.5>;expires=3600;q=0\r\n");
  const auto bs = partition.lookup(alice, now);
  ASSERT_EQ(bs.size(), 5u);
  EXPECT_EQ(bs[2].q, 850);
  EXPECT_EQ(bs[4].q, 0);
}

TEST_F(RegistrarTest, PathStoredAndEchoed) {
  const auto a = send({.headers = "Path: <sip:edge1.example.net;lr>, <sip:edge2.example.net;lr>\r\n"
                                  "Path: <sip:P3@core.example.net;lr>;x=1\r\n"
                                  "Supported: path\r\n"
                                  "Contact: <sip:alice@10.0.0.1>\r\n"});
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.headers,
            "Contact: <sip:alice@10.0.0.1>;expires=3600\r\n"
            "Path: <sip:edge1.example.net;lr>, <sip:edge2.example.net;lr>\r\n"
            "Path: <sip:P3@core.example.net;lr>;x=1\r\n");
  const auto bs = partition.lookup(alice, now);
  ASSERT_EQ(bs.size(), 1u);
  EXPECT_EQ(bs[0].path, (std::vector<std::string>{"<sip:edge1.example.net;lr>", "<sip:edge2.example.net;lr>",
                                                  "<sip:P3@core.example.net;lr>;x=1"}));
  // A refresh without Path drops it; a fetch echoes only the request's own Path.
  const auto b = send({.headers = "Contact: <sip:alice@10.0.0.1>\r\n", .cseq = 2});
  EXPECT_EQ(b.headers, "Contact: <sip:alice@10.0.0.1>;expires=3600\r\n");
  EXPECT_TRUE(partition.lookup(alice, now)[0].path.empty());
  EXPECT_EQ(send({.headers = "Path: <sip:bad path>\r\nContact: <sip:alice@10.0.0.1>\r\n", .cseq = 3}).status, 400);
}

TEST_F(RegistrarTest, RequireIsChecked) {
  auto a = send({.headers = "Require: path\r\nContact: <sip:alice@192.0.2.1>\r\n"});
  EXPECT_EQ(a.status, 200);
  a = send({.headers = "Require: path, foo\r\nRequire: bar\r\nContact: <sip:alice@192.0.2.2>\r\n", .cseq = 2});
  EXPECT_EQ(a.status, 420);
  EXPECT_EQ(a.headers, "Unsupported: foo, bar\r\n");
  EXPECT_EQ(partition.binding_count(), 1u);
}

TEST_F(RegistrarTest, ExpiryOnTime) {
  ASSERT_EQ(send({.headers = "Contact: <sip:alice@192.0.2.1>;expires=60, <sip:alice@192.0.2.2>;expires=120\r\n"}).status,
            200);
  ASSERT_TRUE(partition.next_expiry().has_value());
  EXPECT_EQ(*partition.next_expiry(), now + 60s);
  now += 59s;
  EXPECT_EQ(partition.expire(now), 0u);
  EXPECT_EQ(send({.headers = "", .cseq = 2}).headers,
            "Contact: <sip:alice@192.0.2.1>;expires=1\r\nContact: <sip:alice@192.0.2.2>;expires=61\r\n");
  now += 1s;
  EXPECT_EQ(partition.expire(now), 1u);
  EXPECT_EQ(current_contacts(), std::vector<std::string>{"sip:alice@192.0.2.2"});
  // Between timer runs, an expired binding is never listed even before expire() drops it.
  now += 60s;
  EXPECT_EQ(send({.headers = "", .cseq = 3}).headers, "");
  EXPECT_EQ(partition.binding_count(), 0u);
  EXPECT_EQ(partition.expire(now), 0u);
}

TEST_F(RegistrarTest, FlowStoredAndForgotten) {
  transport::flow tcp;
  tcp.transport = transport::protocol::tcp;
  tcp.shard = 3;
  tcp.listener = 1;
  tcp.connection = {12, 4};
  ASSERT_TRUE(transport::peer_address::from_ip("2001:db8::7", 50123, tcp.remote));
  ASSERT_EQ(send({.headers = "Contact: <sip:alice@[2001:db8::7]:50123;transport=tcp>\r\n"}, tcp).status, 200);
  auto bs = partition.lookup(alice, now);
  ASSERT_EQ(bs.size(), 1u);
  EXPECT_EQ(bs[0].flow.transport, transport::protocol::tcp);
  EXPECT_EQ(bs[0].flow.shard, 3u);
  EXPECT_EQ(bs[0].flow.listener, 1u);
  EXPECT_EQ(bs[0].flow.connection, (transport::connection_id{12, 4}));
  EXPECT_EQ(bs[0].flow.remote, tcp.remote);

  EXPECT_EQ(partition.forget_flow(tcp), 1u);
  bs = partition.lookup(alice, now);
  ASSERT_EQ(bs.size(), 1u);
  EXPECT_FALSE(bs[0].flow.connection.valid());
  EXPECT_EQ(bs[0].flow.remote, tcp.remote);
  // Registering again over a new connection records it.
  tcp.connection = {13, 1};
  ASSERT_EQ(send({.headers = "Contact: <sip:alice@[2001:db8::7]:50123;transport=tcp>\r\n", .cseq = 2}, tcp).status, 200);
  EXPECT_EQ(partition.lookup(alice, now)[0].flow.connection, (transport::connection_id{13, 1}));
}

TEST_F(RegistrarTest, InstanceAndRegIdStoredAndEchoed) {
  const auto a = send({.headers = "Contact: <sip:alice@192.0.2.1;ob>;reg-id=1;"
                                  "+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>\"\r\n"});
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.headers,
            "Contact: <sip:alice@192.0.2.1;ob>;expires=3600;"
            "+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>\";reg-id=1\r\n");
  const auto bs = partition.lookup(alice, now);
  ASSERT_EQ(bs.size(), 1u);
  EXPECT_EQ(bs[0].instance, "<urn:uuid:00000000-0000-1000-8000-000A95A0E128>");
  EXPECT_TRUE(bs[0].has_reg_id);
  EXPECT_EQ(bs[0].reg_id, 1u);
}

TEST_F(RegistrarTest, AorKeyIsCanonical) {
  ASSERT_EQ(send({.headers = "Contact: <sip:alice@192.0.2.1>\r\n", .to = "sip:%61lice@EXAMPLE.com:5060"}).status, 200);
  const auto a = send({.headers = "", .cseq = 2, .to = "sips:alice@example.com;transport=tls"});
  EXPECT_EQ(a.headers, "Contact: <sip:alice@192.0.2.1>;expires=3600\r\n");
  EXPECT_EQ(partition.aor_count(), 1u);
  EXPECT_EQ(partition.lookup(alice, now).size(), 1u);
}

TEST_F(RegistrarTest, MalformedRequests) {
  EXPECT_EQ(send({.headers = "Contact: <sip:alice@192.0.2.1>\r\nExpires: soon\r\n"}).status, 400);
  EXPECT_EQ(send({.headers = "Contact: <sip:alice@192.0.2.1\r\n"}).status, 400);
  EXPECT_EQ(send({.headers = "Contact: <sip:alice@192.0.2.1>;q=2\r\n"}).status, 400);
  EXPECT_EQ(send({.headers = "Contact: <sip:alice@192.0.2.1>;expires=x\r\n"}).status, 400);
  EXPECT_EQ(send({.headers = "Contact: <sip:alice@192.0.2.1>;reg-id=x\r\n"}).status, 400);
  EXPECT_EQ(send({.headers = "Contact: <sip:alice@192.0.2.1>,,<sip:alice@192.0.2.2>\r\n"}).status, 400);
  const auto tel = send({.headers = "Contact: <sip:alice@192.0.2.1>\r\n", .to = "tel:+12125550100"});
  EXPECT_EQ(tel.status, 404);
  EXPECT_EQ(partition.binding_count(), 0u);
}

TEST_F(RegistrarTest, SameContactTwiceInOneRequestLastWins) {
  const auto a = send({.headers = "Contact: <sip:alice@192.0.2.1>;expires=100, <sip:alice@192.0.2.1>;expires=200\r\n"});
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.headers, "Contact: <sip:alice@192.0.2.1>;expires=200\r\n");
}

TEST_F(RegistrarTest, MaxContactsRefusesTheRequestWhole) {
  registrar_options o;
  o.max_contacts = 2;
  registrar limited{partition, o};
  active = &limited;
  ASSERT_EQ(send({.headers = "Contact: <sip:alice@192.0.2.1>, <sip:alice@192.0.2.2>\r\n"}).status, 200);
  // A third binding: refused, and nothing of the request applied (the refresh of .1 either).
  const auto third = send({.headers = "Contact: <sip:alice@192.0.2.1>;expires=100, <sip:alice@192.0.2.3>\r\n",
                           .cseq = 2});
  EXPECT_EQ(third.status, 503);
  EXPECT_EQ(third.reason, "Too many registered contacts");
  EXPECT_EQ(current_contacts(), (std::vector<std::string>{"sip:alice@192.0.2.1", "sip:alice@192.0.2.2"}));
  EXPECT_EQ(partition.lookup(alice, now)[0].expires_at, now + 3600s);
  // Refreshing, replacing one by another, and the same new contact twice stay within the limit.
  EXPECT_EQ(send({.headers = "Contact: <sip:alice@192.0.2.2>;expires=600\r\n", .cseq = 3}).status, 200);
  EXPECT_EQ(send({.headers = "Contact: <sip:alice@192.0.2.1>;expires=0, <sip:alice@192.0.2.3>\r\n", .cseq = 4}).status,
            200);
  EXPECT_EQ(send({.headers = "Contact: <sip:alice@192.0.2.2>;expires=0, <sip:alice@192.0.2.4>;expires=100, "
                             "<sip:alice@192.0.2.4>;expires=200\r\n",
                  .cseq = 5})
                .status,
            200);
  EXPECT_EQ(partition.binding_count(), 2u);
  // An expired binding does not count.
  now += 3601s;
  EXPECT_EQ(send({.headers = "Contact: <sip:alice@192.0.2.5>\r\n", .cseq = 6}).status, 200);
  // Contact: * still removes everything.
  EXPECT_EQ(send({.headers = "Contact: *\r\nExpires: 0\r\n", .cseq = 7}).status, 200);
  EXPECT_EQ(partition.binding_count(), 0u);
}

TEST_F(RegistrarTest, TheTwoHundredMustFitTheMessageLimit) {
  registrar_options o;
  o.max_contact_bytes = 400;  // about three lines of a 40-character URI (bound: URI + 80 each)
  registrar limited{partition, o};
  active = &limited;
  const std::string pad(20, 'x');
  auto contact = [&](int i) { return "Contact: <sip:alice-" + pad + "@192.0.2." + std::to_string(i) + ">\r\n"; };
  for (int i = 1; i <= 3; ++i)
    ASSERT_EQ(send({.headers = contact(i), .cseq = static_cast<std::uint32_t>(i)}).status, 200) << i;
  const auto fourth = send({.headers = contact(4), .cseq = 4});
  EXPECT_EQ(fourth.status, 503);
  EXPECT_EQ(fourth.reason, "Too many registered contacts");
  EXPECT_EQ(partition.binding_count(), 3u);
}

TEST(RegisterAorKey, FromTo) {
  const std::string text =
      "REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
      "To: \"A\" <sips:Alice@Example.COM:5061>\r\nFrom: <sip:a@example.com>;tag=1\r\n"
      "Call-ID: x\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n";
  std::array<parser::header_field, 16> storage{};
  const auto parsed = parser::parse(text, storage);
  ASSERT_TRUE(parsed.ok());
  std::string key;
  ASSERT_TRUE(register_aor_key(parsed.message, key));
  EXPECT_EQ(key, "Alice@example.com");
  EXPECT_LT(owner_shard(key, 4), 4u);
}

}  // namespace
}  // namespace sipring::sip
