#include "sipring/parser/host.h"

#include <gtest/gtest.h>

namespace sipring::parser {
namespace {

host_kind kind_of(std::string_view text) {
  host_kind k{};
  EXPECT_EQ(parse_host(text, k), error_code::none) << text;
  return k;
}

TEST(Host, Hostnames) {
  for (std::string_view h : {"example.com", "a", "EXAMPLE.com.", "host-of-the-hour.example.com",
                             "chair-dnrc.example.com", "x1.y-2.z3", "t4.example.com", "a.b-c"})
    EXPECT_EQ(kind_of(h), host_kind::hostname) << h;
}

TEST(Host, BadHostnames) {
  host_kind k{};
  for (std::string_view h : {"", ".", "example..com", ".example.com", "-a.com", "a-.com",
                             "a.1com", "2001", "under_score.com", "a b", "exa%6Dple.com",
                             "a.com..", "192.0.2.256", "1.2.3", "1.2.3.4.5", "host:5060", "é.com"})
    EXPECT_EQ(parse_host(h, k), error_code::bad_uri) << h;
}

TEST(Host, Ipv4) {
  std::array<std::uint8_t, 4> a{};
  EXPECT_TRUE(parse_ipv4_address("192.0.2.1", a));
  EXPECT_EQ(a, (std::array<std::uint8_t, 4>{192, 0, 2, 1}));
  EXPECT_TRUE(parse_ipv4_address("255.255.255.255", a));
  EXPECT_TRUE(parse_ipv4_address("000.01.2.003", a));
  EXPECT_EQ(a, (std::array<std::uint8_t, 4>{0, 1, 2, 3}));
  for (std::string_view bad : {"256.0.0.1", "1.2.3.", ".1.2.3", "1..2.3", "1.2.3.4.", "1.2.3.0004",
                               "1.2.3.4 ", "a.b.c.d", "", "1.2.3.999"})
    EXPECT_FALSE(parse_ipv4_address(bad, a)) << bad;
  EXPECT_EQ(kind_of("255.255.255.255"), host_kind::ipv4);
}

TEST(Host, Ipv6Forms) {
  std::array<std::uint8_t, 16> a{};
  ASSERT_TRUE(parse_ipv6_address("2001:db8::10", a));
  EXPECT_EQ(a, (std::array<std::uint8_t, 16>{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10}));
  ASSERT_TRUE(parse_ipv6_address("::ffff:192.0.2.10", a));
  EXPECT_EQ(a, (std::array<std::uint8_t, 16>{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 10}));
  for (std::string_view good :
       {"::", "::1", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1::8",
        "2001:DB8:0:0:8:800:200C:417A", "1:2:3:4:5:6:1.2.3.4", "::1.2.3.4", "1::5:6:1.2.3.4",
        "2001:db8::10:5070", "2001:db8::192.0.2.1", "ffff:FFFF::0000"})
    EXPECT_TRUE(parse_ipv6_address(good, a)) << good;
  for (std::string_view bad :
       {"", ":", ":::", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8",
        "1::2::3", "1:::2", ":1::", "1::2:", "12345::", "g::", "1:2:3:4:5:6:7:1.2.3.4",
        "1:2:3:4:5:6::1.2.3.4", "::1.2.3.4:5", "::1.2.3", "::256.1.1.1", "2001:db8:::192.0.2.1",
        "[::1]", "::1 ", "1:2:3:4:5:6:7:8 "})
    EXPECT_FALSE(parse_ipv6_address(bad, a)) << bad;
}

TEST(Host, Ipv6References) {
  EXPECT_EQ(kind_of("[2001:db8::10]"), host_kind::ipv6);
  EXPECT_EQ(kind_of("[::ffff:192.0.2.2]"), host_kind::ipv6);
  host_kind k{};
  for (std::string_view bad : {"[", "[]", "[::1", "::1]", "[2001:db8:::192.0.2.1]", "2001:db8::10",
                               "[::1]]", "[[::1]]"})
    EXPECT_EQ(parse_host(bad, k), error_code::bad_uri) << bad;
}

TEST(Host, HostPort) {
  host_port hp;
  ASSERT_EQ(parse_host_port("example.com", hp), error_code::none);
  EXPECT_EQ(hp.host, "example.com");
  EXPECT_FALSE(hp.has_port);
  ASSERT_EQ(parse_host_port("192.0.2.1:5060", hp), error_code::none);
  EXPECT_EQ(hp.host, "192.0.2.1");
  EXPECT_EQ(hp.kind, host_kind::ipv4);
  EXPECT_TRUE(hp.has_port);
  EXPECT_EQ(hp.port, 5060);
  ASSERT_EQ(parse_host_port("[2001:db8::10]:5070", hp), error_code::none);
  EXPECT_EQ(hp.host, "[2001:db8::10]");
  EXPECT_EQ(hp.kind, host_kind::ipv6);
  EXPECT_EQ(hp.port, 5070);
  ASSERT_EQ(parse_host_port("[2001:db8::10:5070]", hp), error_code::none);  // RFC 5118 §4.3
  EXPECT_EQ(hp.host, "[2001:db8::10:5070]");
  EXPECT_FALSE(hp.has_port);
  ASSERT_EQ(parse_host_port("h:0", hp), error_code::none);
  EXPECT_EQ(hp.port, 0);
  ASSERT_EQ(parse_host_port("h:65535", hp), error_code::none);
  EXPECT_EQ(hp.port, 65535);
  ASSERT_EQ(parse_host_port("h:005060", hp), error_code::none);
  EXPECT_EQ(hp.port, 5060);
}

TEST(Host, HostPortErrors) {
  host_port hp;
  hp.port = 7;
  EXPECT_EQ(parse_host_port("h:65536", hp), error_code::bad_number);
  EXPECT_EQ(parse_host_port("h:99999999999999999999", hp), error_code::bad_number);
  EXPECT_EQ(parse_host_port("h:", hp), error_code::bad_number);
  EXPECT_EQ(parse_host_port("h:50a", hp), error_code::bad_number);
  EXPECT_EQ(parse_host_port("h:-1", hp), error_code::bad_number);
  EXPECT_EQ(parse_host_port("[::1]:", hp), error_code::bad_number);
  EXPECT_EQ(hp.port, 7) << "output untouched on error";
  EXPECT_EQ(parse_host_port("", hp), error_code::bad_uri);
  EXPECT_EQ(parse_host_port("2001:db8::10", hp), error_code::bad_uri);  // RFC 5118 §4.2
  EXPECT_EQ(parse_host_port(":5060", hp), error_code::bad_uri);
  EXPECT_EQ(parse_host_port("[::1]5060", hp), error_code::bad_uri);
  EXPECT_EQ(parse_host_port("[::1", hp), error_code::bad_uri);
  EXPECT_EQ(parse_host_port("a_b:5060", hp), error_code::bad_uri);
}

TEST(Host, PortAlone) {
  std::uint16_t p = 0;
  EXPECT_EQ(parse_port("5061", p), error_code::none);
  EXPECT_EQ(p, 5061);
  EXPECT_EQ(parse_port("", p), error_code::bad_number);
  EXPECT_EQ(parse_port(" 1", p), error_code::bad_number);
  EXPECT_EQ(parse_port("70000", p), error_code::bad_number);
}

TEST(Host, Equality) {
  EXPECT_TRUE(host_equal("AtLanTa.CoM", "atlanta.com"));
  EXPECT_FALSE(host_equal("atlanta.com", "atlanta.org"));
  EXPECT_TRUE(host_equal("[::1]", "[0:0::1]"));
  EXPECT_TRUE(host_equal("[::1]", "[0:0:0:0:0:0:0:1]"));
  EXPECT_TRUE(host_equal("[2001:DB8::a]", "[2001:db8:0::A]"));
  EXPECT_TRUE(host_equal("[::ffff:192.0.2.10]", "[::ffff:c000:20a]"));
  EXPECT_FALSE(host_equal("[::1]", "[::2]"));
  EXPECT_TRUE(host_equal("192.0.2.4", "192.000.002.004"));
  EXPECT_FALSE(host_equal("192.0.2.4", "192.0.2.5"));
  EXPECT_FALSE(host_equal("phone21.boxesbybob.com", "192.0.2.4"));
  EXPECT_FALSE(host_equal("[::ffff:192.0.2.4]", "192.0.2.4"));
  EXPECT_TRUE(host_equal("Not_A_Host", "not_a_host"));  // unparsable: compared as text
}

}  // namespace
}  // namespace sipring::parser
