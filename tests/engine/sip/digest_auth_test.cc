// Digest authentication: the RFC 2617 / RFC 7616 example responses, challenges, a SIP REGISTER
// verified end to end (parse -> find credentials -> verify, values computed independently with
// Python's hashlib/hmac), and every refusal: stale, forged, tampered and future nonces, wrong
// password, unknown user, wrong realm, unsupported and malformed credentials.

#include "sipring/sip/digest_auth.h"

#include <gtest/gtest.h>

#include <array>
#include <cctype>
#include <ostream>
#include <string>
#include <vector>

#include "sipring/parser/parse.h"

namespace sipring::sip {
// Readable names in failure messages.
void PrintTo(auth_status s, std::ostream* os) { *os << auth_status_name(s); }
}  // namespace sipring::sip

namespace {

using namespace std::chrono_literals;
using sipring::crypto::hash_algorithm;
using sipring::parser::header_id;
using namespace sipring::sip;

constexpr std::string_view realm = "sipring.test";

std::array<std::uint8_t, nonce_key::key_size> fixed_key() {
  std::array<std::uint8_t, nonce_key::key_size> k{};
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(1 + i);
  return k;
}

nonce_clock::time_point at(std::chrono::seconds s) { return nonce_clock::time_point(s); }

std::string ha1(hash_algorithm a, std::string_view user, std::string_view r, std::string_view password) {
  std::string out(sipring::crypto::hex_size(a), '?');
  EXPECT_TRUE(compute_ha1(a, user, r, password, out));
  return out;
}

user_directory directory(const std::string& text) {
  auto r = user_directory::parse(text, "test.htdigest");
  EXPECT_TRUE(std::holds_alternative<user_directory>(r));
  return std::get<user_directory>(std::move(r));
}

// alice has both hashes, bob only MD5, carol only SHA-256.
digest_authenticator make_auth() {
  const std::string text =
      "alice:sipring.test:" + ha1(hash_algorithm::sha256, "alice", realm, "wonderland") + "\n" +
      "alice:sipring.test:" + ha1(hash_algorithm::md5, "alice", realm, "wonderland") + "\n" +
      "bob:sipring.test:" + ha1(hash_algorithm::md5, "bob", realm, "builder") + "\n" +
      "carol:sipring.test:" + ha1(hash_algorithm::sha256, "carol", realm, "singer") + "\n";
  return digest_authenticator(directory(text), std::string(realm), 300s, nonce_key(fixed_key()));
}

std::string nonce_at(const digest_authenticator& auth, nonce_clock::time_point t) {
  std::array<char, nonce_key::nonce_size> n{};
  EXPECT_TRUE(auth.nonces().make(auth.realm(), t, n));
  return std::string(n.data(), n.size());
}

// What a client sends; `response` empty means "compute it from password".
struct client {
  std::string user = "alice", password = "wonderland", crealm = std::string(realm);
  std::string algorithm = "SHA-256";  // "" sends no algorithm (MD5)
  std::string nonce, uri = "sip:sipring.test", method = "REGISTER";
  std::string qop = "auth", nc = "00000001", cnonce = "8f1a2b3c";
  std::string response;

  std::string header_value() {
    if (response.empty()) {
      std::string lower = algorithm;
      for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      const bool sha = lower.rfind("sha-256", 0) == 0;
      const hash_algorithm a = sha ? hash_algorithm::sha256 : hash_algorithm::md5;
      const bool sess = lower.ends_with("-sess");
      const std::string h = ha1(a, user, crealm, password);
      response.assign(sipring::crypto::hex_size(a), '?');
      EXPECT_TRUE(compute_response({a, sess, h, nonce, nc, cnonce, qop, method, uri}, response));
    }
    std::string v = "Digest username=\"" + user + "\", realm=\"" + crealm + "\", nonce=\"" + nonce +
                    "\", uri=\"" + uri + "\", response=\"" + response + "\"";
    if (!algorithm.empty()) v += ", algorithm=" + algorithm;
    if (!qop.empty()) v += ", qop=" + qop + ", nc=" + nc + ", cnonce=\"" + cnonce + "\"";
    return v;
  }
};

// Parses `value` as credentials and verifies them for `method` at `now`.
auth_result verify_value(const digest_authenticator& auth, const std::string& value,
                         std::string_view method, nonce_clock::time_point now) {
  sipring::parser::credentials c;
  EXPECT_EQ(sipring::parser::parse_credentials(value, c), sipring::parser::error_code::none) << value;
  return auth.verify(c, method, now);
}

auth_status status_of(const digest_authenticator& auth, client& cl, nonce_clock::time_point now) {
  return verify_value(auth, cl.header_value(), "REGISTER", now).status;
}

// ---- the RFC examples -------------------------------------------------------------------------

TEST(digest_auth, rfc2617_section_3_5_example) {
  const std::string h = ha1(hash_algorithm::md5, "Mufasa", "testrealm@host.com", "Circle Of Life");
  EXPECT_EQ(h, "939e7578ed9e3c518a452acee763bce9");
  std::string r(32, '?');
  ASSERT_TRUE(compute_response({hash_algorithm::md5, false, h, "dcd98b7102dd2f0e8b11d0f600bfb0c093",
                                "00000001", "0a4f113b", "auth", "GET", "/dir/index.html"},
                               r));
  EXPECT_EQ(r, "6629fae49393a05397450978507c4ef1");
}

TEST(digest_auth, rfc7616_section_3_9_1_example) {
  constexpr std::string_view nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
  constexpr std::string_view cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
  const std::string md5 = ha1(hash_algorithm::md5, "Mufasa", "http-auth@example.org", "Circle of Life");
  std::string r(32, '?');
  ASSERT_TRUE(compute_response({hash_algorithm::md5, false, md5, nonce, "00000001", cnonce, "auth",
                                "GET", "/dir/index.html"},
                               r));
  EXPECT_EQ(r, "8ca523f5e9506fed4657c9700eebdbec");

  const std::string sha =
      ha1(hash_algorithm::sha256, "Mufasa", "http-auth@example.org", "Circle of Life");
  std::string r256(64, '?');
  ASSERT_TRUE(compute_response({hash_algorithm::sha256, false, sha, nonce, "00000001", cnonce,
                                "auth", "GET", "/dir/index.html"},
                               r256));
  EXPECT_EQ(r256, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
}

TEST(digest_auth, rfc2617_credentials_are_right_but_the_nonce_is_not_ours) {
  const std::string users = "Mufasa:testrealm@host.com:939e7578ed9e3c518a452acee763bce9\n";
  const digest_authenticator auth(directory(users), "testrealm@host.com", 300s, nonce_key(fixed_key()));
  const std::string value =
      "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "
      "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", qop=auth, nc=00000001, "
      "cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\", "
      "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";
  const auth_result r = verify_value(auth, value, "GET", at(1000s));
  EXPECT_EQ(r.status, auth_status::bad_nonce) << r.reason;
}

// ---- a SIP REGISTER end to end ----------------------------------------------------------------

std::string register_with(std::string_view authorization_lines) {
  return "REGISTER sip:sipring.test SIP/2.0\r\n"
         "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds\r\n"
         "Max-Forwards: 70\r\n"
         "To: <sip:alice@sipring.test>\r\n"
         "From: <sip:alice@sipring.test>;tag=1928301774\r\n"
         "Call-ID: a84b4c76e66710@192.0.2.10\r\n"
         "CSeq: 2 REGISTER\r\n"
         "Contact: <sip:alice@192.0.2.10:5060>\r\n" +
         std::string(authorization_lines) + "Content-Length: 0\r\n\r\n";
}

TEST(digest_auth, sip_register_verified_end_to_end) {
  const digest_authenticator auth = make_auth();
  // The nonce our key makes at 1000 s, and the responses, computed with Python's hmac/hashlib.
  const std::string nonce = "00000000000003e8ba95c7856e512730691258470006d80f";
  ASSERT_EQ(nonce_at(auth, at(1000s)), nonce);

  struct variant {
    std::string_view algorithm, response;
  };
  for (const variant v : {variant{"SHA-256", "5c069d3c88093fbeaf5037e343336ff2aeb4515315f366c314c0feaf1c66cfe6"},
                          variant{"MD5", "1557606a87484578188ae4518f5708c5"}}) {
    SCOPED_TRACE(v.algorithm);
    const std::string message = register_with(
        // First a credential for another realm, which must be skipped.
        "Authorization: Digest username=\"alice\", realm=\"elsewhere.example\", nonce=\"abc\", "
        "uri=\"sip:sipring.test\", response=\"00000000000000000000000000000000\"\r\n"
        "Authorization: Digest username=\"alice\",\r\n realm=\"sipring.test\", nonce=\"" +
        nonce + "\", uri=\"sip:sipring.test\", response=\"" + std::string(v.response) +
        "\", algorithm=" + std::string(v.algorithm) +
        ", cnonce=\"8f1a2b3c\", qop=auth, nc=00000001\r\n");
    std::array<sipring::parser::header_field, 32> headers;
    const auto parsed = sipring::parser::parse(message, headers);
    ASSERT_TRUE(parsed.ok());

    sipring::parser::credentials c;
    ASSERT_EQ(auth.find_credentials(parsed.message, header_id::authorization, c),
              credentials_search::found);
    EXPECT_EQ(c.realm, "sipring.test");
    EXPECT_EQ(c.response, v.response);
    const auth_result r = auth.verify(c, parsed.message.method_token(), at(1010s));
    EXPECT_EQ(r.status, auth_status::ok) << r.reason;
    EXPECT_EQ(auth.verify(c, parsed.message.method_token(), at(1400s)).status, auth_status::stale_nonce);
    EXPECT_EQ(auth.verify(c, "INVITE", at(1010s)).status, auth_status::bad_response);
  }
}

TEST(digest_auth, find_credentials_absent_malformed_and_proxy) {
  const digest_authenticator auth = make_auth();
  std::array<sipring::parser::header_field, 32> headers;
  sipring::parser::credentials c;

  const std::string none = register_with("");
  auto p = sipring::parser::parse(none, headers);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(auth.find_credentials(p.message, header_id::authorization, c), credentials_search::absent);

  const std::string other = register_with(
      "Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n"
      "Authorization: Digest username=\"alice\", realm=\"elsewhere\", nonce=\"x\"\r\n");
  p = sipring::parser::parse(other, headers);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(auth.find_credentials(p.message, header_id::authorization, c), credentials_search::absent);

  const std::string broken = register_with("Authorization: Digest username=\"alice\r\n");
  p = sipring::parser::parse(broken, headers);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(auth.find_credentials(p.message, header_id::authorization, c), credentials_search::malformed);

  const std::string proxy = register_with(
      "Authorization: Digest username=\"alice\", realm=\"sipring.test\", nonce=\"a\"\r\n"
      "Proxy-Authorization: Digest username=\"bob\", realm=\"sipring.test\", nonce=\"b\"\r\n");
  p = sipring::parser::parse(proxy, headers);
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(auth.find_credentials(p.message, header_id::proxy_authorization, c), credentials_search::found);
  EXPECT_EQ(c.username, "bob");
  ASSERT_EQ(auth.find_credentials(p.message, header_id::authorization, c), credentials_search::found);
  EXPECT_EQ(c.username, "alice");
}

// ---- challenges --------------------------------------------------------------------------------

TEST(digest_auth, challenges_offer_sha256_before_md5) {
  const digest_authenticator auth = make_auth();
  ASSERT_EQ(auth.offered().size(), 2u);
  std::vector<char> buf(auth.max_challenges_size());
  const std::size_t n = auth.write_challenges(header_id::www_authenticate, at(1000s), false, buf);
  const std::string nonce = nonce_at(auth, at(1000s));
  EXPECT_EQ(std::string(buf.data(), n),
            "WWW-Authenticate: Digest realm=\"sipring.test\", nonce=\"" + nonce +
                "\", qop=\"auth\", algorithm=SHA-256\r\n"
                "WWW-Authenticate: Digest realm=\"sipring.test\", nonce=\"" + nonce +
                "\", qop=\"auth\", algorithm=MD5\r\n");

  const std::size_t m = auth.write_challenges(header_id::proxy_authenticate, at(1000s), true, buf);
  const std::string text(buf.data(), m);
  EXPECT_EQ(text.rfind("Proxy-Authenticate: Digest realm=\"sipring.test\", nonce=\"", 0), 0u) << text;
  EXPECT_NE(text.find("algorithm=SHA-256, stale=true\r\nProxy-Authenticate: "), std::string::npos) << text;
  EXPECT_LE(m, auth.max_challenges_size());

  // Each line is a challenge the parser accepts, and its nonce is valid.
  const std::string first = text.substr(std::string_view("Proxy-Authenticate: ").size(),
                                        text.find("\r\n") - std::string_view("Proxy-Authenticate: ").size());
  sipring::parser::challenge ch;
  ASSERT_EQ(sipring::parser::parse_challenge(first, ch), sipring::parser::error_code::none);
  EXPECT_TRUE(sipring::parser::is_stale(ch));
  EXPECT_EQ(ch.algorithm, "SHA-256");
  EXPECT_TRUE(sipring::parser::qop_offers(ch.qop, "auth"));
  EXPECT_EQ(auth.nonces().check(ch.nonce, realm, at(1000s), 300s), nonce_status::valid);
}

TEST(digest_auth, challenges_offer_what_the_directory_holds) {
  const std::string md5_only = "bob:sipring.test:" + ha1(hash_algorithm::md5, "bob", realm, "b") + "\n";
  const digest_authenticator a(directory(md5_only), std::string(realm), 300s, nonce_key(fixed_key()));
  ASSERT_EQ(a.offered().size(), 1u);
  EXPECT_EQ(a.offered()[0], hash_algorithm::md5);
  std::vector<char> buf(a.max_challenges_size());
  const std::string text(buf.data(), a.write_challenges(header_id::www_authenticate, at(5s), false, buf));
  EXPECT_NE(text.find("algorithm=MD5\r\n"), std::string::npos);
  EXPECT_EQ(text.find("SHA-256"), std::string::npos);

  // MD5 lines of another realm do not count; no users at all still offers SHA-256.
  const std::string elsewhere = "bob:other:" + ha1(hash_algorithm::md5, "bob", "other", "b") + "\n";
  const digest_authenticator b(directory(elsewhere), std::string(realm), 300s, nonce_key(fixed_key()));
  ASSERT_EQ(b.offered().size(), 1u);
  EXPECT_EQ(b.offered()[0], hash_algorithm::sha256);
}

TEST(digest_auth, challenge_refuses_small_buffers_and_other_headers) {
  const digest_authenticator auth = make_auth();
  std::vector<char> buf(auth.max_challenges_size());
  const std::size_t n = auth.write_challenges(header_id::www_authenticate, at(1s), true, buf);
  ASSERT_GT(n, 0u);
  EXPECT_EQ(auth.write_challenges(header_id::www_authenticate, at(1s), true, std::span(buf).first(n - 1)), 0u);
  EXPECT_EQ(auth.write_challenges(header_id::authorization, at(1s), false, buf), 0u);
}

TEST(digest_auth, realm_is_escaped_in_challenges_and_checked_at_construction) {
  const digest_authenticator auth(user_directory{}, "a \"quoted\" realm", 300s, nonce_key(fixed_key()));
  std::vector<char> buf(auth.max_challenges_size());
  const std::string text(buf.data(), auth.write_challenges(header_id::www_authenticate, at(1s), false, buf));
  EXPECT_EQ(text.rfind("WWW-Authenticate: Digest realm=\"a \\\"quoted\\\" realm\", ", 0), 0u) << text;
  EXPECT_THROW(digest_authenticator(user_directory{}, "", 300s), std::invalid_argument);
  EXPECT_THROW(digest_authenticator(user_directory{}, "bad\r\nrealm", 300s), std::invalid_argument);
}

// ---- verify: accepted forms ------------------------------------------------------------------

TEST(digest_auth, accepts_each_supported_form) {
  const digest_authenticator auth = make_auth();
  const auto now = at(1000s);
  const std::string nonce = nonce_at(auth, now);
  for (std::string alg : {"SHA-256", "MD5", "", "SHA-256-sess", "MD5-sess", "sha-256", "md5"}) {
    client cl;
    cl.nonce = nonce;
    cl.algorithm = alg;
    EXPECT_EQ(status_of(auth, cl, now), auth_status::ok) << alg;
  }
  client legacy;  // RFC 2069: MD5 without qop, nc or cnonce
  legacy.nonce = nonce;
  legacy.algorithm = "MD5";
  legacy.qop.clear();
  EXPECT_EQ(status_of(auth, legacy, now), auth_status::ok);

  client upper;  // a response in upper-case hex
  upper.nonce = nonce;
  (void)upper.header_value();
  for (char& ch : upper.response) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  EXPECT_EQ(status_of(auth, upper, now), auth_status::ok);

  client carol;  // SHA-256 only
  carol.user = "carol";
  carol.password = "singer";
  carol.nonce = nonce;
  EXPECT_EQ(status_of(auth, carol, now), auth_status::ok);
}

TEST(digest_auth, escaped_username_and_realm_are_compared_unescaped) {
  const digest_authenticator auth = make_auth();
  const auto now = at(1000s);
  client cl;
  cl.nonce = nonce_at(auth, now);
  (void)cl.header_value();  // response for "alice" in "sipring.test"
  std::string v = cl.header_value();
  v.replace(v.find("\"alice\""), 7, "\"al\\ice\"");
  v.replace(v.find("\"sipring.test\""), 14, "\"sipring\\.test\"");
  const auth_result r = verify_value(auth, v, "REGISTER", now);
  EXPECT_EQ(r.status, auth_status::ok) << r.reason;
}

// ---- verify: refusals --------------------------------------------------------------------------

TEST(digest_auth, stale_nonce_only_with_the_right_response) {
  const digest_authenticator auth = make_auth();
  client cl;
  cl.nonce = nonce_at(auth, at(1000s));
  EXPECT_EQ(status_of(auth, cl, at(1300s)), auth_status::ok);
  EXPECT_EQ(status_of(auth, cl, at(1301s)), auth_status::stale_nonce);
  client wrong;
  wrong.nonce = cl.nonce;
  wrong.password = "guess";
  EXPECT_EQ(status_of(auth, wrong, at(1301s)), auth_status::bad_response);
}

TEST(digest_auth, forged_tampered_and_future_nonces) {
  const digest_authenticator auth = make_auth();
  const auto now = at(1000s);
  const std::string good = nonce_at(auth, now);

  client forged;  // right form, MAC made up, response right for it
  forged.nonce = good.substr(0, 16) + std::string(32, 'a');
  EXPECT_EQ(status_of(auth, forged, now), auth_status::bad_nonce);

  client tampered;  // an old nonce's timestamp moved forward
  const std::string old = nonce_at(auth, at(100s));
  tampered.nonce = good.substr(0, 16) + old.substr(16);
  EXPECT_EQ(status_of(auth, tampered, now), auth_status::bad_nonce);

  client other_key;  // a nonce from another process
  std::array<char, nonce_key::nonce_size> n{};
  ASSERT_TRUE(nonce_key().make(realm, now, n));
  other_key.nonce.assign(n.data(), n.size());
  EXPECT_EQ(status_of(auth, other_key, now), auth_status::bad_nonce);

  client future;
  future.nonce = nonce_at(auth, now + 60s);
  EXPECT_EQ(status_of(auth, future, now), auth_status::bad_nonce);
}

TEST(digest_auth, wrong_password_unknown_user_and_wrong_realm) {
  const digest_authenticator auth = make_auth();
  const auto now = at(1000s);
  const std::string nonce = nonce_at(auth, now);

  client wrong;
  wrong.nonce = nonce;
  wrong.password = "Wonderland";
  EXPECT_EQ(status_of(auth, wrong, now), auth_status::bad_response);

  client unknown;
  unknown.nonce = nonce;
  unknown.user = "mallory";
  EXPECT_EQ(status_of(auth, unknown, now), auth_status::unknown_user);

  client bob_sha;  // bob has no SHA-256 HA1
  bob_sha.nonce = nonce;
  bob_sha.user = "bob";
  bob_sha.password = "builder";
  const auth_result r = verify_value(auth, bob_sha.header_value(), "REGISTER", now);
  EXPECT_EQ(r.status, auth_status::unknown_user);
  EXPECT_EQ(r.reason, "no SHA-256 HA1 for this user");
  bob_sha.algorithm = "MD5";
  bob_sha.response.clear();
  EXPECT_EQ(status_of(auth, bob_sha, now), auth_status::ok);

  client elsewhere;
  elsewhere.nonce = nonce;
  elsewhere.crealm = "elsewhere.example";
  EXPECT_EQ(status_of(auth, elsewhere, now), auth_status::wrong_realm);

  client other_uri;  // response for another uri than the one sent
  other_uri.nonce = nonce;
  (void)other_uri.header_value();
  std::string v = other_uri.header_value();
  v.replace(v.find("uri=\"sip:sipring.test\""), 22, "uri=\"sip:evil.example\"");
  EXPECT_EQ(verify_value(auth, v, "REGISTER", now).status, auth_status::bad_response);
}

TEST(digest_auth, unsupported_credentials) {
  const digest_authenticator auth = make_auth();
  const auto now = at(1000s);
  const std::string nonce = nonce_at(auth, now);

  client sha512;
  sha512.nonce = nonce;
  sha512.algorithm = "SHA-512-256";
  sha512.response = std::string(64, 'a');
  EXPECT_EQ(status_of(auth, sha512, now), auth_status::unsupported);

  client auth_int;
  auth_int.nonce = nonce;
  auth_int.qop = "auth-int";
  EXPECT_EQ(status_of(auth, auth_int, now), auth_status::unsupported);

  client sha_no_qop;
  sha_no_qop.nonce = nonce;
  sha_no_qop.qop.clear();
  EXPECT_EQ(status_of(auth, sha_no_qop, now), auth_status::unsupported);

  EXPECT_EQ(verify_value(auth, "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", "REGISTER", now).status,
            auth_status::unsupported);
}

TEST(digest_auth, malformed_credentials) {
  const digest_authenticator auth = make_auth();
  const auto now = at(1000s);
  client base;
  base.nonce = nonce_at(auth, now);
  const std::string full = base.header_value();

  auto without = [&](std::string_view param) {
    std::string v = full;
    const std::size_t start = v.find(std::string(param) + "=");
    std::size_t end = v.find(", ", start);
    end = end == std::string::npos ? v.size() : end + 2;
    v.erase(start, end - start);
    if (v.ends_with(", ")) v.resize(v.size() - 2);
    return v;
  };
  for (std::string_view p : {"username", "realm", "nonce", "uri", "response", "cnonce", "nc"}) {
    const auth_result r = verify_value(auth, without(p), "REGISTER", now);
    EXPECT_EQ(r.status, auth_status::malformed) << p << ": " << r.reason;
  }
  client short_response;
  short_response.nonce = base.nonce;
  short_response.response = std::string(32, 'a');  // MD5-sized for SHA-256
  EXPECT_EQ(status_of(auth, short_response, now), auth_status::malformed);
}

TEST(digest_auth, status_names) {
  EXPECT_EQ(auth_status_name(auth_status::ok), "ok");
  EXPECT_EQ(auth_status_name(auth_status::stale_nonce), "stale_nonce");
  EXPECT_EQ(auth_status_name(auth_status::malformed), "malformed");
}

}  // namespace
