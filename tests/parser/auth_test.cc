#include "sipring/parser/auth.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "corpus.h"

namespace sipring::parser {
namespace {

credentials creds_ok(std::string_view value) {
  credentials c;
  EXPECT_EQ(parse_credentials(value, c), error_code::none) << value;
  return c;
}

challenge challenge_ok(std::string_view value) {
  challenge c;
  EXPECT_EQ(parse_challenge(value, c), error_code::none) << value;
  return c;
}

error_code creds_err(std::string_view value) {
  credentials c;
  return parse_credentials(value, c);
}

error_code challenge_err(std::string_view value) {
  challenge c;
  return parse_challenge(value, c);
}

TEST(Auth, Rfc3261DigestCredentialsWithQop) {
  // RFC 3261 §22.4 style, folded as on the wire.
  const auto c = creds_ok(
      "Digest username=\"bob\",\r\n realm=\"biloxi.com\",\r\n"
      " nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\",\r\n uri=\"sip:bob@biloxi.com\",\r\n"
      " qop=auth,\r\n nc=00000001,\r\n cnonce=\"0a4f113b\",\r\n"
      " response=\"6629fae49393a05397450978507c4ef1\",\r\n opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
  EXPECT_TRUE(c.is_digest);
  EXPECT_EQ(c.scheme, "Digest");
  EXPECT_EQ(c.username, "bob");
  EXPECT_EQ(c.realm, "biloxi.com");
  EXPECT_EQ(c.nonce, "dcd98b7102dd2f0e8b11d0f600bfb0c093");
  EXPECT_EQ(c.uri, "sip:bob@biloxi.com");
  EXPECT_EQ(c.qop, "auth");
  EXPECT_EQ(c.nc, "00000001");
  EXPECT_EQ(c.cnonce, "0a4f113b");
  EXPECT_EQ(c.response, "6629fae49393a05397450978507c4ef1");
  EXPECT_EQ(c.opaque, "5ccc069c403ebaf9f0171e9517f40e41");
  EXPECT_TRUE(c.algorithm.empty());
  EXPECT_TRUE(c.stale.empty());
  EXPECT_TRUE(c.domain.empty());
}

TEST(Auth, Rfc3261SectionTwentyExamples) {
  // §20.7 Authorization and §20.28 Proxy-Authorization (responses there are not 32 digits).
  auto c = creds_ok(
      "Digest username=\"Alice\", realm=\"atlanta.com\",\r\n nonce=\"84a4cc6f3082121f32b42a2187831a9e\",\r\n"
      " response=\"7587245234b3434cc3412213e5f113a5432\"");
  EXPECT_EQ(c.username, "Alice");
  EXPECT_EQ(c.response, "7587245234b3434cc3412213e5f113a5432");
  c = creds_ok(
      "Digest username=\"Alice\", realm=\"atlanta.com\",\r\n nonce=\"c60f3082ee1212b402a21831ae\",\r\n"
      " response=\"245f23415f11432b3434341c022\"");
  EXPECT_EQ(c.nonce, "c60f3082ee1212b402a21831ae");
}

TEST(Auth, Rfc8760Sha256Credentials) {
  const auto c = creds_ok(
      "Digest username=\"Mufasa\",\r\n realm=\"http-auth@example.org\",\r\n uri=\"sip:a@example.org\",\r\n"
      " algorithm=SHA-256,\r\n nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\",\r\n nc=00000001,\r\n"
      " cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\",\r\n qop=auth,\r\n"
      " response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\",\r\n"
      " opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"");
  EXPECT_EQ(c.algorithm, "SHA-256");
  EXPECT_EQ(c.response.size(), 64u);
  EXPECT_EQ(c.cnonce, "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ");
  EXPECT_EQ(creds_ok("Digest username=\"u\", algorithm=SHA-512-256-sess, response=\"ABCDEF0123\"").algorithm,
            "SHA-512-256-sess");
}

TEST(Auth, DigestChallenges) {
  // RFC 3261 §20.44 WWW-Authenticate, §20.27 Proxy-Authenticate.
  auto c = challenge_ok(
      "Digest realm=\"atlanta.com\",\r\n domain=\"sip:boxesbybob.com\", qop=\"auth\",\r\n"
      " nonce=\"f84f1cec41e6cbe5aea9c8e88d359\",\r\n opaque=\"\", stale=FALSE, algorithm=MD5");
  EXPECT_TRUE(c.is_digest);
  EXPECT_EQ(c.realm, "atlanta.com");
  EXPECT_EQ(c.domain, "sip:boxesbybob.com");
  EXPECT_EQ(c.qop, "auth");
  EXPECT_EQ(c.nonce, "f84f1cec41e6cbe5aea9c8e88d359");
  EXPECT_TRUE(c.opaque.empty());
  EXPECT_NE(c.opaque.data(), nullptr);  // given, though empty
  EXPECT_EQ(c.stale, "FALSE");
  EXPECT_FALSE(is_stale(c));
  EXPECT_EQ(c.algorithm, "MD5");

  c = challenge_ok("Digest realm=\"biloxi.com\", qop=\"auth,auth-int\", nonce=\"n1\", stale=TRUE, algorithm=SHA-256");
  EXPECT_EQ(c.qop, "auth,auth-int");
  EXPECT_TRUE(qop_offers(c.qop, "auth"));
  EXPECT_TRUE(qop_offers(c.qop, "AUTH-INT"));
  EXPECT_FALSE(qop_offers(c.qop, "auth-conf"));
  EXPECT_TRUE(is_stale(c));
  EXPECT_TRUE(qop_offers(" auth , auth-int ", "auth-int"));
  EXPECT_FALSE(qop_offers("", "auth"));

  c = challenge_ok("Digest realm=\"r\", domain=\"sip:a.example.com sip:b.example.com\", nonce=\"x\", stale=true");
  EXPECT_EQ(c.domain, "sip:a.example.com sip:b.example.com");
  EXPECT_TRUE(is_stale(c));
}

TEST(Auth, LwsAroundEqualsAndCommas) {
  const auto c = creds_ok("  Digest\tusername = \"a\"\r\n\t,realm\r\n =\r\n \"r\" ,nc= 0000000a , response =ff  ");
  EXPECT_EQ(c.username, "a");
  EXPECT_EQ(c.realm, "r");
  EXPECT_EQ(c.nc, "0000000a");
  EXPECT_EQ(c.response, "ff");
}

TEST(Auth, SchemeAndNamesAreCaseInsensitive) {
  const auto c = creds_ok("dIgEsT USERNAME=\"x\", Realm=\"y\", NC=DEADBEEF");
  EXPECT_TRUE(c.is_digest);
  EXPECT_EQ(c.scheme, "dIgEsT");
  EXPECT_EQ(c.username, "x");
  EXPECT_EQ(c.realm, "y");
  EXPECT_EQ(c.nc, "DEADBEEF");
}

TEST(Auth, QuotedValuesKeepEscapes) {
  const auto c = creds_ok("Digest username=\"a\\\"b,c\", realm=\"x=y, z\"");
  EXPECT_EQ(c.username, "a\\\"b,c");
  EXPECT_EQ(c.realm, "x=y, z");
}

TEST(Auth, UnknownParamsAreIterable) {
  const auto c = creds_ok("Digest username=\"u\", auts=\"xyz\", x-ext=tok, realm=\"r\"");
  EXPECT_EQ(c.params, "username=\"u\", auts=\"xyz\", x-ext=tok, realm=\"r\"");
  auth_param_reader r(c.params);
  auth_param p;
  std::vector<std::string> got;
  while (r.next(p)) got.push_back(std::string(p.name) + (p.quoted ? "~" : "=") + std::string(p.value));
  EXPECT_EQ(r.error(), error_code::none);
  EXPECT_EQ(got, (std::vector<std::string>{"username~u", "auts~xyz", "x-ext=tok", "realm~r"}));
}

TEST(Auth, ParamsOfTheOtherKindAreExtensions) {
  // stale/domain mean nothing in credentials, response/nc nothing in a challenge: kept, not filled.
  const auto cr = creds_ok("Digest username=\"u\", stale=maybe, domain=\"d\"");
  EXPECT_TRUE(cr.stale.empty());
  EXPECT_TRUE(cr.domain.empty());
  const auto ch = challenge_ok("Digest realm=\"r\", nonce=\"n\", nc=zz, response=\"q\", username=\"u\"");
  EXPECT_TRUE(ch.nc.empty());
  EXPECT_TRUE(ch.response.empty());
  EXPECT_TRUE(ch.username.empty());
}

TEST(Auth, OtherSchemesAreKeptRaw) {
  auto c = creds_ok("NoOneKnowsThisScheme opaque-data=here");
  EXPECT_FALSE(c.is_digest);
  EXPECT_EQ(c.scheme, "NoOneKnowsThisScheme");
  EXPECT_EQ(c.params, "opaque-data=here");
  EXPECT_TRUE(c.opaque.empty());
  c = creds_ok("Bearer eyJhbGciOi.JSUzI1NiJ9/abc+def==");
  EXPECT_EQ(c.params, "eyJhbGciOi.JSUzI1NiJ9/abc+def==");
  c = creds_ok("Basic");
  EXPECT_TRUE(c.params.empty());
  const auto ch = challenge_ok("Bearer realm=\"example.com\", scope=\"sip\"");
  EXPECT_FALSE(ch.is_digest);
  EXPECT_TRUE(ch.realm.empty());
}

TEST(Auth, Rfc4475RegAut01UnknownScheme) {
  const std::string_view value =
      testing::header_value(testing::torture_message("rfc4475", "regaut01"), "Authorization");
  ASSERT_FALSE(value.empty());
  const auto c = creds_ok(value);
  EXPECT_FALSE(c.is_digest);
  EXPECT_EQ(c.scheme, "NoOneKnowsThisScheme");
  EXPECT_EQ(c.params, "opaque-data=here");
}

TEST(Auth, SchemeErrors) {
  EXPECT_EQ(creds_err(""), error_code::bad_auth);
  EXPECT_EQ(creds_err("  "), error_code::bad_auth);
  EXPECT_EQ(creds_err("Digest"), error_code::bad_auth);  // Digest needs at least one param
  EXPECT_EQ(creds_err("Digest,username=\"a\""), error_code::bad_auth);
  EXPECT_EQ(creds_err("\"Digest\" username=\"a\""), error_code::bad_auth);
  EXPECT_EQ(challenge_err("Dig(est realm=\"r\""), error_code::bad_auth);
  EXPECT_EQ(challenge_err("=realm"), error_code::bad_auth);
}

TEST(Auth, ParamSyntaxErrors) {
  // RFC 3665's famous example with a comma missing after realm.
  EXPECT_EQ(creds_err("Digest username=\"bob\", realm=\"atlanta.example.com\"\r\n"
                      " nonce=\"ea9c8e88df84f1cec4341ae6cbe5a359\", opaque=\"\""),
            error_code::bad_auth);
  EXPECT_EQ(creds_err("Digest username"), error_code::bad_auth);
  EXPECT_EQ(creds_err("Digest username="), error_code::bad_auth);
  EXPECT_EQ(creds_err("Digest username=\"a\","), error_code::bad_auth);
  EXPECT_EQ(creds_err("Digest ,username=\"a\""), error_code::bad_auth);
  EXPECT_EQ(creds_err("Digest username=\"a\",,realm=\"b\""), error_code::bad_auth);
  EXPECT_EQ(creds_err("Digest uri=sip:a@b"), error_code::bad_auth);  // ':' needs quotes
  EXPECT_EQ(creds_err("Digest username=\"a\"x"), error_code::bad_auth);
  EXPECT_EQ(creds_err("Digest username=\"a\"; realm=\"b\""), error_code::bad_auth);
  EXPECT_EQ(challenge_err("Digest realm=\"a\" nonce=\"b\""), error_code::bad_auth);
}

TEST(Auth, QuotingErrors) {
  EXPECT_EQ(creds_err("Digest username=\"bob, realm=\"x\""), error_code::bad_auth);  // closes at realm=
  EXPECT_EQ(creds_err("Digest username=\"bob"), error_code::bad_quoting);
  EXPECT_EQ(creds_err("Digest username=\"bob\\\""), error_code::bad_quoting);
  EXPECT_EQ(challenge_err("Digest realm=\"a\x01\""), error_code::bad_quoting);
  auth_param_reader r("a=1, b=\"open");
  auth_param p;
  EXPECT_TRUE(r.next(p));
  EXPECT_FALSE(r.next(p));
  EXPECT_EQ(r.error(), error_code::bad_quoting);
  EXPECT_FALSE(r.next(p));  // stays failed
}

TEST(Auth, DuplicateKnownParams) {
  EXPECT_EQ(creds_err("Digest username=\"a\", username=\"b\""), error_code::bad_auth);
  EXPECT_EQ(creds_err("Digest realm=\"a\", REALM=\"a\""), error_code::bad_auth);
  EXPECT_EQ(creds_err("Digest opaque=\"\", opaque=\"\""), error_code::bad_auth);
  EXPECT_EQ(challenge_err("Digest realm=\"r\", nonce=\"1\", nonce=\"2\""), error_code::bad_auth);
  EXPECT_EQ(challenge_err("Digest realm=\"r\", stale=true, stale=false"), error_code::bad_auth);
  // Unknown params may repeat.
  EXPECT_EQ(creds_err("Digest x=1, x=2"), error_code::none);
}

TEST(Auth, FieldValidation) {
  EXPECT_EQ(creds_err("Digest nc=0000001"), error_code::bad_auth);
  EXPECT_EQ(creds_err("Digest nc=000000001"), error_code::bad_auth);
  EXPECT_EQ(creds_err("Digest nc=0000000g"), error_code::bad_auth);
  EXPECT_EQ(creds_err("Digest nc=\"\""), error_code::bad_auth);
  EXPECT_EQ(creds_err("Digest nc=\"00000001\""), error_code::none);  // quoted loosely accepted
  EXPECT_EQ(creds_err("Digest response=\"6629fae49393a05397450978507c4efz\""), error_code::bad_auth);
  EXPECT_EQ(creds_err("Digest response=\"\""), error_code::bad_auth);
  EXPECT_EQ(creds_err("Digest response=\"66 29\""), error_code::bad_auth);
  EXPECT_EQ(creds_err("Digest qop=\"auth,auth-int\""), error_code::bad_auth);  // one qop in credentials
  EXPECT_EQ(creds_err("Digest qop=\"auth\""), error_code::none);
  EXPECT_EQ(creds_err("Digest algorithm=\"MD 5\""), error_code::bad_auth);
  EXPECT_EQ(challenge_err("Digest realm=\"r\", stale=yes"), error_code::bad_auth);
  EXPECT_EQ(challenge_err("Digest realm=\"r\", stale=\"\""), error_code::bad_auth);
  EXPECT_EQ(challenge_err("Digest realm=\"r\", qop=\"auth,,auth-int\""), error_code::bad_auth);
  EXPECT_EQ(challenge_err("Digest realm=\"r\", qop=\"auth,\""), error_code::bad_auth);
  EXPECT_EQ(challenge_err("Digest realm=\"r\", qop=\"\""), error_code::bad_auth);
  EXPECT_EQ(challenge_err("Digest realm=\"r\", qop=\"auth auth-int\""), error_code::bad_auth);
  EXPECT_EQ(challenge_err("Digest realm=\"r\", qop=auth"), error_code::none);
}

TEST(Auth, OutIsResetOnEachCall) {
  credentials c;
  ASSERT_EQ(parse_credentials("Digest username=\"a\", nc=00000001", c), error_code::none);
  ASSERT_EQ(parse_credentials("Other x", c), error_code::none);
  EXPECT_FALSE(c.is_digest);
  EXPECT_TRUE(c.username.empty());
  EXPECT_EQ(c.username.data(), nullptr);
  EXPECT_TRUE(c.nc.empty());
}

}  // namespace
}  // namespace sipring::parser
