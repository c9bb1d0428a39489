#include "sipring/parser/uri.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "corpus.h"

namespace sipring::parser {
namespace {

using testing::testdata_file;

// The Request-URI: between the first SP and " SIP/2.0" on the first line.
std::string_view request_uri(const std::string& msg) {
  const auto sp = msg.find(' ');
  const auto end = msg.find(" SIP/2.0\r\n");
  return std::string_view(msg).substr(sp + 1, end - sp - 1);
}

// The URI in the n-th header named `name`: inside <...> when the value has brackets, else the
// whole value.
std::string_view header_uri(std::string_view msg, std::string_view name, int nth = 0) {
  const std::string_view v = testing::header_value(msg, name, nth);
  EXPECT_FALSE(v.empty()) << name;
  const auto lt = v.find('<');
  if (lt != std::string_view::npos) return v.substr(lt + 1, v.find('>', lt) - lt - 1);
  return v;
}

uri parse_ok(std::string_view text) {
  uri u;
  EXPECT_EQ(parse_uri(text, u), error_code::none) << text;
  return u;
}

std::string unescaped(std::string_view s) {
  std::string out(s.size(), '\0');
  out.resize(unescape(s, out.data()));
  return out;
}

bool equal(std::string_view a, std::string_view b) {
  uri x, y;
  EXPECT_EQ(parse_uri(a, x), error_code::none) << a;
  EXPECT_EQ(parse_uri(b, y), error_code::none) << b;
  const bool ab = uri_equal(x, y);
  EXPECT_EQ(ab, uri_equal(y, x)) << "not symmetric: " << a << " / " << b;
  return ab;
}

TEST(Uri, AllPartsOfASipUri) {
  const uri u = parse_ok("sip:alice:secret@atlanta.com:5061;transport=tcp;user=phone;method=INVITE"
                         ";ttl=15;maddr=239.255.255.1;lr;x=y?subject=project%20x&priority=urgent");
  EXPECT_EQ(u.scheme, uri_scheme::sip);
  EXPECT_EQ(u.scheme_text, "sip");
  EXPECT_EQ(u.user, "alice");
  EXPECT_TRUE(u.has_password);
  EXPECT_EQ(u.password, "secret");
  EXPECT_EQ(u.host, "atlanta.com");
  EXPECT_EQ(u.host_type, host_kind::hostname);
  EXPECT_TRUE(u.has_port);
  EXPECT_EQ(u.port, 5061);
  EXPECT_EQ(u.params, ";transport=tcp;user=phone;method=INVITE;ttl=15;maddr=239.255.255.1;lr;x=y");
  EXPECT_EQ(u.headers, "subject=project%20x&priority=urgent");
  EXPECT_EQ(u.transport, "tcp");
  EXPECT_EQ(u.user_param, "phone");
  EXPECT_EQ(u.method, "INVITE");
  EXPECT_EQ(u.ttl, "15");
  EXPECT_EQ(u.maddr, "239.255.255.1");
  EXPECT_TRUE(u.lr);
  EXPECT_TRUE(u.opaque.empty());
}

TEST(Uri, MinimalAndOptionalParts) {
  uri u = parse_ok("SIPS:Example.COM");
  EXPECT_EQ(u.scheme, uri_scheme::sips);
  EXPECT_EQ(u.scheme_text, "SIPS");
  EXPECT_TRUE(u.user.empty());
  EXPECT_FALSE(u.has_password);
  EXPECT_EQ(u.host, "Example.COM");
  EXPECT_FALSE(u.has_port);
  EXPECT_TRUE(u.params.empty());
  EXPECT_TRUE(u.headers.empty());
  EXPECT_TRUE(u.transport.empty());
  EXPECT_FALSE(u.lr);

  u = parse_ok("sip:a:@h");  // an empty password is still a password
  EXPECT_TRUE(u.has_password);
  EXPECT_TRUE(u.password.empty());

  u = parse_ok("sip:h?a=");  // hvalue may be empty
  EXPECT_EQ(u.headers, "a=");

  u = parse_ok("sip:+1-212-555-1212:1234@gateway.com;user=phone");
  EXPECT_EQ(u.user, "+1-212-555-1212");
  EXPECT_EQ(u.password, "1234");
  EXPECT_EQ(u.user_param, "phone");

  u = parse_ok("sip:192.0.2.4;lr=on");
  EXPECT_EQ(u.host_type, host_kind::ipv4);
  EXPECT_TRUE(u.lr);
}

TEST(Uri, EscapedKnownParamNamesAreRecognised) {
  const uri u = parse_ok("sip:h;%6C%72;TRANSPORT=udp;%74tl=1");
  EXPECT_TRUE(u.lr);
  EXPECT_EQ(u.transport, "udp");
  EXPECT_EQ(u.ttl, "1");
}

TEST(Uri, TelAndOtherSchemes) {
  uri u = parse_ok("tel:+1-201-555-0123;phone-context=example.com");
  EXPECT_EQ(u.scheme, uri_scheme::tel);
  EXPECT_EQ(u.opaque, "+1-201-555-0123;phone-context=example.com");
  EXPECT_TRUE(u.host.empty());
  u = parse_ok("TEL:*21#");
  EXPECT_EQ(u.scheme, uri_scheme::tel);
  u = parse_ok("mailto:bob@example.com");
  EXPECT_EQ(u.scheme, uri_scheme::other);
  EXPECT_EQ(u.scheme_text, "mailto");
  EXPECT_EQ(u.opaque, "bob@example.com");
  u = parse_ok("urn:service:sos");
  EXPECT_EQ(u.opaque, "service:sos");
  u = parse_ok("http://[2001:db8::1]:8080/a%20b?x=1");
  EXPECT_EQ(u.opaque, "//[2001:db8::1]:8080/a%20b?x=1");
}

TEST(Uri, Errors) {
  uri u;
  for (std::string_view bad : {
           "", "sip", ":host", "1sip:host", "s_p:host", "<sip:user@example.com>", "sip:",
           "sip:@host", "sip:user@", "sip:user@host space", " sip:host", "sip:host ",
           "sip:user@example.com; lr", "sip:user@host;", "sip:host;;lr", "sip:host;=x",
           "sip:host;a=", "sip:host;a=b=c", "sip:host;a=<", "sip:host?", "sip:host?a", "sip:host?=b",
           "sip:host?a=b&", "sip:host?a=b&&c=d", "sip:host?a=b?c=<", "sip:%4", "sip:us%zzer@host",
           "sip:user@ho%41st", "sip:host;a=%4", "sip:host?a=%g0", "sip:us er@host",
           "sip:user:pa;ss@host", "sip:user@host:99999", "sip:user@host:", "sip:user@host:5x",
           "sip:2001:db8::10", "sip:[2001:db8::10", "sip:user@[2001:db8:::192.0.2.1]",
           "sip:host;transport=", "sip:host;transport", "sip:host;transport=u:dp",
           "sip:host;ttl=256", "sip:host;ttl=abc", "sip:host;ttl=0001", "sip:host;maddr=bad_host",
           "sip:host;maddr", "sip:host;transport=udp;transport=tcp", "sip:host;lr;lr",
           "sip:host;method=", "sip:host;user=a[b]", "tel:", "tel:+1 555", "tel:+1<555>",
           "tel:1%2", "http:", "foo:<a>", "foo:a\"b", "urn:a b", "sip:user@host\r\n"})
    for (simd_level level : {simd_level::scalar, simd_level::avx2, simd_level::avx512})
      if (cpu_supports(level)) {
        EXPECT_EQ(parse_uri_with(level, bad, u), error_code::bad_uri) << bad;
      }
}

TEST(Uri, ParamReader) {
  uri_param_reader r(";a=1;b;c=%41[x]:&+$;d-_.!~*'()=v");
  uri_param p;
  ASSERT_TRUE(r.next(p));
  EXPECT_EQ(p.name, "a");
  EXPECT_EQ(p.value, "1");
  EXPECT_TRUE(p.has_value);
  ASSERT_TRUE(r.next(p));
  EXPECT_EQ(p.name, "b");
  EXPECT_FALSE(p.has_value);
  EXPECT_TRUE(p.value.empty());
  ASSERT_TRUE(r.next(p));
  EXPECT_EQ(p.name, "c");
  EXPECT_EQ(p.value, "%41[x]:&+$");
  ASSERT_TRUE(r.next(p));
  EXPECT_EQ(p.name, "d-_.!~*'()");
  EXPECT_FALSE(r.next(p));
  EXPECT_EQ(r.error(), error_code::none);

  uri_param_reader empty("");
  EXPECT_FALSE(empty.next(p));
  EXPECT_EQ(empty.error(), error_code::none);

  uri_param_reader lws(";a=1 ;b");  // URI parameters allow no LWS
  EXPECT_FALSE(lws.next(p));
  EXPECT_EQ(lws.error(), error_code::bad_uri);
  EXPECT_EQ(lws.error_offset(), 4u);

  uri_param_reader no_semi("a=1");
  EXPECT_FALSE(no_semi.next(p));
  EXPECT_EQ(no_semi.error(), error_code::bad_uri);
  EXPECT_EQ(no_semi.error_offset(), 0u);

  uri_param_reader bad_escape(";a=1;b=x%4");
  EXPECT_TRUE(bad_escape.next(p));
  EXPECT_FALSE(bad_escape.next(p));
  EXPECT_EQ(bad_escape.error(), error_code::bad_uri);
  EXPECT_EQ(bad_escape.error_offset(), 8u);
  EXPECT_FALSE(bad_escape.next(p)) << "stays failed";
}

TEST(Uri, FindParam) {
  uri_param p;
  ASSERT_TRUE(find_uri_param(";a=1;N%61me=v;lr", "name", p));
  EXPECT_EQ(p.value, "v");
  ASSERT_TRUE(find_uri_param(";a=1;N%61me=v;lr", "LR", p));
  EXPECT_FALSE(p.has_value);
  EXPECT_FALSE(find_uri_param(";a=1;name=v", "nam", p));
  EXPECT_FALSE(find_uri_param("", "a", p));
}

TEST(Uri, HeaderReader) {
  uri_header_reader r("subject=project%20x&priority=urgent&to=sip:bob%40biloxi.com&e=");
  uri_header h;
  std::vector<std::string> got;
  while (r.next(h)) got.push_back(std::string(h.name) + "|" + std::string(h.value));
  EXPECT_EQ(r.error(), error_code::none);
  EXPECT_EQ(got, (std::vector<std::string>{"subject|project%20x", "priority|urgent",
                                           "to|sip:bob%40biloxi.com", "e|"}));

  uri_header_reader empty("");
  EXPECT_FALSE(empty.next(h));
  EXPECT_EQ(empty.error(), error_code::none);

  uri_header_reader trailing("a=b&");
  EXPECT_TRUE(trailing.next(h));
  EXPECT_FALSE(trailing.next(h));
  EXPECT_EQ(trailing.error(), error_code::bad_uri);
  EXPECT_EQ(trailing.error_offset(), 4u);

  uri_header_reader no_equal("a=b&c");
  EXPECT_TRUE(no_equal.next(h));
  EXPECT_FALSE(no_equal.next(h));
  EXPECT_EQ(no_equal.error(), error_code::bad_uri);
  EXPECT_EQ(no_equal.error_offset(), 5u);

  uri_header_reader bad_char("a=b;c");  // ';' is not an hvalue character
  EXPECT_FALSE(bad_char.next(h));
  EXPECT_EQ(bad_char.error(), error_code::bad_uri);
  EXPECT_EQ(bad_char.error_offset(), 3u);
}

TEST(Uri, Unescape) {
  EXPECT_EQ(unescaped("I%20have%20spaces"), "I have spaces");
  EXPECT_EQ(unescaped("%75se%72"), "user");
  EXPECT_EQ(unescaped("v%61lue%25%34%31"), "value%41") << "not recursive (RFC 4475 esc01)";
  EXPECT_EQ(unescaped("null-%00-null"), std::string("null-\0-null", 11)) << "%00 must not truncate";
  EXPECT_EQ(unescaped("100%"), "100%");
  EXPECT_EQ(unescaped("%4g%4"), "%4g%4");
  EXPECT_EQ(unescaped(""), "");
  EXPECT_EQ(unescaped("%c3%A9"), "\xc3\xa9");
}

TEST(Uri, EscapedEqual) {
  EXPECT_TRUE(escaped_equal("%61lice", "alice", false));
  EXPECT_TRUE(escaped_equal("alice", "%61lic%65", false));
  EXPECT_FALSE(escaped_equal("%41lice", "alice", false));
  EXPECT_TRUE(escaped_equal("%41lice", "alice", true));
  EXPECT_TRUE(escaped_equal("%4a", "%4A", false));
  EXPECT_FALSE(escaped_equal("abc", "ab", false));
  EXPECT_FALSE(escaped_equal("ab", "abc", false));
  EXPECT_TRUE(escaped_equal("", "", false));
  EXPECT_FALSE(escaped_equal("%00", "%00%00", false));
  EXPECT_FALSE(escaped_equal("%00", "", false));
  EXPECT_TRUE(escaped_equal("%25", "%", false)) << "'%' is not reserved";
  // An escaped reserved character is not the character itself (RFC 3261 §19.1.4).
  EXPECT_FALSE(escaped_equal("a%3Bb", "a;b", false));
  EXPECT_FALSE(escaped_equal("u%40example.net", "u@example.net", false));
  EXPECT_TRUE(escaped_equal("u%40example.net", "u%40example.net", true));
  EXPECT_TRUE(escaped_equal("a%3bb", "a%3Bb", false));
}

// RFC 3261 §19.1.5: every pair listed as equivalent.
TEST(UriEqual, Rfc3261EquivalentPairs) {
  EXPECT_TRUE(equal("sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp"));
  EXPECT_TRUE(equal("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5"));
  EXPECT_TRUE(equal("sip:carol@chicago.com", "sip:carol@chicago.com;security=on"));
  EXPECT_TRUE(equal("sip:carol@chicago.com;newparam=5", "sip:carol@chicago.com;security=on"));
  EXPECT_TRUE(equal("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
                    "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com"));
  EXPECT_TRUE(equal("sip:alice@atlanta.com?subject=project%20x&priority=urgent",
                    "sip:alice@atlanta.com?priority=urgent&subject=project%20x"));
}

// RFC 3261 §19.1.5: every pair listed as not equivalent.
TEST(UriEqual, Rfc3261NotEquivalentPairs) {
  EXPECT_FALSE(equal("SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP"));
  EXPECT_FALSE(equal("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060"));
  EXPECT_FALSE(equal("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp"));
  EXPECT_FALSE(equal("sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp"));
  EXPECT_FALSE(equal("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting"));
  EXPECT_FALSE(equal("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4"));
}

// RFC 3261 §19.1.5: equality is not transitive.
TEST(UriEqual, NotTransitive) {
  EXPECT_TRUE(equal("sip:carol@chicago.com", "sip:carol@chicago.com;security=on"));
  EXPECT_TRUE(equal("sip:carol@chicago.com", "sip:carol@chicago.com;security=off"));
  EXPECT_FALSE(equal("sip:carol@chicago.com;security=on", "sip:carol@chicago.com;security=off"));
}

// Each rule of RFC 3261 §19.1.4 on its own.
TEST(UriEqual, Rules) {
  EXPECT_FALSE(equal("sip:alice@atlanta.com", "sips:alice@atlanta.com"));
  EXPECT_TRUE(equal("SIP:alice@atlanta.com", "sip:alice@atlanta.com"));
  EXPECT_FALSE(equal("sip:alice:pw@atlanta.com", "sip:alice:PW@atlanta.com"));
  EXPECT_FALSE(equal("sip:alice:pw@atlanta.com", "sip:alice@atlanta.com"));
  EXPECT_FALSE(equal("sip:alice:@atlanta.com", "sip:alice@atlanta.com"));
  EXPECT_TRUE(equal("sip:alice:p%77@atlanta.com", "sip:alice:pw@atlanta.com"));
  EXPECT_FALSE(equal("sip:alice@atlanta.com", "sip:atlanta.com"));
  EXPECT_FALSE(equal("sip:a%3Bb@h", "sip:a;b@h")) << "an escaped reserved char is not the char";
  EXPECT_TRUE(equal("sip:a%3bb@h", "sip:a%3Bb@h"));
  EXPECT_TRUE(equal("sip:[::1]:5060", "sip:[0:0::1]:5060"));
  EXPECT_FALSE(equal("sip:[::1]:5060", "sip:[::1]:5061"));
  for (const char* p : {"transport=udp", "user=phone", "method=INVITE", "ttl=1", "maddr=192.0.2.1"}) {
    EXPECT_FALSE(equal(std::string("sip:h;") + p, "sip:h")) << p;
    EXPECT_TRUE(equal(std::string("sip:h;") + p, std::string("sip:h;") + p)) << p;
  }
  EXPECT_TRUE(equal("sip:h;method=invite", "sip:h;method=INVITE")) << "params compare case-insensitively";
  EXPECT_FALSE(equal("sip:h;ttl=1", "sip:h;ttl=2"));
  EXPECT_FALSE(equal("sip:h;maddr=192.0.2.1", "sip:h;maddr=192.0.2.2"));
  EXPECT_TRUE(equal("sip:h;lr", "sip:h"));
  EXPECT_TRUE(equal("sip:h;lr", "sip:h;%6c%72"));
  EXPECT_FALSE(equal("sip:h;lr", "sip:h;lr=on"));
  EXPECT_FALSE(equal("sip:h;x", "sip:h;x=1"));
  EXPECT_TRUE(equal("sip:h;x=%41", "sip:h;X=a"));
  EXPECT_FALSE(equal("sip:h?a=b", "sip:h?a=c"));
  EXPECT_TRUE(equal("sip:h?A=b", "sip:h?a=%62"));
  EXPECT_FALSE(equal("sip:h?a=b&a=b", "sip:h?a=b"));
  EXPECT_FALSE(equal("sip:h?a=b&a=b&a=c", "sip:h?a=b&a=c&a=c"));
  EXPECT_TRUE(equal("sip:h?a=b&a=c", "sip:h?a=c&a=b"));
  EXPECT_TRUE(equal("tel:+1-555", "TEL:+1-%35%35%35"));
  EXPECT_FALSE(equal("tel:+1-555", "sip:+1-555@h"));
  EXPECT_FALSE(equal("urn:a", "mailto:a"));
  EXPECT_TRUE(equal("urn:a", "URN:a"));
}

// RFC 4475 §3.1.1.3 esc01: escapes in SIP URIs equal their characters, but only once.
TEST(UriTorture, Esc01) {
  const std::string& msg = testdata_file("rfc4475/esc01.sip");
  const std::string_view ruri = request_uri(msg);
  const uri r = parse_ok(ruri);
  EXPECT_EQ(r.user, "sips%3Auser%40example.com");
  EXPECT_EQ(unescaped(r.user), "sips:user@example.com");
  EXPECT_EQ(r.host, "example.net");

  const std::string_view to = header_uri(msg, "To");
  EXPECT_EQ(to, "sip:%75se%72@example.com");
  EXPECT_TRUE(equal(to, "sip:user@example.com"));

  const std::string_view from = header_uri(msg, "From");
  EXPECT_EQ(unescaped(parse_ok(from).user), "I have spaces");

  const std::string_view contact = header_uri(msg, "Contact");
  const uri c = parse_ok(contact);
  EXPECT_EQ(unescaped(c.user), "caller");
  EXPECT_TRUE(c.lr) << "%6C%72 is lr";
  uri_param p;
  ASSERT_TRUE(find_uri_param(c.params, "name", p));
  EXPECT_EQ(p.value, "v%61lue%25%34%31");
  EXPECT_TRUE(escaped_equal(p.value, "value%2541", false));
  EXPECT_FALSE(escaped_equal(p.value, "valueA", false));
  EXPECT_TRUE(equal(contact, "sip:caller@host5.example.net;lr;name=value%2541"));
  EXPECT_FALSE(equal(contact, "sip:caller@host5.example.net;lr;name=valueA"));
}

// RFC 4475 §3.1.1.4 escnull: %00 must not truncate the user name; two distinct contacts.
TEST(UriTorture, EscNull) {
  const std::string& msg = testdata_file("rfc4475/escnull.sip");
  const uri to = parse_ok(header_uri(msg, "To"));
  EXPECT_EQ(unescaped(to.user), std::string("null-\0-null", 11));
  const std::string_view c1 = header_uri(msg, "Contact", 0);
  const std::string_view c2 = header_uri(msg, "Contact", 1);
  EXPECT_EQ(c1, "sip:%00@host5.example.com");
  EXPECT_EQ(c2, "sip:%00%00@host5.example.com");
  EXPECT_FALSE(equal(c1, c2));
  EXPECT_EQ(unescaped(parse_ok(c2).user).size(), 2u);
}

// RFC 4475 §3.1.1.2 intmeth: every user / password character the grammar allows.
TEST(UriTorture, IntMeth) {
  const std::string& msg = testdata_file("rfc4475/intmeth.sip");
  const uri r = parse_ok(request_uri(msg));
  EXPECT_EQ(r.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  EXPECT_TRUE(r.has_password);
  EXPECT_EQ(r.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
  EXPECT_EQ(r.host, "example.com");
  EXPECT_TRUE(r.params.empty());
  EXPECT_TRUE(r.headers.empty());
  const uri to = parse_ok(header_uri(msg, "To"));
  EXPECT_EQ(to.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  EXPECT_FALSE(to.has_password);
}

// RFC 4475 §3.1.1.9 semiuri: ';' in the user part; the escaped '@' is not a delimiter.
TEST(UriTorture, SemiUri) {
  const uri r = parse_ok(request_uri(testdata_file("rfc4475/semiuri.sip")));
  EXPECT_EQ(r.user, "user;par=u%40example.net");
  EXPECT_EQ(r.host, "example.com");
  EXPECT_TRUE(r.params.empty());
}

// RFC 4475 §3.1.1.1 wsinv, §3.1.1.12 unreason, §3.3.13 cparam02, §3.1.1.7 longreq.
TEST(UriTorture, ParamsAndPlainUris) {
  const uri w = parse_ok(request_uri(testdata_file("rfc4475/wsinv.sip")));
  EXPECT_EQ(w.host, "chair-dnrc.example.com");
  EXPECT_EQ(w.params, ";unknownparam");
  const uri u = parse_ok(header_uri(testdata_file("rfc4475/unreason.sip"), "Contact"));
  EXPECT_EQ(u.host, "host198.example.com");
  const uri c = parse_ok(header_uri(testdata_file("rfc4475/cparam02.sip"), "Contact"));
  EXPECT_EQ(c.user, "+19725552222");
  EXPECT_EQ(c.params, ";unknownparam");
  const uri l = parse_ok(header_uri(testdata_file("rfc4475/longreq.sip"), "To"));
  EXPECT_EQ(l.port, 6000);
  EXPECT_GT(l.params.size(), 100u);
}

// RFC 4475 §3.1.2.11 escruri and §3.3.14 regescrt: escaped headers are valid URI syntax.
TEST(UriTorture, EscapedHeaders) {
  for (const auto& [file, uri_text] :
       {std::pair{"rfc4475/escruri.sip", request_uri(testdata_file("rfc4475/escruri.sip"))},
        std::pair{"rfc4475/regescrt.sip", header_uri(testdata_file("rfc4475/regescrt.sip"), "M")},
        std::pair{"rfc4475/regbadct.sip", header_uri(testdata_file("rfc4475/regbadct.sip"), "Contact")}}) {
    const uri u = parse_ok(uri_text);
    uri_header_reader r(u.headers);
    uri_header h;
    ASSERT_TRUE(r.next(h)) << file;
    EXPECT_EQ(h.name, "Route");
    EXPECT_EQ(unescaped(h.value).front(), '<');
    EXPECT_EQ(unescaped(h.value).back(), '>');
    EXPECT_FALSE(r.next(h));
    EXPECT_EQ(r.error(), error_code::none);
  }
}

// RFC 4475 §3.3.2-3.3.4 unkscm, novelsc, unksm2: unknown schemes parse as opaque URIs.
TEST(UriTorture, UnknownSchemes) {
  uri u = parse_ok(request_uri(testdata_file("rfc4475/unkscm.sip")));
  EXPECT_EQ(u.scheme, uri_scheme::other);
  EXPECT_EQ(u.scheme_text, "nobodyKnowsThisScheme");
  EXPECT_EQ(u.opaque, "totallyopaquecontent");
  u = parse_ok(request_uri(testdata_file("rfc4475/novelsc.sip")));
  EXPECT_EQ(u.scheme_text, "soap.beep");
  EXPECT_EQ(u.opaque, "//192.0.2.103:3002");
  const std::string& unksm2 = testdata_file("rfc4475/unksm2.sip");
  EXPECT_EQ(parse_ok(header_uri(unksm2, "To")).scheme_text, "isbn");
  EXPECT_EQ(parse_ok(header_uri(unksm2, "From")).opaque, "//www.example.com");
  EXPECT_EQ(parse_ok(header_uri(unksm2, "Contact")).opaque, "John_Smith");
}

// RFC 4475 invalid URIs: LWS inside (lwsruri, badaspec) and <> around the Request-URI (ltgtruri).
TEST(UriTorture, MalformedUris) {
  uri u;
  EXPECT_EQ(parse_uri("sip:user@example.com; lr", u), error_code::bad_uri);
  const std::string& lt = testdata_file("rfc4475/ltgtruri.sip");
  EXPECT_EQ(parse_uri(request_uri(lt), u), error_code::bad_uri);
  const std::string& badaspec = testdata_file("rfc4475/badaspec.sip");
  EXPECT_EQ(parse_uri(header_uri(badaspec, "To"), u), error_code::bad_uri);
}

// RFC 5118: IPv6 references in Request-URIs and headers.
TEST(UriTorture, Rfc5118Ipv6) {
  uri u = parse_ok(request_uri(testdata_file("rfc5118/ipv6-good.sip")));
  EXPECT_EQ(u.host, "[2001:db8::10]");
  EXPECT_EQ(u.host_type, host_kind::ipv6);
  EXPECT_FALSE(u.has_port);
  EXPECT_EQ(parse_ok(header_uri(testdata_file("rfc5118/ipv6-good.sip"), "Contact")).host,
            "[2001:db8::1]");

  uri bad;
  EXPECT_EQ(parse_uri(request_uri(testdata_file("rfc5118/ipv6-bad.sip")), bad), error_code::bad_uri);

  u = parse_ok(request_uri(testdata_file("rfc5118/port-ambiguous.sip")));
  EXPECT_EQ(u.host, "[2001:db8::10:5070]");
  EXPECT_FALSE(u.has_port);
  u = parse_ok(request_uri(testdata_file("rfc5118/port-unambiguous.sip")));
  EXPECT_EQ(u.host, "[2001:db8::10]");
  EXPECT_TRUE(u.has_port);
  EXPECT_EQ(u.port, 5070);

  const std::string& three = testdata_file("rfc5118/ipv6-bug-abnf-3-colons.sip");
  EXPECT_EQ(parse_uri(request_uri(three), bad), error_code::bad_uri);
  EXPECT_EQ(parse_uri(header_uri(three, "To"), bad), error_code::bad_uri);
  const std::string& two = testdata_file("rfc5118/ipv6-correct-abnf-2-colons.sip");
  u = parse_ok(request_uri(two));
  EXPECT_EQ(u.host, "[2001:db8::192.0.2.1]");
  EXPECT_TRUE(equal(request_uri(two), header_uri(two, "To")));
  EXPECT_TRUE(equal(request_uri(two), "sip:user@[2001:DB8:0::c000:201]"));

  u = parse_ok(header_uri(testdata_file("rfc5118/ipv4-mapped-ipv6.sip"), "Contact"));
  EXPECT_EQ(u.host, "[::ffff:192.0.2.2]");
  EXPECT_EQ(u.host_type, host_kind::ipv6);
}

}  // namespace
}  // namespace sipring::parser
