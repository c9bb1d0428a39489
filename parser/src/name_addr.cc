#include "sipring/parser/name_addr.h"

#include <array>

#include "char_class.h"
#include "fast_scan.h"
#include "sipring/parser/header_params.h"
#include "sipring/parser/header_values.h"
#include "typed_avx512.h"
#include "uri.h"

namespace sipring::parser {

namespace {

// scheme ":" with scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (RFC 3261 §25.1).
constexpr bool has_scheme(std::string_view uri) noexcept {
  if (uri.empty() || !chars::is(uri[0], chars::alpha)) return false;
  for (std::size_t i = 1; i < uri.size(); ++i) {
    const char c = uri[i];
    if (c == ':') return true;
    if (!chars::is(c, chars::alpha | chars::digit) && c != '+' && c != '-' && c != '.') return false;
  }
  return false;
}

// What this parser checks of a URI; the rest is parse_uri's job.
constexpr error_code check_uri(std::string_view uri) noexcept {
  if (!has_scheme(uri)) return error_code::bad_uri;
  for (char c : uri)
    if (is_lws(c) || chars::is(c, chars::ctl)) return error_code::bad_uri;
  return error_code::none;
}

// Bytes of an <addr-spec> that need no second look: not LWS, a control, '<', '"' or '>'.
constexpr std::array<bool, 256> make_plain_uri_table() {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c)
    t[static_cast<std::size_t>(c)] = !chars::is(static_cast<char>(c), chars::ctl) && c != ' ' &&
                                     c != '<' && c != '"' && c != '>';
  return t;
}
constexpr std::array<bool, 256> plain_uri = make_plain_uri_table();

// Index of the first byte of s at or after i that plain_uri does not pass; s.size() if none.
std::size_t next_not_plain_uri(std::string_view s, std::size_t i) noexcept {
  using namespace detail;
  if (use_swar()) {
    for (; i + 8 <= s.size(); i += 8) {
      const std::uint64_t v = load8(s.data() + i);
      // Bytes below 0x21 (controls and SP), DEL, '"', and '<' or '>' (which differ in bit 1).
      const std::uint64_t m = ((v - swar_ones * 0x21) & ~v & (swar_ones * 0x80)) |
                              equal_bytes(v, 0x7f) | equal_bytes(v, '"') |
                              equal_bytes(v | (swar_ones * 2), '>');
      if (m != 0) return i + static_cast<std::size_t>(std::countr_zero(m) / 8);
    }
  }
  while (i < s.size() && plain_uri[static_cast<unsigned char>(s[i])]) ++i;
  return i;
}

constexpr std::size_t skip_lws(std::string_view s, std::size_t i) noexcept {
  while (i < s.size() && is_lws(s[i])) ++i;
  return i;
}

// Characters of an unquoted header parameter value (header_param_reader's set).
constexpr bool is_value_char(char c) noexcept {
  return chars::is_token(c) || c == ':' || c == '[' || c == ']';
}

// The usual params in one pass: `*(;token[=value])` with no LWS, in `text` that starts at ';'
// (or is empty) and has no LWS at its end. Sets out's params, tag, expires and q (whose
// fields are empty on entry) and returns true when they are valid; false for anything else,
// errors included, which read_params then handles (out's tag, expires and q may then be set).
// Written in place: copying fields just stored one by one stalls on store forwarding.
bool read_plain_params(std::string_view text, name_addr& out) noexcept {
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    if (text[i] != ';') return false;
    const std::size_t name_start = ++i;
    while (i < n && chars::is_token(text[i])) ++i;
    if (i == name_start) return false;
    const std::string_view name = text.substr(name_start, i - name_start);
    std::string_view value;
    bool has_value = false;
    bool quoted = false;
    if (i < n && text[i] == '=') {
      const std::size_t value_start = ++i;
      if (i < n && text[i] == '"') {
        const std::size_t length = quoted_string_length(text.substr(i));
        if (length == 0) return false;
        i += length;
        quoted = true;
      } else {
        while (i < n && is_value_char(text[i])) ++i;
        if (i == value_start) return false;
      }
      value = text.substr(value_start, i - value_start);
      has_value = true;
    }
    std::string_view* field = nullptr;
    switch (name.size()) {
      case 1: if (fast::iequals_lower(name, "q")) field = &out.q; break;
      case 3: if (fast::iequals_lower(name, "tag")) field = &out.tag; break;
      case 7: if (fast::iequals_lower(name, "expires")) field = &out.expires; break;
      default: break;
    }
    if (field == nullptr) continue;
    if (!has_value || quoted || !field->empty()) return false;
    *field = value;
  }
  if (!out.tag.empty() && !fast::is_token_text(out.tag)) return false;
  if (!out.expires.empty()) {
    std::uint32_t seconds;
    if (!parse_delta_seconds(out.expires, seconds)) return false;
  }
  if (!out.q.empty()) {
    std::uint16_t thousandths;
    if (!parse_qvalue(out.q, thousandths)) return false;
  }
  out.params = text;
  return true;
}

// Reads the header params after the address and picks out tag, expires and q.
error_code read_params(std::string_view text, name_addr& out) noexcept {
  if (read_plain_params(text, out)) return error_code::none;
  out.tag = {};
  out.expires = {};
  out.q = {};
  out.params = trim_lws(text);
  header_param_reader reader(out.params);
  header_param p;
  while (reader.next(p)) {
    std::string_view* field = nullptr;
    switch (p.name.size()) {
      case 1: if (fast::iequals_lower(p.name, "q")) field = &out.q; break;
      case 3: if (fast::iequals_lower(p.name, "tag")) field = &out.tag; break;
      case 7: if (fast::iequals_lower(p.name, "expires")) field = &out.expires; break;
      default: break;
    }
    if (field == nullptr) continue;
    // Each is a single token-like value, given once.
    if (!p.has_value || p.quoted || !field->empty()) return error_code::bad_param;
    *field = p.value;
  }
  if (reader.error() != error_code::none) return reader.error();
  if (!out.tag.empty()) {
    for (char c : out.tag)
      if (!chars::is_token(c)) return error_code::bad_param;
  }
  if (!out.expires.empty()) {
    for (char c : out.expires)
      if (!chars::is_digit(c)) return error_code::bad_param;
    std::uint32_t seconds;
    if (!parse_delta_seconds(out.expires, seconds)) return error_code::bad_number;
  }
  if (!out.q.empty()) {
    std::uint16_t thousandths;
    if (!parse_qvalue(out.q, thousandths)) return error_code::bad_param;
  }
  return error_code::none;
}

// `<addr-spec>` at s[i] == '<', then params.
error_code parse_angle(std::string_view s, std::size_t i, name_addr& out) noexcept {
  // One pass to the '>' when the URI holds no LWS, control, '<' or '"' (the usual case).
  std::size_t close = next_not_plain_uri(s, i + 1);
  if (close < s.size() && s[close] == '>') {
    out.angle_brackets = true;
    out.uri = s.substr(i + 1, close - i - 1);
    if (!has_scheme(out.uri)) return error_code::bad_uri;
  } else {
    close = fast::find(s, '>', i + 1);
    if (close == std::string_view::npos) return error_code::bad_name_addr;
    out.angle_brackets = true;
    out.uri = s.substr(i + 1, close - i - 1);
    if (const error_code e = check_uri(out.uri); e != error_code::none) return e;
    for (const char c : out.uri)
      if (c == '<' || c == '"') return error_code::bad_name_addr;
  }
  const std::size_t after = skip_lws(s, close + 1);
  if (after < s.size() && s[after] != ';') return error_code::bad_name_addr;
  return read_params(s.substr(after), out);
}

}  // namespace

error_code parse_name_addr(std::string_view element, name_addr& out) noexcept {
  // Field by field: a whole-struct reset compiles to a slow `rep stos`.
  out.display_name = {};
  out.display_quoted = false;
  out.uri = {};
  out.angle_brackets = false;
  out.params = {};
  out.tag = {};
  out.expires = {};
  out.q = {};
  const std::string_view s = trim_lws(element);
  if (s.empty()) return error_code::bad_name_addr;

  if (s[0] == '"') {
    const std::size_t n = quoted_string_length(s);
    if (n == 0) return error_code::bad_quoting;
    out.display_name = unquote(s.substr(0, n));
    out.display_quoted = true;
    const std::size_t lt = skip_lws(s, n);
    if (lt >= s.size() || s[lt] != '<') return error_code::bad_name_addr;
    return parse_angle(s, lt, out);
  }
  if (s[0] == '<') return parse_angle(s, 0, out);

  // Either `token *(LWS token) [LWS] <` (LWS before '<' may be missing, RFC 4475 lwsdisp) or a
  // bare addr-spec.
  std::size_t i = 0, name_end = 0;
  while (i < s.size()) {
    if (chars::is_token(s[i])) {
      while (i < s.size() && chars::is_token(s[i])) ++i;
      name_end = i;
      i = skip_lws(s, i);
    } else {
      break;
    }
  }
  if (i < s.size() && s[i] == '<') {
    out.display_name = s.substr(0, name_end);
    return parse_angle(s, i, out);
  }

  // Bare addr-spec (§20.10): every ';' starts a header param, so the URI cannot hold one, nor
  // '?' or ','.
  const std::size_t semi = fast::find(s, ';');
  out.uri = trim_lws(s.substr(0, semi));
  if (const error_code e = check_uri(out.uri); e != error_code::none) {
    // A display name without its <addr-spec>, or stray quotes and brackets, are structure.
    for (char c : out.uri)
      if (c == '"' || c == '>') return error_code::bad_name_addr;
    return e;
  }
  for (char c : out.uri)
    if (c == '?' || c == ',' || c == '<' || c == '>' || c == '"') return error_code::bad_name_addr;
  return semi == std::string_view::npos ? error_code::none : read_params(s.substr(semi), out);
}

error_code parse_name_addr_uri(std::string_view element, name_addr& na, uri& u) noexcept {
  return parse_name_addr_uri_with(active_simd_level(), element, na, u);
}

namespace {

// The one-pass form of an element, `[display-name] <sip:...> *(;param)` with a URI that
// scan_bracketed_sip_uri takes, starting at s[0] (not LWS). The element ends at the end of `s`
// or, when `in_list`, at a ',' outside quotes; `end` is then the index of that ',' (s.size()
// when none). True when it is that form and valid, with `na` and `u` written as
// parse_name_addr_uri gives them; false for anything else (both may then be partly written).
bool one_pass(std::string_view s, bool in_list, std::size_t& end, name_addr& na, uri& u) noexcept {
  // Field by field: a whole-struct reset compiles to a slow `rep stos`.
  na.display_name = {};
  na.display_quoted = false;
  na.uri = {};
  na.angle_brackets = false;
  na.params = {};
  na.tag = {};
  na.expires = {};
  na.q = {};
  std::size_t lt = std::string_view::npos;
  if (!s.empty() && s[0] == '<') {
    lt = 0;
  } else if (!s.empty() && s[0] == '"') {
    const std::size_t n = quoted_string_length(s);
    if (n == 0) return false;
    na.display_name = unquote(s.substr(0, n));
    na.display_quoted = true;
    lt = skip_lws(s, n);
  } else {
    std::size_t i = 0, name_end = 0;
    while (i < s.size() && chars::is_token(s[i])) {
      while (i < s.size() && chars::is_token(s[i])) ++i;
      name_end = i;
      i = skip_lws(s, i);
    }
    na.display_name = s.substr(0, name_end);
    lt = i;
  }
  std::size_t close = 0;
  if (lt >= s.size() || s[lt] != '<' || !detail::scan_bracketed_sip_uri(s, lt + 1, close, u))
    return false;
  // The element's tail after the '>': up to its ',' (outside quotes) in a list.
  end = s.size();
  if (in_list) {
    for (std::size_t i = close + 1; (i = detail::next_list_special(s, i)) < s.size();) {
      if (s[i] == ',') {
        end = i;
        break;
      }
      if (s[i] != '"') return false;  // '<' or '>' after the address: the general path
      const std::size_t n = quoted_string_length(s.substr(i));
      if (n == 0) return false;
      i += n;
    }
  }
  const std::string_view tail = trim_lws(s.substr(close + 1, end - close - 1));
  if (!tail.empty() && tail[0] != ';') return false;
  // read_params takes the params from their ';' (or empty at the element's end).
  const std::string_view params = tail.empty() ? s.substr(close + 1, 0) : tail;
  if (read_params(params, na) != error_code::none) return false;
  na.angle_brackets = true;
  na.uri = s.substr(lt + 1, close - lt - 1);
  return true;
}

}  // namespace

bool detail::parse_plain_name_addr(simd_level level, std::string_view header_value,
                                   std::size_t& pos, name_addr& na, uri& u) noexcept {
  if (level == simd_level::avx512 && avx512::name_addr_element(header_value, pos, true, na, u))
    return true;
  const std::size_t begin = skip_lws(header_value, pos);
  std::size_t end = 0;
  if (!one_pass(header_value.substr(begin), true, end, na, u)) return false;
  end += begin;
  pos = end < header_value.size() ? end + 1 : std::string_view::npos;
  return true;
}

error_code parse_name_addr_uri_with(simd_level level, std::string_view element, name_addr& na,
                                    uri& u) noexcept {
  if (level == simd_level::avx512) {
    std::size_t pos = 0;
    if (avx512::name_addr_element(element, pos, false, na, u)) return error_code::none;
  }
  // One pass for the common form; anything else (errors included) is left to the two calls,
  // which give the verdict.
  std::size_t end = 0;
  if (one_pass(trim_lws(element), false, end, na, u)) return error_code::none;
  if (const error_code e = parse_name_addr(element, na); e != error_code::none) return e;
  return parse_uri_with(level, na.uri, u);
}

bool is_contact_star(std::string_view contact_value) noexcept {
  return trim_lws(contact_value) == "*";
}

bool parse_qvalue(std::string_view q, std::uint16_t& thousandths) noexcept {
  // qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
  if (q.empty() || (q[0] != '0' && q[0] != '1')) return false;
  const bool one = q[0] == '1';
  if (q.size() == 1) {
    thousandths = one ? 1000 : 0;
    return true;
  }
  if (q[1] != '.' || q.size() > 5) return false;
  std::uint16_t value = 0, scale = 100;
  for (std::size_t i = 2; i < q.size(); ++i, scale /= 10) {
    if (!chars::is_digit(q[i]) || (one && q[i] != '0')) return false;
    value = static_cast<std::uint16_t>(value + (q[i] - '0') * scale);
  }
  thousandths = one ? 1000 : value;
  return true;
}

bool parse_delta_seconds(std::string_view digits, std::uint32_t& seconds) noexcept {
  if (digits.empty()) return false;
  std::uint64_t value = 0;
  for (char c : digits) {
    if (!chars::is_digit(c)) return false;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
    if (value > 0xffffffffULL) return false;
  }
  seconds = static_cast<std::uint32_t>(value);
  return true;
}

}  // namespace sipring::parser
