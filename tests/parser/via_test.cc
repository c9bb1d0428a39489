#include "sipring/parser/via.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sipring/parser/header_params.h"
#include "corpus.h"

namespace sipring::parser {
namespace {

using testing::header_value;
using testing::testdata_file;

via parse_ok(std::string_view text) {
  via v;
  EXPECT_EQ(parse_via(text, v), error_code::none) << text;
  return v;
}

std::vector<via> all_vias(std::string_view value, error_code expected = error_code::none) {
  std::vector<via> out;
  EXPECT_EQ(for_each_via(value, [&out](const via& v) { out.push_back(v); }), expected) << value;
  return out;
}

TEST(Via, EveryField) {
  const via v = parse_ok(
      "SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK776asdhds;received=192.0.2.9;maddr=224.2.0.1"
      ";ttl=16;rport=5061;x=y;flag");
  EXPECT_EQ(v.protocol_name, "SIP");
  EXPECT_EQ(v.protocol_version, "2.0");
  EXPECT_EQ(v.transport, "TCP");
  EXPECT_EQ(v.sent_by.host, "192.0.2.1");
  EXPECT_EQ(v.sent_by.kind, host_kind::ipv4);
  EXPECT_TRUE(v.sent_by.has_port);
  EXPECT_EQ(v.sent_by.port, 5060);
  EXPECT_EQ(v.branch, "z9hG4bK776asdhds");
  EXPECT_EQ(v.received, "192.0.2.9");
  EXPECT_EQ(v.maddr, "224.2.0.1");
  EXPECT_EQ(v.ttl, "16");
  EXPECT_TRUE(v.has_rport);
  EXPECT_TRUE(v.rport_has_value);
  EXPECT_EQ(v.rport, 5061);
  EXPECT_EQ(v.params,
            ";branch=z9hG4bK776asdhds;received=192.0.2.9;maddr=224.2.0.1;ttl=16;rport=5061;x=y;flag");
  header_param p;
  header_param_reader r(v.params);
  std::vector<std::string> names;
  while (r.next(p)) names.emplace_back(p.name);
  EXPECT_EQ(names.back(), "flag");
}

TEST(Via, MinimalAndRportWithoutValue) {
  via v = parse_ok("SIP/2.0/UDP pc33.atlanta.com");
  EXPECT_EQ(v.transport, "UDP");
  EXPECT_EQ(v.sent_by.host, "pc33.atlanta.com");
  EXPECT_EQ(v.sent_by.kind, host_kind::hostname);
  EXPECT_FALSE(v.sent_by.has_port);
  EXPECT_TRUE(v.branch.empty());
  EXPECT_TRUE(v.received.empty());
  EXPECT_TRUE(v.maddr.empty());
  EXPECT_TRUE(v.ttl.empty());
  EXPECT_FALSE(v.has_rport);
  EXPECT_TRUE(v.params.empty());

  v = parse_ok("SIP/2.0/UDP h;rport;branch=z9hG4bKx");
  EXPECT_TRUE(v.has_rport);
  EXPECT_FALSE(v.rport_has_value);
  EXPECT_EQ(v.branch, "z9hG4bKx");

  v = parse_ok("SIP/2.0/UDP h;RPORT=0;Branch=z9hG4bKx;RECEIVED=192.0.2.1");  // names ignore case
  EXPECT_TRUE(v.rport_has_value);
  EXPECT_EQ(v.rport, 0);
  EXPECT_EQ(v.branch, "z9hG4bKx");
  EXPECT_EQ(v.received, "192.0.2.1");
}

TEST(Via, LwsAroundSlashColonAndParams) {
  via v = parse_ok("SIP / 2.0 / UDP host");
  EXPECT_EQ(v.protocol_name, "SIP");
  EXPECT_EQ(v.protocol_version, "2.0");
  EXPECT_EQ(v.transport, "UDP");
  EXPECT_EQ(v.sent_by.host, "host");

  v = parse_ok("  SIP/2.0/UDP host : 5060 ; branch = z9hG4bKx ; rport = 7  ");
  EXPECT_EQ(v.sent_by.host, "host");
  EXPECT_EQ(v.sent_by.port, 5060);
  EXPECT_EQ(v.branch, "z9hG4bKx");
  EXPECT_EQ(v.rport, 7);

  // Folding: CRLF + SP/HT is LWS.
  v = parse_ok("SIP\r\n /\r\n\t2.0/\r\n UDP\r\n  [::1]\r\n :\r\n 5062\r\n ;branch=\r\n z9hG4bK1");
  EXPECT_EQ(v.transport, "UDP");
  EXPECT_EQ(v.sent_by.host, "[::1]");
  EXPECT_EQ(v.sent_by.port, 5062);
  EXPECT_EQ(v.branch, "z9hG4bK1");
}

TEST(Via, Ipv6SentByAndReceived) {
  via v = parse_ok("SIP/2.0/UDP [2001:db8::9:1]:6050;branch=z9hG4bKas3-111;received=2001:db8::9:255");
  EXPECT_EQ(v.sent_by.host, "[2001:db8::9:1]");
  EXPECT_EQ(v.sent_by.kind, host_kind::ipv6);
  EXPECT_EQ(v.sent_by.port, 6050);
  EXPECT_EQ(v.received, "2001:db8::9:255");
  v = parse_ok("SIP/2.0/UDP [::1];received=[2001:db8::9:255]");
  EXPECT_EQ(v.received, "[2001:db8::9:255]");
  v = parse_ok("SIP/2.0/UDP [::1];received=::ffff:192.0.2.1;maddr=[ff02::1]");
  EXPECT_EQ(v.received, "::ffff:192.0.2.1");
  EXPECT_EQ(v.maddr, "[ff02::1]");
}

TEST(Via, StructureErrors) {
  via v;
  for (std::string_view bad :
       {"", "   ", "SIP", "SIP/2.0", "SIP/2.0/", "SIP/2.0/UDP", "SIP/2.0/UDP ", "SIP/2.0 host",
        "SIP//UDP host", "/2.0/UDP host", "SIP/2.0/UDPhost", "SIP/2.0/UDP/x host",
        "SIP/2.0/UDP host extra", "SIP/2.0/UDP host,", "SIP/2.0/UDP ho_st", "SIP/2.0/UDP [::1",
        "SIP/2.0/UDP [::g]", "SIP/2.0/UDP 2001:db8::1", "SIP/2.0/UDP 192.0.2.256",
        "SIP/2.0/UDP host:5060 x", "SIP/2.0/UDP [::1]x", "SIP/2.0/UDP ;branch=x",
        "SIP/2.0/UDP <host>", "SIP/2.0/UDP host:5060:5061"})
    EXPECT_EQ(parse_via(bad, v), error_code::bad_via) << bad;
}

TEST(Via, NumberErrors) {
  via v;
  for (std::string_view bad :
       {"SIP/2.0/UDP host:70000", "SIP/2.0/UDP host:", "SIP/2.0/UDP host: ;branch=x",
        "SIP/2.0/UDP host:x", "SIP/2.0/UDP [::1]:65536", "SIP/2.0/UDP h;rport=65536",
        "SIP/2.0/UDP h;rport=12a", "SIP/2.0/UDP h;ttl=256", "SIP/2.0/UDP h;ttl=0255",
        "SIP/2.0/UDP h;ttl=abc", "SIP/2.0/UDP h;ttl=-1"})
    EXPECT_EQ(parse_via(bad, v), error_code::bad_number) << bad;
  EXPECT_EQ(parse_via("SIP/2.0/UDP h:65535;ttl=255;rport=65535", v), error_code::none);
}

TEST(Via, ParamErrors) {
  via v;
  for (std::string_view bad :
       {"SIP/2.0/UDP h;", "SIP/2.0/UDP h;;", "SIP/2.0/UDP h;=x", "SIP/2.0/UDP h;a=",
        "SIP/2.0/UDP h;branch=a b", "SIP/2.0/UDP h;branch", "SIP/2.0/UDP h;branch=\"x\"",
        "SIP/2.0/UDP h;branch=[x]", "SIP/2.0/UDP h;branch=a;branch=b", "SIP/2.0/UDP h;received",
        "SIP/2.0/UDP h;received=example.com", "SIP/2.0/UDP h;received=192.0.2",
        "SIP/2.0/UDP h;received=[192.0.2.1]", "SIP/2.0/UDP h;received=\"192.0.2.1\"",
        "SIP/2.0/UDP h;received=1.2.3.4;received=1.2.3.4", "SIP/2.0/UDP h;maddr",
        "SIP/2.0/UDP h;maddr=a_b", "SIP/2.0/UDP h;ttl", "SIP/2.0/UDP h;ttl=\"1\"",
        "SIP/2.0/UDP h;rport;rport", "SIP/2.0/UDP h;rport=\"1\"", "SIP/2.0/UDP h;a=<x>"})
    EXPECT_EQ(parse_via(bad, v), error_code::bad_param) << bad;
  EXPECT_EQ(parse_via("SIP/2.0/UDP h;x=\"abc", v), error_code::bad_quoting);
  EXPECT_EQ(parse_via("SIP/2.0/UDP h;x=\"a;b\";branch=z9hG4bKq", v), error_code::none);
  EXPECT_EQ(v.branch, "z9hG4bKq");
}

TEST(ViaList, WalksEveryElement) {
  const auto vs = all_vias("SIP/2.0/UDP a.example.com;branch=z9hG4bK1 ,SIP/2.0/TCP b:5060,"
                           "\r\n SIP/2.0/TLS [::1];branch=z9hG4bK3");
  ASSERT_EQ(vs.size(), 3u);
  EXPECT_EQ(vs[0].sent_by.host, "a.example.com");
  EXPECT_EQ(vs[1].transport, "TCP");
  EXPECT_EQ(vs[1].sent_by.port, 5060);
  EXPECT_EQ(vs[2].sent_by.kind, host_kind::ipv6);
  EXPECT_EQ(vs[2].branch, "z9hG4bK3");
}

TEST(ViaList, StopsWhenTheCallbackSaysSo) {
  int calls = 0;
  EXPECT_EQ(for_each_via("SIP/2.0/UDP a, SIP/2.0/UDP b, SIP/2.0/UDP c",
                         [&calls](const via&) { return ++calls < 2; }),
            error_code::none);
  EXPECT_EQ(calls, 2);
}

TEST(ViaList, Errors) {
  all_vias("", error_code::bad_via);
  all_vias("SIP/2.0/UDP a,,SIP/2.0/UDP b", error_code::bad_via);
  all_vias("SIP/2.0/UDP a,", error_code::bad_via);
  const auto partial = all_vias("SIP/2.0/UDP a, SIP/2.0/UDP b:99999", error_code::bad_number);
  EXPECT_EQ(partial.size(), 1u) << "elements before the bad one were delivered";
}

// RFC 4475 §3.1.1.1 wsinv: LWS and folding everywhere, long and compact form.
TEST(ViaTorture, Wsinv) {
  const std::string& msg = testdata_file("rfc4475/wsinv.sip");
  auto vs = all_vias(header_value(msg, "Via"));
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_EQ(vs[0].protocol_name, "SIP");
  EXPECT_EQ(vs[0].protocol_version, "2.0");
  EXPECT_EQ(vs[0].transport, "UDP");
  EXPECT_EQ(vs[0].sent_by.host, "192.0.2.2");
  EXPECT_EQ(vs[0].branch, "390skdjuw");

  vs = all_vias(header_value(msg, "v"));  // compact form
  ASSERT_EQ(vs.size(), 2u);
  EXPECT_EQ(vs[0].transport, "TCP");
  EXPECT_EQ(vs[0].sent_by.host, "spindle.example.com");
  EXPECT_EQ(vs[0].branch, "z9hG4bK9ikj8");
  EXPECT_EQ(vs[1].transport, "UDP");
  EXPECT_EQ(vs[1].sent_by.host, "192.168.255.111");
  EXPECT_EQ(vs[1].branch, "z9hG4bK30239");
}

// RFC 4475 §3.1.1.10 transports: known and unknown transport tokens.
TEST(ViaTorture, Transports) {
  const std::string& msg = testdata_file("rfc4475/transports.sip");
  const char* expected[] = {"UDP", "SCTP", "TLS", "UNKNOWN", "TCP"};
  for (int i = 0; i < 5; ++i) {
    const auto vs = all_vias(header_value(msg, "Via", i));
    ASSERT_EQ(vs.size(), 1u);
    EXPECT_EQ(vs[0].transport, expected[i]);
    EXPECT_EQ(vs[0].sent_by.host, "t" + std::to_string(i + 1) + ".example.com");
  }
}

// RFC 4475 §3.1.2.1 badinv01: extra ';' and ',' in Via.
TEST(ViaTorture, Badinv01) {
  all_vias(header_value(testdata_file("rfc4475/badinv01.sip"), "Via"), error_code::bad_param);
  EXPECT_EQ(for_each_via("SIP/2.0/UDP 192.0.2.15,,", [](const via&) {}), error_code::bad_via);
}

// RFC 4475 §3.2.1 badbranch, §3.3.10 bcast, §3.3.4 unksm2, §3.1.1.5 esc02: syntactically fine.
TEST(ViaTorture, OddButValid) {
  auto vs = all_vias(header_value(testdata_file("rfc4475/badbranch.sip"), "Via"));
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_EQ(vs[0].branch, "z9hG4bK");
  vs = all_vias(header_value(testdata_file("rfc4475/bcast.sip"), "Via", 1));
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_EQ(vs[0].sent_by.host, "255.255.255.255");
  vs = all_vias(header_value(testdata_file("rfc4475/unksm2.sip"), "Via"));
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_EQ(vs[0].sent_by.port, 5060);
  vs = all_vias(header_value(testdata_file("rfc4475/esc02.sip"), "Via"));
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_EQ(vs[0].branch, "z9hG4bK209%fzsnel234") << "'%' is a token char, not an escape";
}

// RFC 5118 §4.5, §4.7, §4.9: IPv6 sent-by and received.
TEST(ViaTorture, Rfc5118) {
  auto vs = all_vias(header_value(testdata_file("rfc5118/via-received-param-with-delim.sip"), "Via"));
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_EQ(vs[0].sent_by.host, "[2001:db8::9:1]");
  EXPECT_EQ(vs[0].received, "[2001:db8::9:255]");
  vs = all_vias(header_value(testdata_file("rfc5118/via-received-param-no-delim.sip"), "Via"));
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_EQ(vs[0].received, "2001:db8::9:255");
  EXPECT_EQ(vs[0].branch, "z9hG4bKas3");

  const std::string& mult = testdata_file("rfc5118/mult-ip-in-header.sip");
  vs = all_vias(header_value(mult, "Via", 0));
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_EQ(vs[0].sent_by.host, "[2001:db8::9:1]");
  EXPECT_EQ(vs[0].sent_by.port, 6050);
  vs = all_vias(header_value(mult, "Via", 1));
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_EQ(vs[0].sent_by.kind, host_kind::ipv4);
  vs = all_vias(header_value(mult, "Via", 2));
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_EQ(vs[0].transport, "TCP");
  EXPECT_EQ(vs[0].sent_by.host, "[2001:db8::9:255]");
  EXPECT_FALSE(vs[0].sent_by.has_port);
  EXPECT_EQ(vs[0].received, "192.0.2.200");

  const std::string& mapped = testdata_file("rfc5118/ipv4-mapped-ipv6.sip");
  vs = all_vias(header_value(mapped, "Via", 0));
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_EQ(vs[0].sent_by.host, "[::ffff:192.0.2.10]");
  EXPECT_EQ(vs[0].sent_by.port, 19823);
  vs = all_vias(header_value(mapped, "Via", 1));
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_EQ(vs[0].sent_by.host, "[::ffff:192.0.2.2]");
}

}  // namespace
}  // namespace sipring::parser
