#include "sipring/parser/name_addr.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sipring/parser/header_params.h"
#include "sipring/parser/header_values.h"
#include "corpus.h"

namespace sipring::parser {
namespace {

using testing::header_value;
using testing::testdata_file;

name_addr parse_ok(std::string_view element) {
  name_addr na;
  EXPECT_EQ(parse_name_addr(element, na), error_code::none) << element;
  return na;
}

error_code parse_err(std::string_view element) {
  name_addr na;
  return parse_name_addr(element, na);
}

TEST(NameAddr, QuotedDisplayNameAngleUriAndTag) {
  const auto na = parse_ok("\"Alice Liddell\" <sip:alice@atlanta.example.com>;tag=1928301774");
  EXPECT_EQ(na.display_name, "Alice Liddell");
  EXPECT_TRUE(na.display_quoted);
  EXPECT_EQ(na.uri, "sip:alice@atlanta.example.com");
  EXPECT_TRUE(na.angle_brackets);
  EXPECT_EQ(na.params, ";tag=1928301774");
  EXPECT_EQ(na.tag, "1928301774");
  EXPECT_TRUE(na.expires.empty());
  EXPECT_TRUE(na.q.empty());
}

TEST(NameAddr, TokenDisplayName) {
  auto na = parse_ok("Bob  Smith\t<sips:bob@biloxi.example.com>");
  EXPECT_EQ(na.display_name, "Bob  Smith");
  EXPECT_FALSE(na.display_quoted);
  EXPECT_EQ(na.uri, "sips:bob@biloxi.example.com");
  EXPECT_TRUE(na.params.empty());
  na = parse_ok("Anonymous <sip:c8oqz84zk7z@privacy.org>;tag=hyh8");
  EXPECT_EQ(na.display_name, "Anonymous");
  EXPECT_EQ(na.tag, "hyh8");
}

TEST(NameAddr, AngleBracketsWithoutDisplayName) {
  const auto na = parse_ok("<sip:carol@chicago.example.com>");
  EXPECT_TRUE(na.display_name.empty());
  EXPECT_FALSE(na.display_quoted);
  EXPECT_TRUE(na.angle_brackets);
  EXPECT_EQ(na.uri, "sip:carol@chicago.example.com");
}

TEST(NameAddr, EmptyQuotedDisplayName) {
  const auto na = parse_ok("\"\" <sip:x@example.com>");
  EXPECT_TRUE(na.display_name.empty());
  EXPECT_TRUE(na.display_quoted);
}

TEST(NameAddr, BareAddrSpecParamsAreHeaderParams) {
  // RFC 3261 §20.10: without <>, every ';' after the URI starts a header parameter.
  const auto na = parse_ok("sip:+12125551212@server.phone2net.com;tag=887s;expires=60");
  EXPECT_FALSE(na.angle_brackets);
  EXPECT_EQ(na.uri, "sip:+12125551212@server.phone2net.com");
  EXPECT_EQ(na.params, ";tag=887s;expires=60");
  EXPECT_EQ(na.tag, "887s");
  EXPECT_EQ(na.expires, "60");
}

TEST(NameAddr, UriParamsInsideBracketsStayInUri) {
  const auto na = parse_ok("<sip:p1.example.com;lr>;foo=bar");
  EXPECT_EQ(na.uri, "sip:p1.example.com;lr");
  EXPECT_EQ(na.params, ";foo=bar");
  EXPECT_TRUE(na.tag.empty());
}

TEST(NameAddr, ContactWithQExpiresAndOtherParams) {
  const auto na = parse_ok("<sip:bob@192.0.2.4>;q=0.7; expires=3600 ;+sip.instance=\"<urn:uuid:0001>\"");
  EXPECT_EQ(na.q, "0.7");
  EXPECT_EQ(na.expires, "3600");
  EXPECT_EQ(na.params, ";q=0.7; expires=3600 ;+sip.instance=\"<urn:uuid:0001>\"");
  header_param_reader r(na.params);
  header_param p;
  std::vector<std::string> names;
  while (r.next(p)) names.emplace_back(p.name);
  EXPECT_EQ(r.error(), error_code::none);
  EXPECT_EQ(names, (std::vector<std::string>{"q", "expires", "+sip.instance"}));
}

TEST(NameAddr, ParamNamesAreCaseInsensitive) {
  const auto na = parse_ok("<sip:a@b.example>;TAG=x1;Q=1;EXPIRES=0");
  EXPECT_EQ(na.tag, "x1");
  EXPECT_EQ(na.q, "1");
  EXPECT_EQ(na.expires, "0");
}

TEST(NameAddr, FoldedValues) {
  // A CRLF followed by white space inside a value is LWS.
  auto na = parse_ok("\"A\r\n B\"\r\n <sip:a@example.com>\r\n ;tag\r\n\t=\r\n 77");
  EXPECT_EQ(na.display_name, "A\r\n B");
  EXPECT_EQ(na.uri, "sip:a@example.com");
  EXPECT_EQ(na.tag, "77");
  na = parse_ok("Joe\r\n Bloggs\r\n <sip:joe@example.com>");
  EXPECT_EQ(na.display_name, "Joe\r\n Bloggs");
}

TEST(NameAddr, Ipv6UrisInBrackets) {
  auto na = parse_ok("<sip:[2001:db8::10]:5070;transport=tcp>;q=0.5");
  EXPECT_EQ(na.uri, "sip:[2001:db8::10]:5070;transport=tcp");
  EXPECT_EQ(na.q, "0.5");
  na = parse_ok("\"IPv6\" <sips:user@[2001:db8::9:1]>;tag=abc");
  EXPECT_EQ(na.uri, "sips:user@[2001:db8::9:1]");
  na = parse_ok("sip:[2001:db8::10];tag=v6");
  EXPECT_EQ(na.uri, "sip:[2001:db8::10]");
  EXPECT_EQ(na.tag, "v6");
}

TEST(NameAddr, CompactFormAndListElements) {
  // m: / t: / f: carry the same values; a list value is split first.
  const std::string_view m = "\"A, B\" <sip:a@example.com;x=1,2>;q=0.1 , <sip:b@example.com>;q=1.0,sip:c@example.com";
  list_splitter split(m);
  std::string_view element;
  std::vector<name_addr> got;
  while (split.next(element)) got.push_back(parse_ok(element));
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].display_name, "A, B");
  EXPECT_EQ(got[0].uri, "sip:a@example.com;x=1,2");
  EXPECT_EQ(got[1].q, "1.0");
  EXPECT_EQ(got[2].uri, "sip:c@example.com");
}

TEST(NameAddr, OtherUriSchemes) {
  EXPECT_EQ(parse_ok("<tel:+1-201-555-0123>").uri, "tel:+1-201-555-0123");
  EXPECT_EQ(parse_ok("<urn:service:sos>").uri, "urn:service:sos");
  EXPECT_EQ(parse_ok("mailto:a@example.com").uri, "mailto:a@example.com");
  EXPECT_EQ(parse_ok("<x-my.scheme+1:abc>").uri, "x-my.scheme+1:abc");
}

TEST(NameAddr, StructureErrors) {
  EXPECT_EQ(parse_err(""), error_code::bad_name_addr);
  EXPECT_EQ(parse_err("  \r\n "), error_code::bad_name_addr);
  EXPECT_EQ(parse_err("<sip:a@example.com"), error_code::bad_name_addr);
  EXPECT_EQ(parse_err("\"Joe\" <sip:a@example.com"), error_code::bad_name_addr);
  EXPECT_EQ(parse_err("\"Joe\" sip:a@example.com"), error_code::bad_name_addr);
  EXPECT_EQ(parse_err("\"Joe\""), error_code::bad_name_addr);
  EXPECT_EQ(parse_err("<sip:a@example.com> junk"), error_code::bad_name_addr);
  EXPECT_EQ(parse_err("<sip:a@example.com>>"), error_code::bad_name_addr);
  EXPECT_EQ(parse_err("<sip:a<b@example.com>"), error_code::bad_name_addr);
  EXPECT_EQ(parse_err("sip:a@example.com?Subject=x"), error_code::bad_name_addr);
  EXPECT_EQ(parse_err("sip:a@example.com,sip:b@example.com"), error_code::bad_name_addr);
  EXPECT_EQ(parse_err("sip:a@example.com>"), error_code::bad_name_addr);
  EXPECT_EQ(parse_err("J\"oe <sip:a@example.com>"), error_code::bad_name_addr);
}

TEST(NameAddr, UriErrors) {
  EXPECT_EQ(parse_err("<>"), error_code::bad_uri);
  EXPECT_EQ(parse_err("\"x\" <>;tag=1"), error_code::bad_uri);
  EXPECT_EQ(parse_err("<a@example.com>"), error_code::bad_uri);
  EXPECT_EQ(parse_err("<:a@example.com>"), error_code::bad_uri);
  EXPECT_EQ(parse_err("<1sip:a@example.com>"), error_code::bad_uri);
  EXPECT_EQ(parse_err("<s_p:a@example.com>"), error_code::bad_uri);
  EXPECT_EQ(parse_err("<sip:a@exa mple.com>"), error_code::bad_uri);
  EXPECT_EQ(parse_err("<sip:a@example.com\r\n >"), error_code::bad_uri);
  EXPECT_EQ(parse_err(std::string_view("<sip:a\0b@example.com>", 22)), error_code::bad_uri);
  EXPECT_EQ(parse_err("<sip:a\x7f@example.com>"), error_code::bad_uri);
  EXPECT_EQ(parse_err("sip:a@exa mple.com;tag=1"), error_code::bad_uri);
  EXPECT_EQ(parse_err("example.com"), error_code::bad_uri);
  EXPECT_EQ(parse_err(";tag=1"), error_code::bad_uri);
  EXPECT_EQ(parse_err("Joe sip:a@example.com"), error_code::bad_uri);
}

TEST(NameAddr, QuotingErrors) {
  EXPECT_EQ(parse_err("\"Joe <sip:a@example.com>"), error_code::bad_quoting);
  EXPECT_EQ(parse_err("\"Joe\\\" <sip:a@example.com>"), error_code::bad_quoting);
  EXPECT_EQ(parse_err("\"Jo\x01\" <sip:a@example.com>"), error_code::bad_quoting);
  EXPECT_EQ(parse_err("<sip:a@example.com>;x=\"open"), error_code::bad_quoting);
}

TEST(NameAddr, ParamErrors) {
  EXPECT_EQ(parse_err("<sip:a@example.com>;"), error_code::bad_param);
  EXPECT_EQ(parse_err("<sip:a@example.com>;;tag=1"), error_code::bad_param);
  EXPECT_EQ(parse_err("<sip:a@example.com>;tag=1 x"), error_code::bad_param);
  EXPECT_EQ(parse_err("<sip:a@example.com>;tag"), error_code::bad_param);
  EXPECT_EQ(parse_err("<sip:a@example.com>;tag=\"1\""), error_code::bad_param);
  EXPECT_EQ(parse_err("<sip:a@example.com>;tag=[::1]"), error_code::bad_param);
  EXPECT_EQ(parse_err("<sip:a@example.com>;tag=1;tag=2"), error_code::bad_param);
  EXPECT_EQ(parse_err("sip:a@example.com;tag=1;Tag=1"), error_code::bad_param);
  EXPECT_EQ(parse_err("sip:a;b@example.com"), error_code::bad_param);
}

TEST(NameAddr, QValues) {
  for (std::string_view ok : {"0", "1", "0.", "1.", "0.5", "0.33", "0.001", "0.999", "1.0", "1.000"})
    EXPECT_EQ(parse_ok("<sip:a@example.com>;q=" + std::string(ok)).q, ok);
  for (std::string_view bad : {"2", "1.5", "1.001", ".5", "0.1234", "-0", "0,5", "01", "0.5a", "\"0.5\""})
    EXPECT_EQ(parse_err("<sip:a@example.com>;q=" + std::string(bad)), error_code::bad_param) << bad;
  EXPECT_EQ(parse_err("<sip:a@example.com>;q"), error_code::bad_param);
  std::uint16_t t = 0;
  EXPECT_TRUE(parse_qvalue("0.33", t));
  EXPECT_EQ(t, 330);
  EXPECT_TRUE(parse_qvalue("0.007", t));
  EXPECT_EQ(t, 7);
  EXPECT_TRUE(parse_qvalue("1.", t));
  EXPECT_EQ(t, 1000);
  EXPECT_TRUE(parse_qvalue("0", t));
  EXPECT_EQ(t, 0);
  EXPECT_FALSE(parse_qvalue("", t));
}

TEST(NameAddr, Expires) {
  EXPECT_EQ(parse_ok("<sip:a@example.com>;expires=4294967295").expires, "4294967295");
  EXPECT_EQ(parse_ok("<sip:a@example.com>;expires=00000000000000000007").expires, "00000000000000000007");
  EXPECT_EQ(parse_err("<sip:a@example.com>;expires=4294967296"), error_code::bad_number);
  EXPECT_EQ(parse_err("<sip:a@example.com>;expires=-1"), error_code::bad_param);
  EXPECT_EQ(parse_err("<sip:a@example.com>;expires=1h"), error_code::bad_param);
  EXPECT_EQ(parse_err("<sip:a@example.com>;expires"), error_code::bad_param);
  EXPECT_EQ(parse_err("<sip:a@example.com>;expires=\"60\""), error_code::bad_param);
  std::uint32_t s = 0;
  EXPECT_TRUE(parse_delta_seconds("3600", s));
  EXPECT_EQ(s, 3600u);
  EXPECT_FALSE(parse_delta_seconds("", s));
  EXPECT_FALSE(parse_delta_seconds("99999999999", s));
}

TEST(NameAddr, ContactStar) {
  EXPECT_TRUE(is_contact_star("*"));
  EXPECT_TRUE(is_contact_star("  *\t"));
  EXPECT_TRUE(is_contact_star("\r\n *"));
  EXPECT_FALSE(is_contact_star(""));
  EXPECT_FALSE(is_contact_star("**"));
  EXPECT_FALSE(is_contact_star("* ;expires=0"));
  EXPECT_FALSE(is_contact_star("<sip:*@example.com>"));
  EXPECT_EQ(parse_err("*"), error_code::bad_uri);
}

TEST(NameAddr, OutIsResetOnEachCall) {
  name_addr na;
  ASSERT_EQ(parse_name_addr("\"x\" <sip:a@b.example>;tag=1;q=1;expires=5", na), error_code::none);
  ASSERT_EQ(parse_name_addr("sip:c@d.example", na), error_code::none);
  EXPECT_TRUE(na.display_name.empty());
  EXPECT_FALSE(na.display_quoted);
  EXPECT_FALSE(na.angle_brackets);
  EXPECT_TRUE(na.tag.empty() && na.q.empty() && na.expires.empty() && na.params.empty());
}

// ---- RFC 4475 torture messages -------------------------------------------------------------

TEST(NameAddrTorture, WsinvValuesWithFoldingAndEscapes) {
  auto na = parse_ok(header_value(testdata_file("rfc4475/wsinv.sip"), "To"));
  EXPECT_EQ(na.uri, "sip:vivekg@chair-dnrc.example.com");
  EXPECT_FALSE(na.angle_brackets);
  EXPECT_EQ(na.tag, "1918181833n");

  na = parse_ok(header_value(testdata_file("rfc4475/wsinv.sip"), "from"));
  EXPECT_EQ(na.display_name, "J Rosenberg \\\\\\\"");  // J Rosenberg \\\" with escapes in place
  EXPECT_TRUE(na.display_quoted);
  EXPECT_EQ(na.uri, "sip:jdrosen@example.com");
  EXPECT_EQ(na.tag, "98asjd8");

  na = parse_ok(header_value(testdata_file("rfc4475/wsinv.sip"), "m"));
  EXPECT_EQ(na.display_name, "Quoted string \\\"\\\"");
  EXPECT_EQ(na.q, "0.33");
  header_param_reader r(na.params);
  header_param p;
  ASSERT_TRUE(r.next(p));
  EXPECT_EQ(p.name, "newparam");
  EXPECT_EQ(p.value, "newvalue");
  ASSERT_TRUE(r.next(p));
  EXPECT_EQ(p.name, "secondparam");
  EXPECT_FALSE(p.has_value);

  na = parse_ok(header_value(testdata_file("rfc4475/wsinv.sip"), "Route"));
  EXPECT_EQ(na.uri, "sip:services.example.com;lr;unknownwith=value;unknown-no-value");
  EXPECT_TRUE(na.params.empty());
}

TEST(NameAddrTorture, IntmethUnusualCharacters) {
  auto na = parse_ok(header_value(testdata_file("rfc4475/intmeth.sip"), "To"));
  EXPECT_EQ(na.display_name, std::string_view("BEL:\\\x07 NUL:\\\0 DEL:\\\x7f", 20));
  EXPECT_EQ(na.uri, "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com");
  na = parse_ok(header_value(testdata_file("rfc4475/intmeth.sip"), "From"));
  EXPECT_EQ(na.display_name, "token1~` token2'+_ token3*%!.-");
  EXPECT_FALSE(na.display_quoted);
  EXPECT_EQ(na.tag, "_token~1'+`*%!-.");
}

TEST(NameAddrTorture, ValidMessages) {
  EXPECT_EQ(parse_ok(header_value(testdata_file("rfc4475/esc02.sip"), "From")).display_name, "%Z%45");
  // lwsdisp: no LWS between a token display name and '<'.
  auto na = parse_ok(header_value(testdata_file("rfc4475/lwsdisp.sip"), "From"));
  EXPECT_EQ(na.display_name, "caller");
  EXPECT_EQ(na.uri, "sip:caller@example.com");
  EXPECT_EQ(na.tag, "323");
  // longreq: long display name, long URI params, long tag; compact F.
  na = parse_ok(header_value(testdata_file("rfc4475/longreq.sip"), "To"));
  EXPECT_TRUE(na.display_quoted);
  EXPECT_EQ(na.uri.substr(0, 31), "sip:user@example.com:6000;unkno");
  EXPECT_GT(na.uri.size(), 300u);
  EXPECT_TRUE(na.params.empty());
  na = parse_ok(header_value(testdata_file("rfc4475/longreq.sip"), "F"));
  EXPECT_GT(na.tag.size(), 100u);
  // cparam01: bare URI, so unknownparam is a header param; cparam02: inside <> it is a URI param.
  na = parse_ok(header_value(testdata_file("rfc4475/cparam01.sip"), "Contact"));
  EXPECT_EQ(na.uri, "sip:+19725552222@gw1.example.net");
  EXPECT_EQ(na.params, ";unknownparam");
  na = parse_ok(header_value(testdata_file("rfc4475/cparam02.sip"), "Contact"));
  EXPECT_EQ(na.uri, "sip:+19725552222@gw1.example.net;unknownparam");
  EXPECT_TRUE(na.params.empty());
  // regescrt: escaped headers inside <> are fine (compact M).
  EXPECT_EQ(parse_ok(header_value(testdata_file("rfc4475/regescrt.sip"), "M")).uri, "sip:user@example.com?Route=%3Csip:sip.example.com%3E");
  // escnull: %00 in URIs.
  EXPECT_EQ(parse_ok(header_value(testdata_file("rfc4475/escnull.sip"), "Contact", 1)).uri, "sip:%00%00@host5.example.com");
  // unksm2: unknown schemes everywhere.
  EXPECT_EQ(parse_ok(header_value(testdata_file("rfc4475/unksm2.sip"), "To")).uri, "isbn:2983792873");
  EXPECT_EQ(parse_ok(header_value(testdata_file("rfc4475/unksm2.sip"), "From")).uri, "http://www.example.com");
  EXPECT_EQ(parse_ok(header_value(testdata_file("rfc4475/unksm2.sip"), "Contact")).uri, "name:John_Smith");
  // inv2543: Record-Route and a bare URI with user=phone as a header param.
  EXPECT_EQ(parse_ok(header_value(testdata_file("rfc4475/inv2543.sip"), "Record-Route")).uri, "sip:UserB@example.com;maddr=ss1.example.com");
  EXPECT_EQ(parse_ok(header_value(testdata_file("rfc4475/inv2543.sip"), "To")).params, ";user=phone");
  // mismatch01 is invalid for its CSeq, not for its addresses.
  EXPECT_EQ(parse_ok(header_value(testdata_file("rfc4475/mismatch01.sip"), "From")).tag, "34525");
}

TEST(NameAddrTorture, InvalidMessages) {
  // quotbal: unterminated quote in the To display name.
  EXPECT_EQ(parse_err(header_value(testdata_file("rfc4475/quotbal.sip"), "To")), error_code::bad_quoting);
  // regbadct: a bare addr-spec holding '?' (escaped header) must be enclosed in <>.
  EXPECT_EQ(parse_err(header_value(testdata_file("rfc4475/regbadct.sip"), "Contact")), error_code::bad_name_addr);
  // badaspec: spaces inside <> around the addr-spec.
  EXPECT_EQ(parse_err(header_value(testdata_file("rfc4475/badaspec.sip"), "To")), error_code::bad_uri);
  // baddn: unquoted display names with ','; From is single-valued so the whole value is parsed.
  EXPECT_EQ(parse_err(header_value(testdata_file("rfc4475/baddn.sip"), "From")), error_code::bad_name_addr);
  EXPECT_EQ(parse_err(header_value(testdata_file("rfc4475/baddn.sip"), "To")), error_code::bad_name_addr);
  // badinv01: extra ';' after the Contact.
  EXPECT_EQ(parse_err(header_value(testdata_file("rfc4475/badinv01.sip"), "Contact")), error_code::bad_param);
  // scalar02: Contact expires above 2^32-1.
  EXPECT_EQ(parse_err(header_value(testdata_file("rfc4475/scalar02.sip"), "Contact")), error_code::bad_number);
}


// parse_name_addr_uri must give what parse_name_addr then parse_uri give: every field and
// error (on error `u` is unspecified).
void expect_same_as_two_calls(std::string_view element, simd_level level) {
  SCOPED_TRACE(std::string(element) + " with " + std::string(to_string(level)));
  name_addr na1, na2;
  uri u1, u2;
  error_code e1 = parse_name_addr(element, na1);
  if (e1 == error_code::none) e1 = parse_uri_with(simd_level::scalar, na1.uri, u1);
  const error_code e2 = parse_name_addr_uri_with(level, element, na2, u2);
  ASSERT_EQ(e1, e2);
  auto same = [](std::string_view a, std::string_view b) {
    return a.data() == b.data() && a.size() == b.size();
  };
  EXPECT_TRUE(same(na1.display_name, na2.display_name));
  EXPECT_EQ(na1.display_quoted, na2.display_quoted);
  EXPECT_TRUE(same(na1.uri, na2.uri));
  EXPECT_EQ(na1.angle_brackets, na2.angle_brackets);
  EXPECT_TRUE(same(na1.params, na2.params));
  EXPECT_TRUE(same(na1.tag, na2.tag));
  EXPECT_TRUE(same(na1.expires, na2.expires));
  EXPECT_TRUE(same(na1.q, na2.q));
  if (e1 != error_code::none) return;  // `u` is unspecified on error
  EXPECT_EQ(u1.scheme, u2.scheme);
  EXPECT_TRUE(same(u1.scheme_text, u2.scheme_text));
  EXPECT_TRUE(same(u1.user, u2.user));
  EXPECT_TRUE(same(u1.password, u2.password));
  EXPECT_EQ(u1.has_password, u2.has_password);
  EXPECT_TRUE(same(u1.host, u2.host));
  EXPECT_EQ(u1.host_type, u2.host_type);
  EXPECT_EQ(u1.port, u2.port);
  EXPECT_EQ(u1.has_port, u2.has_port);
  EXPECT_TRUE(same(u1.params, u2.params));
  EXPECT_TRUE(same(u1.headers, u2.headers));
  EXPECT_TRUE(same(u1.transport, u2.transport));
  EXPECT_TRUE(same(u1.user_param, u2.user_param));
  EXPECT_TRUE(same(u1.method, u2.method));
  EXPECT_TRUE(same(u1.ttl, u2.ttl));
  EXPECT_TRUE(same(u1.maddr, u2.maddr));
  EXPECT_EQ(u1.lr, u2.lr);
  EXPECT_TRUE(same(u1.opaque, u2.opaque));
}
void expect_same_as_two_calls(std::string_view element) {
  for (simd_level level : {simd_level::scalar, simd_level::avx2, simd_level::avx512})
    if (cpu_supports(level)) expect_same_as_two_calls(element, level);
}


TEST(ParseNameAddrUri, CommonFormsGiveTheUriInOnePass) {
  name_addr na;
  uri u;
  ASSERT_EQ(parse_name_addr_uri("\"Alice\" <sip:alice@atlanta.example.com>;tag=1928301774", na, u),
            error_code::none);
  EXPECT_EQ(na.display_name, "Alice");
  EXPECT_EQ(na.uri, "sip:alice@atlanta.example.com");
  EXPECT_EQ(na.tag, "1928301774");
  EXPECT_EQ(u.scheme, uri_scheme::sip);
  EXPECT_EQ(u.user, "alice");
  EXPECT_EQ(u.host, "atlanta.example.com");
  ASSERT_EQ(parse_name_addr_uri("<SIPS:ss2.biloxi.example.com:5061;lr;transport=tls>", na, u),
            error_code::none);
  EXPECT_EQ(u.scheme, uri_scheme::sips);
  EXPECT_EQ(u.port, 5061);
  EXPECT_TRUE(u.lr);
  EXPECT_EQ(u.transport, "tls");
  EXPECT_EQ(u.params, ";lr;transport=tls");
}

TEST(ParseNameAddrUri, ErrorsAreThoseOfTheTwoCalls) {
  name_addr na;
  uri u;
  EXPECT_EQ(parse_name_addr_uri("<sip:a@b.com;tag=x", na, u), error_code::bad_name_addr);
  EXPECT_EQ(parse_name_addr_uri("<sip:a@-b.com>", na, u), error_code::bad_uri);
  EXPECT_EQ(parse_name_addr_uri("<sip:a@b.com>;tag=\"x\"", na, u), error_code::bad_param);
  EXPECT_EQ(parse_name_addr_uri("<sip:a@b.com>;expires=99999999999", na, u), error_code::bad_number);
  EXPECT_EQ(parse_name_addr_uri("\"x <sip:a@b.com>", na, u), error_code::bad_quoting);
}

TEST(ParseNameAddrUri, SameAsTwoCallsOnHandwrittenAndMutatedInputs) {
  const std::vector<std::string> bases = {
      "<sip:ss2.biloxi.example.com;lr>",
      "\"Alice\" <sip:alice@atlanta.example.com>;tag=1928301774",
      "Bob <sip:bob@biloxi.example.com>",
      "<sip:alice@pc33.atlanta.example.com;transport=udp>;expires=60;q=0.5",
      "<sips:u:pw@192.0.2.4:5060;maddr=a.b;ttl=5;user=phone;method=INVITE>",
      "<sip:h:65535;lr=on>",
      "<sip:+1555@h.;LR;Transport=tcp>",
      "<sip:a@b?x=y>",
      "<sip:%61@b>",
      "<tel:+1-555>",
      "<sip:[::1]:5060>",
      "sip:a@b;tag=x",
      "  \"A B\"<sip:a@b> ; tag = x ",
      "A  B <sip:u:p@h:5;y>",
      "<sip:a@b>>",
      "<sip:h;a@b>",
      "<sip:a:b:c@d>",
  };
  const std::string alphabet = "<>\";:@.-=?%[] \t\r,a9";
  for (const std::string& base : bases) {
    expect_same_as_two_calls(base);
    for (std::size_t i = 0; i <= base.size(); ++i) {
      if (i < base.size()) expect_same_as_two_calls(base.substr(0, i) + base.substr(i + 1));
      if (i < base.size()) expect_same_as_two_calls(base.substr(0, i));
      for (char c : alphabet) {
        expect_same_as_two_calls(base.substr(0, i) + c + base.substr(i));
        if (i < base.size()) {
          std::string changed = base;
          changed[i] = c;
          expect_same_as_two_calls(changed);
        }
      }
    }
  }
}

TEST(ParseNameAddrUri, SameAsTwoCallsOnTheRfc4475AddressHeaders) {
  // Every From, To, Contact, Route and Record-Route element (long and compact names).
  const std::vector<std::string> names = {"From", "f", "To", "t", "Contact", "m", "Route",
                                          "Record-Route"};
  int elements = 0;
  for (const auto& m : testing::torture_corpus()) {
    if (m.set != "rfc4475") continue;
    for (const std::string& name : names) {
      for (int nth = 0;; ++nth) {
        const std::string_view value = header_value(m.bytes, name, nth);
        if (value.empty()) break;
        list_splitter split(value);
        std::string_view element;
        while (split.next(element)) {
          expect_same_as_two_calls(element);
          ++elements;
        }
      }
    }
  }
  EXPECT_GT(elements, 50);
}

}  // namespace
}  // namespace sipring::parser
