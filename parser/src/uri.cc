#include "sipring/parser/uri.h"

#include <algorithm>
#include <array>

#include "char_class.h"
#include "fast_scan.h"
#include "sipring/parser/header_params.h"
#include "typed_avx512.h"
#include "uri.h"

namespace sipring::parser {

namespace {

// Character sets of the URI grammar (RFC 3261 §25.1, RFC 3966 for tel, RFC 2396/3986 uric).
// '%' is in none of them: an escape is checked separately (two hex digits must follow).
enum : std::uint8_t {
  user_c = 1 << 0,      ///< unreserved / user-unreserved "&=+$,;?/"
  password_c = 1 << 1,  ///< unreserved / "&=+$,"
  param_c = 1 << 2,     ///< unreserved / param-unreserved "[]/:&+$"
  header_c = 1 << 3,    ///< unreserved / hnv-unreserved "[]/?:+$"
  tel_c = 1 << 4,       ///< unreserved / "+#*;=/:&$[]" (digits, separators and parameters)
  uric_c = 1 << 5,      ///< unreserved / reserved ";/?:@&=+$," / "[]"
  reserved_c = 1 << 6,  ///< reserved: an escape of one of these is not the character itself
};

constexpr std::array<std::uint8_t, 256> make_uri_table() {
  std::array<std::uint8_t, 256> t{};
  auto add = [&t](std::string_view set, std::uint8_t bits) {
    for (char c : set) t[static_cast<unsigned char>(c)] |= bits;
  };
  for (int c = 0; c < 256; ++c)
    if (chars::is(static_cast<char>(c), chars::unreserved))
      t[static_cast<std::size_t>(c)] |= user_c | password_c | param_c | header_c | tel_c | uric_c;
  add("&=+$,;?/", user_c);
  add("&=+$,", password_c);
  add("[]/:&+$", param_c);
  add("[]/?:+$", header_c);
  add("+#*;=/:&$[]", tel_c);
  add(";/?:@&=+$,[]", uric_c);
  add(";/?:@&=+$,", reserved_c);
  return t;
}

constexpr std::array<std::uint8_t, 256> uri_table = make_uri_table();

constexpr bool in_set(char c, std::uint8_t set) noexcept {
  return (uri_table[static_cast<unsigned char>(c)] & set) != 0;
}

constexpr int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Whether a %HH escape starts at s[i] (s[i] is '%').
constexpr bool is_escape_at(std::string_view s, std::size_t i) noexcept {
  return i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0;
}

// Length of the run at `from` made of `set` characters and valid escapes. `*bad_escape` is set
// when the run stops at a '%' that does not start an escape.
std::size_t span_of(std::string_view s, std::size_t from, std::uint8_t set, bool* bad_escape) noexcept {
  std::size_t i = from;
  while (i < s.size()) {
    if (s[i] == '%') {
      if (!is_escape_at(s, i)) {
        *bad_escape = true;
        break;
      }
      i += 3;
    } else if (in_set(s[i], set)) {
      ++i;
    } else {
      break;
    }
  }
  return i - from;
}

// Whether the whole of `s` is made of `set` characters and valid escapes.
bool all_of(std::string_view s, std::uint8_t set) noexcept {
  bool bad = false;
  return span_of(s, 0, set, &bad) == s.size() && !bad;
}

// One decoded byte of an escaped string, and whether it came from an escape.
struct decoder {
  std::string_view s;
  std::size_t i = 0;

  bool next(unsigned char& byte, bool& escaped) noexcept {
    if (i >= s.size()) return false;
    if (s[i] == '%' && is_escape_at(s, i)) {
      byte = static_cast<unsigned char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      escaped = true;
      i += 3;
    } else {
      byte = static_cast<unsigned char>(s[i]);
      escaped = false;
      ++i;
    }
    return true;
  }
};

bool is_token_text(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (char c : s)
    if (!chars::is_token(c)) return false;
  return true;
}

bool is_scheme(std::string_view s) noexcept {
  if (s.empty() || !chars::is(s[0], chars::alpha)) return false;
  for (char c : s)
    if (!chars::is(c, chars::alpha | chars::digit) && c != '+' && c != '-' && c != '.') return false;
  return true;
}

bool is_ttl(std::string_view s) noexcept {
  if (s.empty() || s.size() > 3) return false;
  unsigned v = 0;
  for (char c : s) {
    if (!chars::is_digit(c)) return false;
    v = v * 10 + unsigned(c - '0');
  }
  return v <= 255;
}

// The parameters that §19.1.4 compares even when only one URI has them.
enum class known_param : std::uint8_t { none, transport, user, method, ttl, maddr, lr };

known_param classify(std::string_view name) noexcept {
  // Every known name decodes to 2 bytes or more, and an escape is 3 bytes: a quick filter.
  if (name.size() < 2) return known_param::none;
  if (escaped_equal(name, "transport", true)) return known_param::transport;
  if (escaped_equal(name, "user", true)) return known_param::user;
  if (escaped_equal(name, "method", true)) return known_param::method;
  if (escaped_equal(name, "ttl", true)) return known_param::ttl;
  if (escaped_equal(name, "maddr", true)) return known_param::maddr;
  if (escaped_equal(name, "lr", true)) return known_param::lr;
  return known_param::none;
}

// Validates one well-known parameter and stores it in its quick field.
bool take_known(uri& u, known_param kind, const uri_param& p) noexcept {
  std::string_view* field = nullptr;
  switch (kind) {
    case known_param::none:
      return true;
    case known_param::lr:
      if (u.lr) return false;
      u.lr = true;  // "lr=on" is common in the wild and harmless: its value is ignored
      return true;
    case known_param::transport:
      field = &u.transport;
      if (!is_token_text(p.value)) return false;
      break;
    case known_param::user:
      field = &u.user_param;
      if (!is_token_text(p.value)) return false;
      break;
    case known_param::method:
      field = &u.method;
      if (!is_token_text(p.value)) return false;
      break;
    case known_param::ttl:
      field = &u.ttl;
      if (!is_ttl(p.value)) return false;
      break;
    case known_param::maddr: {
      field = &u.maddr;
      host_kind k{};
      if (parse_host(p.value, k) != error_code::none) return false;
      break;
    }
  }
  if (!field->empty()) return false;  // a repeated known parameter is ambiguous
  *field = p.value;
  return true;
}

error_code parse_sip_uri(std::string_view rest, uri& u) noexcept {
  // userinfo ends at the first '@': no part after it may hold an unescaped '@'.
  if (const std::size_t at = fast::find(rest, '@'); at != std::string_view::npos) {
    const std::string_view userinfo = rest.substr(0, at);
    const std::size_t colon = fast::find(userinfo, ':');
    u.user = userinfo.substr(0, colon);
    if (u.user.empty() || !all_of(u.user, user_c)) return error_code::bad_uri;
    if (colon != std::string_view::npos) {
      u.password = userinfo.substr(colon + 1);
      u.has_password = true;
      if (!all_of(u.password, password_c)) return error_code::bad_uri;
    }
    rest.remove_prefix(at + 1);
  }
  const std::size_t host_end = std::min(fast::find(rest, ';'), fast::find(rest, '?'));
  host_port hp;
  if (parse_host_port(rest.substr(0, host_end), hp) != error_code::none) return error_code::bad_uri;
  u.host = hp.host;
  u.host_type = hp.kind;
  u.port = hp.port;
  u.has_port = hp.has_port;
  if (host_end == std::string_view::npos) return error_code::none;
  rest.remove_prefix(host_end);

  const std::size_t q = fast::find(rest, '?');
  u.params = rest.substr(0, q);
  uri_param_reader params(u.params);
  uri_param p;
  while (params.next(p))
    if (!take_known(u, classify(p.name), p)) return error_code::bad_uri;
  if (params.error() != error_code::none) return error_code::bad_uri;

  if (q != std::string_view::npos) {
    u.headers = rest.substr(q + 1);
    if (u.headers.empty()) return error_code::bad_uri;
    uri_header_reader headers(u.headers);
    uri_header h;
    while (headers.next(h)) {
    }
    if (headers.error() != error_code::none) return error_code::bad_uri;
  }
  return error_code::none;
}

// Known parameter names, without escapes (the caller has checked there is no '%').
known_param classify_plain(std::string_view name) noexcept {
  switch (name.size()) {
    case 2: return fast::iequals_lower(name, "lr") ? known_param::lr : known_param::none;
    case 3: return fast::iequals_lower(name, "ttl") ? known_param::ttl : known_param::none;
    case 4: return fast::iequals_lower(name, "user") ? known_param::user : known_param::none;
    case 5: return fast::iequals_lower(name, "maddr") ? known_param::maddr : known_param::none;
    case 6: return fast::iequals_lower(name, "method") ? known_param::method : known_param::none;
    case 9:
      return fast::iequals_lower(name, "transport") ? known_param::transport : known_param::none;
    default: return known_param::none;
  }
}

// Run of `set` characters (no escapes) at s[i]; advances i.
inline void skip_set(std::string_view s, std::size_t& i, std::uint8_t set) noexcept {
  while (i < s.size() && in_set(s[i], set)) ++i;
}

// The common SIP URI in one pass: [user[:password]@]host[:port][;params] with no escapes, no
// headers, and a hostname or IPv4 host. With StopAtGt the URI ends at the first '>' (which must
// come), else at the end of `rest`; `end` is then where it ends. Writes `u` as it goes (every
// field but scheme, scheme_text, headers and opaque) and returns true only when it is valid;
// anything else (errors included) returns false with `u` partly written, and parse_sip_uri
// gives the verdict. Written in place: copying fields just stored one by one stalls on store
// forwarding. Every byte is read only after the ones before it were taken as part of the URI,
// so a '>' is seen exactly where the text without it would end.
template <bool StopAtGt>
bool scan_sip_uri(std::string_view rest, uri& u, std::size_t& end) noexcept {
  const std::size_t n = rest.size();
  const auto at_end = [&](std::size_t k) { return k >= n || (StopAtGt && rest[k] == '>'); };
  std::size_t i = 0;
  host_kind kind{};
  const bool host_ok = fast::scan_plain_host(rest, i, kind);
  std::size_t host_start = 0;
  u.user = {};
  u.password = {};
  u.has_password = false;
  if (!host_ok || (!at_end(i) && rest[i] != ':' && rest[i] != ';')) {
    // Not a bare host: userinfo up to the first '@' (user chars, then maybe ':' password).
    std::size_t j = host_ok ? i : 0;
    skip_set(rest, j, user_c);
    if (j == 0) return false;
    if (j < n && rest[j] == ':') {
      std::size_t k = j + 1;
      skip_set(rest, k, password_c);
      if (k >= n || rest[k] != '@') return false;
      u.password = rest.substr(j + 1, k - j - 1);
      u.has_password = true;
      host_start = k + 1;
    } else {
      if (j >= n || rest[j] != '@') return false;
      host_start = j + 1;
    }
    u.user = rest.substr(0, j);
    i = host_start;
    if (!fast::scan_plain_host(rest, i, kind)) return false;
    if (!at_end(i) && rest[i] != ':' && rest[i] != ';') return false;
  }
  std::size_t host_end = i;
  std::uint32_t port = 0;
  bool has_port = false;
  if (i < n && rest[i] == ':') {
    // A port, or the password of a user that looked like a host.
    std::size_t k = i + 1;
    while (k < n && chars::is_digit(rest[k]) && port <= 65535) {
      port = port * 10 + std::uint32_t(rest[k] - '0');
      ++k;
    }
    if (k == i + 1 || port > 65535 || (!at_end(k) && rest[k] != ';')) {
      if (host_start != 0) return false;
      skip_set(rest, k, password_c);
      if (k >= n || rest[k] != '@') return false;
      u.user = rest.substr(0, i);
      u.password = rest.substr(i + 1, k - i - 1);
      u.has_password = true;
      port = 0;
      host_start = k + 1;
      i = host_start;
      if (!fast::scan_plain_host(rest, i, kind)) return false;
      if (!at_end(i) && rest[i] != ';') return false;  // a port after a password: the slow path
      host_end = i;
    } else {
      has_port = true;
      i = k;
    }
  }
  u.host = rest.substr(host_start, host_end - host_start);
  u.host_type = kind;
  u.port = static_cast<std::uint16_t>(port);
  u.has_port = has_port;
  // Parameters: ;name[=value], no escapes, no headers.
  u.transport = {};
  u.user_param = {};
  u.method = {};
  u.ttl = {};
  u.maddr = {};
  bool lr = false;
  const std::size_t params_start = i;
  while (!at_end(i)) {
    if (rest[i] != ';') return false;
    const std::size_t name_start = ++i;
    skip_set(rest, i, param_c);
    if (i == name_start) return false;
    const std::string_view name = rest.substr(name_start, i - name_start);
    std::string_view value;
    if (i < n && rest[i] == '=') {
      const std::size_t value_start = ++i;
      skip_set(rest, i, param_c);
      if (i == value_start) return false;
      value = rest.substr(value_start, i - value_start);
    }
    std::string_view* field = nullptr;
    switch (classify_plain(name)) {
      case known_param::none:
        continue;
      case known_param::lr:
        if (lr) return false;
        lr = true;
        continue;
      case known_param::transport:
        if (!fast::is_token_text(value)) return false;
        field = &u.transport;
        break;
      case known_param::user:
        if (!fast::is_token_text(value)) return false;
        field = &u.user_param;
        break;
      case known_param::method:
        if (!fast::is_token_text(value)) return false;
        field = &u.method;
        break;
      case known_param::ttl:
        if (!is_ttl(value)) return false;
        field = &u.ttl;
        break;
      case known_param::maddr: {
        host_kind k{};
        if (parse_host(value, k) != error_code::none) return false;
        field = &u.maddr;
        break;
      }
    }
    if (!field->empty()) return false;
    *field = value;
  }
  if (StopAtGt && i >= n) return false;  // no '>'
  end = i;
  u.params = i > params_start ? rest.substr(params_start, i - params_start) : std::string_view{};
  u.lr = lr;
  u.headers = {};
  u.opaque = {};
  return true;
}

// Length of a "sip:" or "sips:" prefix (any case) of `text` with its scheme; 0 when none.
std::size_t sip_prefix(std::string_view text, uri_scheme& scheme) noexcept {
  if (text.size() < 4 || chars::to_lower(text[0]) != 's' || chars::to_lower(text[1]) != 'i' ||
      chars::to_lower(text[2]) != 'p')
    return 0;
  if (text[3] == ':') {
    scheme = uri_scheme::sip;
    return 4;
  }
  if (text.size() >= 5 && chars::to_lower(text[3]) == 's' && text[4] == ':') {
    scheme = uri_scheme::sips;
    return 5;
  }
  return 0;
}

// How many headers of `list` equal `h` (name case-insensitively, value exactly; both unescaped).
std::size_t count_header(std::string_view list, const uri_header& h) noexcept {
  uri_header_reader r(list);
  uri_header x;
  std::size_t n = 0;
  while (r.next(x))
    if (escaped_equal(x.name, h.name, true) && escaped_equal(x.value, h.value, false)) ++n;
  return n;
}

bool same_optional(std::string_view a, std::string_view b) noexcept {
  if (a.empty() != b.empty()) return false;
  return escaped_equal(a, b, true);
}

}  // namespace

bool uri_param_reader::fail() noexcept {
  _error = error_code::bad_uri;
  _error_at = _pos;
  _pos = _text.size();
  return false;
}

bool uri_param_reader::next(uri_param& param) noexcept {
  if (_error != error_code::none || _pos >= _text.size()) return false;
  if (_text[_pos] != ';') return fail();
  ++_pos;
  bool bad = false;
  const std::size_t name_len = span_of(_text, _pos, param_c, &bad);
  if (name_len == 0 || bad) {
    _pos += name_len;
    return fail();
  }
  param = uri_param{};
  param.name = _text.substr(_pos, name_len);
  _pos += name_len;
  if (_pos < _text.size() && _text[_pos] == '=') {
    ++_pos;
    const std::size_t value_len = span_of(_text, _pos, param_c, &bad);
    if (value_len == 0 || bad) {
      _pos += value_len;
      return fail();
    }
    param.value = _text.substr(_pos, value_len);
    param.has_value = true;
    _pos += value_len;
  }
  if (_pos < _text.size() && _text[_pos] != ';') return fail();
  return true;
}

bool find_uri_param(std::string_view params, std::string_view name, uri_param& out) noexcept {
  uri_param_reader r(params);
  uri_param p;
  while (r.next(p)) {
    if (escaped_equal(p.name, name, true)) {
      out = p;
      return true;
    }
  }
  return false;
}

bool uri_header_reader::fail() noexcept {
  _error = error_code::bad_uri;
  _error_at = _pos;
  _pos = _text.size() + 1;
  return false;
}

bool uri_header_reader::next(uri_header& header) noexcept {
  // _pos > size marks the end; the first header starts at 0, each later one after an '&'.
  if (_error != error_code::none || _pos > _text.size() || _text.empty()) return false;
  bool bad = false;
  const std::size_t name_len = span_of(_text, _pos, header_c, &bad);
  if (name_len == 0 || bad) {
    _pos += name_len;
    return fail();
  }
  header = uri_header{};
  header.name = _text.substr(_pos, name_len);
  _pos += name_len;
  if (_pos >= _text.size() || _text[_pos] != '=') return fail();
  ++_pos;
  const std::size_t value_len = span_of(_text, _pos, header_c, &bad);
  if (bad) {
    _pos += value_len;
    return fail();
  }
  header.value = _text.substr(_pos, value_len);
  _pos += value_len;
  if (_pos < _text.size() && _text[_pos] != '&') return fail();
  ++_pos;  // past the '&' (a header must follow), or past the end
  return true;
}

std::size_t unescape(std::string_view in, char* out) noexcept {
  decoder d{in};
  unsigned char byte = 0;
  bool escaped = false;
  std::size_t n = 0;
  while (d.next(byte, escaped)) out[n++] = static_cast<char>(byte);
  return n;
}

bool escaped_equal(std::string_view a, std::string_view b, bool ignore_case) noexcept {
  decoder da{a}, db{b};
  unsigned char x = 0, y = 0;
  bool ex = false, ey = false;
  for (;;) {
    const bool more_a = da.next(x, ex);
    const bool more_b = db.next(y, ey);
    if (!more_a || !more_b) return more_a == more_b;
    if (ignore_case) {
      x = static_cast<unsigned char>(chars::to_lower(static_cast<char>(x)));
      y = static_cast<unsigned char>(chars::to_lower(static_cast<char>(y)));
    }
    if (x != y) return false;
    if (ex != ey && in_set(static_cast<char>(x), reserved_c)) return false;
  }
}

bool detail::scan_bracketed_sip_uri(std::string_view s, std::size_t from, std::size_t& close,
                                    uri& u) noexcept {
  const std::string_view text = s.substr(from);
  const std::size_t skip = sip_prefix(text, u.scheme);
  std::size_t end = 0;
  if (skip == 0 || !scan_sip_uri<true>(text.substr(skip), u, end)) return false;
  u.scheme_text = text.substr(0, skip - 1);
  close = from + skip + end;
  return true;
}

error_code parse_uri(std::string_view text, uri& out) noexcept {
  return parse_uri_with(active_simd_level(), text, out);
}

error_code parse_uri_with(simd_level level, std::string_view text, uri& out) noexcept {
  if (level == simd_level::avx512 && avx512::sip_uri(text, out)) return error_code::none;
  // "sip:" and "sips:" (any case) with a plain user, host, port and parameters: one pass.
  {
    const std::size_t skip = sip_prefix(text, out.scheme);
    std::size_t end = 0;
    if (skip != 0 && scan_sip_uri<false>(text.substr(skip), out, end)) {
      out.scheme_text = text.substr(0, skip - 1);
      return error_code::none;
    }
  }
  const std::size_t colon = fast::find(text, ':');
  if (colon == std::string_view::npos) return error_code::bad_uri;
  uri u;
  u.scheme_text = text.substr(0, colon);
  if (!is_scheme(u.scheme_text)) return error_code::bad_uri;
  const std::string_view rest = text.substr(colon + 1);
  if (iequals(u.scheme_text, "sip")) u.scheme = uri_scheme::sip;
  else if (iequals(u.scheme_text, "sips")) u.scheme = uri_scheme::sips;
  else if (iequals(u.scheme_text, "tel")) u.scheme = uri_scheme::tel;
  else u.scheme = uri_scheme::other;

  if (u.scheme == uri_scheme::sip || u.scheme == uri_scheme::sips) {
    if (const auto e = parse_sip_uri(rest, u); e != error_code::none) return e;
  } else {
    u.opaque = rest;
    if (rest.empty() || !all_of(rest, u.scheme == uri_scheme::tel ? tel_c : uric_c))
      return error_code::bad_uri;
  }
  out = u;
  return error_code::none;
}

bool uri_equal(const uri& a, const uri& b) noexcept {
  if (a.scheme != b.scheme) return false;  // sip never equals sips
  if (a.scheme == uri_scheme::tel || a.scheme == uri_scheme::other)
    return iequals(a.scheme_text, b.scheme_text) && escaped_equal(a.opaque, b.opaque, false);

  // userinfo is case-sensitive; host is not; a default port is not the same as no port.
  if (!escaped_equal(a.user, b.user, false) || a.has_password != b.has_password ||
      !escaped_equal(a.password, b.password, false) || !host_equal(a.host, b.host) ||
      a.has_port != b.has_port || a.port != b.port)
    return false;

  // These parameters must match even when only one URI has them.
  if (!same_optional(a.transport, b.transport) || !same_optional(a.user_param, b.user_param) ||
      !same_optional(a.method, b.method) || !same_optional(a.ttl, b.ttl) ||
      !same_optional(a.maddr, b.maddr))
    return false;

  // Any other parameter is compared only when both URIs have it.
  uri_param_reader ra(a.params);
  uri_param pa, pb;
  while (ra.next(pa)) {
    const known_param k = classify(pa.name);
    if (k != known_param::none && k != known_param::lr) continue;
    if (find_uri_param(b.params, pa.name, pb) &&
        (pa.has_value != pb.has_value || !escaped_equal(pa.value, pb.value, true)))
      return false;
  }

  // Headers are never ignored: the same multiset on both sides, in any order.
  std::size_t count_a = 0, count_b = 0;
  uri_header_reader ha(a.headers), hb(b.headers);
  uri_header h;
  while (hb.next(h)) ++count_b;
  while (ha.next(h)) {
    ++count_a;
    if (count_header(a.headers, h) != count_header(b.headers, h)) return false;
  }
  return count_a == count_b;
}

}  // namespace sipring::parser
