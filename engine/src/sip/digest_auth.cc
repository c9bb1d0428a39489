#include "sipring/sip/digest_auth.h"

#include <stdexcept>
#include <utility>

#include "sipring/parser/header_params.h"

namespace sipring::sip {

namespace {

using crypto::hash_algorithm;

// A digest parameter was given, possibly empty (a parsed value always has data).
constexpr bool present(std::string_view v) noexcept { return v.data() != nullptr; }

// True when the content of a quoted-string (escapes in place) reads `plain` once unescaped.
bool equals_unescaped(std::string_view escaped, std::string_view plain) noexcept {
  std::size_t j = 0;
  for (std::size_t i = 0; i < escaped.size(); ++i) {
    char c = escaped[i];
    if (c == '\\' && i + 1 < escaped.size()) c = escaped[++i];
    if (j == plain.size() || plain[j] != c) return false;
    ++j;
  }
  return j == plain.size();
}

// The content of a quoted-string with its escapes removed: `in` itself when it has none, else
// a copy in `buf`. False when `buf` is too small.
bool unescape(std::string_view in, std::span<char> buf, std::string_view& out) noexcept {
  if (in.find('\\') == std::string_view::npos) {
    out = in;
    return true;
  }
  std::size_t j = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '\\' && i + 1 < in.size()) c = in[++i];
    if (j == buf.size()) return false;
    buf[j++] = c;
  }
  out = std::string_view(buf.data(), j);
  return true;
}

// The algorithm parameter: absent means MD5 (RFC 7616 §3.3). False for any we do not do.
bool parse_algorithm(std::string_view v, hash_algorithm& a, bool& sess) noexcept {
  using parser::iequals;
  sess = false;
  if (!present(v) || iequals(v, "MD5")) {
    a = hash_algorithm::md5;
  } else if (iequals(v, "SHA-256")) {
    a = hash_algorithm::sha256;
  } else if (iequals(v, "MD5-sess")) {
    a = hash_algorithm::md5;
    sess = true;
  } else if (iequals(v, "SHA-256-sess")) {
    a = hash_algorithm::sha256;
    sess = true;
  } else {
    return false;
  }
  return true;
}

constexpr char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

// Appends to a caller buffer; remembers overflow instead of failing at each step.
class line_writer {
 public:
  explicit line_writer(std::span<char> out) noexcept : _out(out) {}
  void put(std::string_view s) noexcept {
    if (s.size() > _out.size() - _pos) {
      _overflow = true;
      return;
    }
    for (char c : s) _out[_pos++] = c;
  }
  // The content of a quoted-string: '"' and '\' escaped.
  void put_quoted_content(std::string_view s) noexcept {
    for (char c : s) {
      if (c == '"' || c == '\\') put("\\");
      put(std::string_view(&c, 1));
    }
  }
  std::size_t size() const noexcept { return _overflow ? 0 : _pos; }

 private:
  std::span<char> _out;
  std::size_t _pos = 0;
  bool _overflow = false;
};

constexpr auth_result result(auth_status s, std::string_view reason) noexcept { return {s, reason}; }

}  // namespace

bool compute_response(const digest_input& in, std::span<char> out) noexcept {
  const hash_algorithm a = in.algorithm;
  const std::size_t n = crypto::hex_size(a);
  if (out.size() < n) return false;
  char ha1_buf[crypto::max_hex_size], ha2_buf[crypto::max_hex_size];
  std::string_view ha1 = in.ha1;
  if (in.sess) {  // RFC 7616 §3.4.2
    if (!crypto::hash_hex_joined(a, {in.ha1, in.nonce, in.cnonce}, ha1_buf)) return false;
    ha1 = std::string_view(ha1_buf, n);
  }
  if (!crypto::hash_hex_joined(a, {in.method, in.uri}, ha2_buf)) return false;
  const std::string_view ha2(ha2_buf, n);
  if (in.qop.empty()) return crypto::hash_hex_joined(a, {ha1, in.nonce, ha2}, out);
  return crypto::hash_hex_joined(a, {ha1, in.nonce, in.nc, in.cnonce, in.qop, ha2}, out);
}

bool compute_ha1(hash_algorithm a, std::string_view username, std::string_view realm,
                 std::string_view password, std::span<char> out) noexcept {
  return crypto::hash_hex_joined(a, {username, realm, password}, out);
}

std::string_view auth_status_name(auth_status s) noexcept {
  switch (s) {
    case auth_status::ok: return "ok";
    case auth_status::stale_nonce: return "stale_nonce";
    case auth_status::bad_nonce: return "bad_nonce";
    case auth_status::unknown_user: return "unknown_user";
    case auth_status::wrong_realm: return "wrong_realm";
    case auth_status::bad_response: return "bad_response";
    case auth_status::unsupported: return "unsupported";
    case auth_status::malformed: return "malformed";
  }
  return "?";
}

digest_authenticator::digest_authenticator(user_directory users, std::string realm,
                                           std::chrono::seconds nonce_lifetime, nonce_key key)
    : _users(std::move(users)), _realm(std::move(realm)), _lifetime(nonce_lifetime),
      _nonces(key) {
  if (_realm.empty()) throw std::invalid_argument("digest realm is empty");
  for (char c : _realm)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      throw std::invalid_argument("digest realm holds a control character");
  const bool sha256 = _users.holds(hash_algorithm::sha256, _realm);
  const bool md5 = _users.holds(hash_algorithm::md5, _realm);
  if (sha256 || !md5) _offered[_offered_count++] = hash_algorithm::sha256;
  if (md5) _offered[_offered_count++] = hash_algorithm::md5;
}

std::size_t digest_authenticator::max_challenges_size() const noexcept {
  constexpr std::string_view fixed =
      "Proxy-Authenticate: Digest realm=\"\", nonce=\"\", qop=\"auth\", algorithm=SHA-256, "
      "stale=true\r\n";
  return _offered_count * (fixed.size() + 2 * _realm.size() + nonce_key::nonce_size);
}

std::size_t digest_authenticator::write_challenges(parser::header_id header,
                                                   nonce_clock::time_point now, bool stale,
                                                   std::span<char> out) const noexcept {
  std::string_view name;
  if (header == parser::header_id::www_authenticate)
    name = "WWW-Authenticate";
  else if (header == parser::header_id::proxy_authenticate)
    name = "Proxy-Authenticate";
  else
    return 0;
  char nonce[nonce_key::nonce_size];
  if (!_nonces.make(_realm, now, nonce)) return 0;

  line_writer w(out);
  for (std::size_t i = 0; i < _offered_count; ++i) {
    w.put(name);
    w.put(": Digest realm=\"");
    w.put_quoted_content(_realm);
    w.put("\", nonce=\"");
    w.put(std::string_view(nonce, sizeof nonce));
    w.put("\", qop=\"auth\", algorithm=");
    w.put(crypto::algorithm_name(_offered[i]));
    if (stale) w.put(", stale=true");
    w.put("\r\n");
  }
  return w.size();
}

credentials_search digest_authenticator::find_credentials(const parser::message_view& msg,
                                                          parser::header_id header,
                                                          parser::credentials& out) const noexcept {
  bool saw_malformed = false;
  for (const parser::header_field& h : msg.headers()) {
    if (h.id != header) continue;
    parser::credentials c;
    if (parser::parse_credentials(msg.value(h), c) != parser::error_code::none) {
      saw_malformed = true;
      continue;
    }
    if (c.is_digest && present(c.realm) && equals_unescaped(c.realm, _realm)) {
      out = c;
      return credentials_search::found;
    }
  }
  return saw_malformed ? credentials_search::malformed : credentials_search::absent;
}

auth_result digest_authenticator::verify(const parser::credentials& c, std::string_view method,
                                         nonce_clock::time_point now) const noexcept {
  using parser::iequals;
  if (!c.is_digest) return result(auth_status::unsupported, "scheme is not Digest");
  if (!present(c.username)) return result(auth_status::malformed, "username missing");
  if (!present(c.realm)) return result(auth_status::malformed, "realm missing");
  if (c.nonce.empty()) return result(auth_status::malformed, "nonce missing");
  if (c.uri.empty()) return result(auth_status::malformed, "uri missing");
  if (c.response.empty()) return result(auth_status::malformed, "response missing");

  hash_algorithm a;
  bool sess;
  if (!parse_algorithm(c.algorithm, a, sess))
    return result(auth_status::unsupported, "algorithm not supported");
  const bool with_qop = present(c.qop);
  if (with_qop) {
    if (!iequals(c.qop, "auth")) return result(auth_status::unsupported, "qop not supported");
    if (c.nc.empty() || c.cnonce.empty())
      return result(auth_status::malformed, "qop=auth without nc or cnonce");
  } else if (a != hash_algorithm::md5 || sess) {
    return result(auth_status::unsupported, "only plain MD5 may omit qop");
  }
  if (c.response.size() != crypto::hex_size(a))
    return result(auth_status::malformed, "response length does not fit the algorithm");

  if (!equals_unescaped(c.realm, _realm)) return result(auth_status::wrong_realm, "realm is not ours");

  char user_buf[256];
  std::string_view user;
  if (!unescape(c.username, user_buf, user)) return result(auth_status::unknown_user, "username too long");
  const std::string_view stored_ha1 = _users.find(user, _realm, a);
  if (stored_ha1.empty())
    return result(auth_status::unknown_user, a == hash_algorithm::md5 ? "no MD5 HA1 for this user"
                                                                       : "no SHA-256 HA1 for this user");

  const nonce_status ns = _nonces.check(c.nonce, _realm, now, _lifetime);
  if (ns == nonce_status::invalid) return result(auth_status::bad_nonce, "nonce is not ours");

  // Values hashed unescaped (RFC 7616 §3.4: the digest works on the unquoted values).
  char uri_buf[1024], cnonce_buf[256];
  std::string_view uri, cnonce;
  if (!unescape(c.uri, uri_buf, uri) || !unescape(c.cnonce, cnonce_buf, cnonce))
    return result(auth_status::malformed, "uri or cnonce too long");

  const std::size_t n = crypto::hex_size(a);
  char expected[crypto::max_hex_size];
  digest_input in{a, sess, stored_ha1, c.nonce, with_qop ? c.nc : std::string_view{}, cnonce,
                  with_qop ? c.qop : std::string_view{}, method, uri};
  if (!compute_response(in, expected)) return result(auth_status::bad_response, "hash failed");

  char received[crypto::max_hex_size];  // LHEX per RFC 7616; accept upper case too
  for (std::size_t i = 0; i < n; ++i) received[i] = lower(c.response[i]);
  if (!crypto::constant_time_equal(std::string_view(received, n), std::string_view(expected, n)))
    return result(auth_status::bad_response, "response does not match");

  if (ns == nonce_status::stale) return result(auth_status::stale_nonce, "nonce is stale");
  return result(auth_status::ok, "ok");
}

}  // namespace sipring::sip
