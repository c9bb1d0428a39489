#include "sipring/parser/auth.h"

#include "char_class.h"
#include "sipring/parser/header_params.h"
#include "sipring/parser/header_values.h"

namespace sipring::parser {

namespace {

enum class auth_kind { credentials, challenge };

constexpr bool all_of(std::string_view s, bool (*pred)(char) noexcept) noexcept {
  for (char c : s)
    if (!pred(c)) return false;
  return true;
}

constexpr bool is_token_text(std::string_view s) noexcept {
  return !s.empty() && all_of(s, chars::is_token);
}

// qop-options list: token *( LWS? "," LWS? token ).
bool is_token_list(std::string_view s) noexcept {
  std::size_t i = 0;
  for (;;) {
    while (i < s.size() && is_lws(s[i])) ++i;
    const std::size_t start = i;
    while (i < s.size() && chars::is_token(s[i])) ++i;
    if (i == start) return false;
    while (i < s.size() && is_lws(s[i])) ++i;
    if (i == s.size()) return true;
    if (s[i++] != ',') return false;
  }
}

// The field a known Digest param fills, or nullptr for an extension param.
std::string_view* field_for(std::string_view name, auth_value& v, auth_kind kind) noexcept {
  struct entry {
    std::string_view name;
    std::string_view auth_value::*field;
    bool in_credentials, in_challenge;
  };
  static constexpr entry table[] = {
      {"username", &auth_value::username, true, false},
      {"realm", &auth_value::realm, true, true},
      {"nonce", &auth_value::nonce, true, true},
      {"uri", &auth_value::uri, true, false},
      {"response", &auth_value::response, true, false},
      {"algorithm", &auth_value::algorithm, true, true},
      {"cnonce", &auth_value::cnonce, true, false},
      {"opaque", &auth_value::opaque, true, true},
      {"qop", &auth_value::qop, true, true},
      {"nc", &auth_value::nc, true, false},
      {"stale", &auth_value::stale, false, true},
      {"domain", &auth_value::domain, false, true},
  };
  for (const entry& e : table) {
    const bool applies = kind == auth_kind::credentials ? e.in_credentials : e.in_challenge;
    if (applies && iequals(name, e.name)) return &(v.*e.field);
  }
  return nullptr;
}

// A field was given, possibly as "" (a default view has no data, a parsed one always has).
constexpr bool present(std::string_view field) noexcept { return field.data() != nullptr; }

// Checks the values whose syntax the parser knows (RFC 2617 §3.2, RFC 8760 §2).
bool valid_fields(const auth_value& v, auth_kind kind) noexcept {
  if (kind == auth_kind::credentials) {
    if (present(v.nc) && (v.nc.size() != 8 || !all_of(v.nc, chars::is_hex))) return false;
    // 32 hex digits for MD5, 64 for SHA-256 and SHA-512/256; only the digits are checked.
    if (present(v.response) && (v.response.empty() || !all_of(v.response, chars::is_hex))) return false;
    if (present(v.qop) && !is_token_text(v.qop)) return false;
  } else {
    if (present(v.stale) && !iequals(v.stale, "true") && !iequals(v.stale, "false")) return false;
    if (present(v.qop) && !is_token_list(v.qop)) return false;
  }
  if (present(v.algorithm) && !is_token_text(v.algorithm)) return false;
  return true;
}

error_code parse_auth(std::string_view value, auth_value& out, auth_kind kind) noexcept {
  out = auth_value{};
  const std::string_view s = trim_lws(value);
  std::size_t i = 0;
  while (i < s.size() && chars::is_token(s[i])) ++i;
  if (i == 0 || (i < s.size() && !is_lws(s[i]))) return error_code::bad_auth;
  out.scheme = s.substr(0, i);
  out.params = trim_lws(s.substr(i));
  out.is_digest = iequals(out.scheme, "Digest");
  if (!out.is_digest) return error_code::none;  // other schemes are passed on as they are

  auth_param_reader reader(out.params);
  auth_param p;
  bool any = false;
  while (reader.next(p)) {
    any = true;
    std::string_view* field = field_for(p.name, out, kind);
    if (field == nullptr) continue;
    if (present(*field)) return error_code::bad_auth;  // a repeated known param is ambiguous
    *field = p.value;
  }
  if (reader.error() != error_code::none) return reader.error();
  if (!any) return error_code::bad_auth;
  return valid_fields(out, kind) ? error_code::none : error_code::bad_auth;
}

}  // namespace

bool auth_param_reader::fail(error_code code) noexcept {
  _error = code;
  _pos = _text.size();
  return false;
}

bool auth_param_reader::next(auth_param& param) noexcept {
  if (_error != error_code::none) return false;
  auto skip_lws = [this] {
    while (_pos < _text.size() && is_lws(_text[_pos])) ++_pos;
  };
  skip_lws();
  if (_pos >= _text.size()) return false;
  if (_started) {
    if (_text[_pos] != ',') return fail(error_code::bad_auth);
    ++_pos;
    skip_lws();
  }
  _started = true;
  const std::size_t name_start = _pos;
  while (_pos < _text.size() && chars::is_token(_text[_pos])) ++_pos;
  if (_pos == name_start) return fail(error_code::bad_auth);
  param = auth_param{};
  param.name = _text.substr(name_start, _pos - name_start);
  skip_lws();
  if (_pos >= _text.size() || _text[_pos] != '=') return fail(error_code::bad_auth);
  ++_pos;
  skip_lws();
  if (_pos < _text.size() && _text[_pos] == '"') {
    const std::size_t n = quoted_string_length(_text.substr(_pos));
    if (n == 0) return fail(error_code::bad_quoting);
    param.value = unquote(_text.substr(_pos, n));
    param.quoted = true;
    _pos += n;
  } else {
    const std::size_t value_start = _pos;
    while (_pos < _text.size() && chars::is_token(_text[_pos])) ++_pos;
    if (_pos == value_start) return fail(error_code::bad_auth);
    param.value = _text.substr(value_start, _pos - value_start);
  }
  // What follows must be LWS then ',' or the end; checked on the next call, but a stray byte
  // right here would otherwise only surface then.
  std::size_t after = _pos;
  while (after < _text.size() && is_lws(_text[after])) ++after;
  if (after < _text.size() && _text[after] != ',') return fail(error_code::bad_auth);
  return true;
}

error_code parse_credentials(std::string_view value, credentials& out) noexcept {
  return parse_auth(value, out, auth_kind::credentials);
}

error_code parse_challenge(std::string_view value, challenge& out) noexcept {
  return parse_auth(value, out, auth_kind::challenge);
}

bool qop_offers(std::string_view qop_list, std::string_view option) noexcept {
  std::size_t i = 0;
  while (i < qop_list.size()) {
    const std::size_t comma = qop_list.find(',', i);
    const std::size_t end = comma == std::string_view::npos ? qop_list.size() : comma;
    if (iequals(trim_lws(qop_list.substr(i, end - i)), option)) return true;
    i = end + 1;
  }
  return false;
}

bool is_stale(const challenge& c) noexcept { return iequals(c.stale, "true"); }

}  // namespace sipring::parser
