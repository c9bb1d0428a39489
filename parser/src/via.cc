#include "sipring/parser/via.h"

#include <array>

#include "char_class.h"
#include "fast_scan.h"
#include "sipring/parser/header_params.h"
#include "typed_avx512.h"
#include "via_params.h"

namespace sipring::parser {

namespace {

// A cursor over one via-parm.
struct cursor {
  std::string_view s;
  std::size_t pos = 0;

  bool at_end() const noexcept { return pos >= s.size(); }
  bool at(char c) const noexcept { return pos < s.size() && s[pos] == c; }
  // Skips LWS; returns whether there was any.
  bool skip_lws() noexcept {
    const std::size_t start = pos;
    while (pos < s.size() && is_lws(s[pos])) ++pos;
    return pos != start;
  }
  std::string_view take_while(bool (*pred)(char) noexcept) noexcept {
    const std::size_t start = pos;
    while (pos < s.size() && pred(s[pos])) ++pos;
    return s.substr(start, pos - start);
  }
};

bool token_char(char c) noexcept { return chars::is_token(c); }
bool hostname_char(char c) noexcept {
  return chars::is(c, chars::alpha | chars::digit) || c == '-' || c == '.';
}
bool digit_char(char c) noexcept { return chars::is_digit(c); }

using fast::is_token_text;

// Reads `protocol-name / protocol-version / transport` with LWS allowed around each '/'.
struct sent_protocol {
  std::string_view protocol_name, protocol_version, transport;
};

bool parse_sent_protocol(cursor& c, sent_protocol& v) noexcept {
  v.protocol_name = c.take_while(token_char);
  c.skip_lws();
  if (v.protocol_name.empty() || !c.at('/')) return false;
  ++c.pos;
  c.skip_lws();
  v.protocol_version = c.take_while(token_char);
  c.skip_lws();
  if (v.protocol_version.empty() || !c.at('/')) return false;
  ++c.pos;
  c.skip_lws();
  v.transport = c.take_while(token_char);
  return !v.transport.empty();
}

// Reads `host [ SWS ":" SWS port ]`.
error_code parse_sent_by(cursor& c, host_port& hp) noexcept {
  const std::size_t start = c.pos;
  if (c.at('[')) {
    const std::size_t close = fast::find(c.s, ']', c.pos);
    if (close == std::string_view::npos) return error_code::bad_via;
    c.pos = close + 1;
  } else {
    c.take_while(hostname_char);
  }
  hp.host = c.s.substr(start, c.pos - start);
  if (parse_host(hp.host, hp.kind) != error_code::none) return error_code::bad_via;
  const std::size_t after_host = c.pos;
  c.skip_lws();
  if (!c.at(':')) {
    c.pos = after_host;
    return error_code::none;
  }
  ++c.pos;
  c.skip_lws();
  if (const auto e = parse_port(c.take_while(digit_char), hp.port); e != error_code::none) return e;
  hp.has_port = true;
  return error_code::none;
}

// The usual via-parm in one pass, starting at s[i] (LWS before it skipped):
// `token/token/token SP+ host[:port] *(;name[=value])` with a hostname or IPv4 host, no quoted
// value and no LWS inside, followed by LWS then the end of `s` or, when `in_list`, a ','.
// Returns true when it is such a via-parm and valid, with `out` holding what parse_via gives
// the trimmed element and `next` the index of the ',' or s.size(); false (out untouched) for
// anything else, errors included.
bool parse_plain(std::string_view s, std::size_t i, bool in_list, via& out,
                 std::size_t& next) noexcept {
  const std::size_t n = s.size();
  while (i < n && is_lws(s[i])) ++i;
  const std::size_t name_start = i;
  while (i < n && chars::is_token(s[i])) ++i;
  if (i == name_start || i >= n || s[i] != '/') return false;
  const std::size_t name_end = i;
  const std::size_t version_start = ++i;
  while (i < n && chars::is_token(s[i])) ++i;
  if (i == version_start || i >= n || s[i] != '/') return false;
  const std::size_t version_end = i;
  const std::size_t transport_start = ++i;
  while (i < n && chars::is_token(s[i])) ++i;
  if (i == transport_start || i >= n || s[i] != ' ') return false;
  const std::size_t transport_end = i;
  do ++i;
  while (i < n && s[i] == ' ');

  const std::size_t host_start = i;
  host_kind kind{};
  if (!fast::scan_plain_host(s, i, kind)) return false;
  const std::size_t host_end = i;
  std::uint32_t port = 0;
  bool has_port = false;
  if (i < n && s[i] == ':') {
    const std::size_t digits = ++i;
    while (i < n && chars::is_digit(s[i]) && port <= 65535) {
      port = port * 10 + std::uint32_t(s[i] - '0');
      ++i;
    }
    if (i == digits || port > 65535) return false;
    has_port = true;
  }

  const std::size_t params_start = i;
  detail::clear_via_params(out);
  while (i < n && s[i] == ';') {
    header_param p;
    const std::size_t pname = ++i;
    while (i < n && chars::is_token(s[i])) ++i;
    if (i == pname) return false;
    p.name = s.substr(pname, i - pname);
    bool token = true;  // the value holds token characters only
    if (i < n && s[i] == '=') {
      const std::size_t pvalue = ++i;
      for (; i < n; ++i) {
        const char c = s[i];
        if (chars::is_token(c)) continue;
        if (c != ':' && c != '[' && c != ']') break;
        token = false;
      }
      if (i == pvalue) return false;  // a quoted value, or none
      p.value = s.substr(pvalue, i - pvalue);
      p.has_value = true;
    }
    if (detail::take_via_param(p, out, token ? detail::value_tokens::yes : detail::value_tokens::no) != error_code::none)
      return false;
  }
  const std::size_t params_end = i;
  while (i < n && is_lws(s[i])) ++i;
  if (i < n && (!in_list || s[i] != ',')) return false;

  out.protocol_name = s.substr(name_start, name_end - name_start);
  out.protocol_version = s.substr(version_start, version_end - version_start);
  out.transport = s.substr(transport_start, transport_end - transport_start);
  out.sent_by.host = s.substr(host_start, host_end - host_start);
  out.sent_by.kind = kind;
  out.sent_by.port = static_cast<std::uint16_t>(port);
  out.sent_by.has_port = has_port;
  out.params = s.substr(params_start, params_end - params_start);
  next = i;
  return true;
}

}  // namespace

bool detail::parse_plain_via(std::string_view header_value, std::size_t& pos, via& out) noexcept {
  std::size_t next = 0;
  if (!parse_plain(header_value, pos, true, out, next)) return false;
  pos = next < header_value.size() ? next + 1 : std::string_view::npos;
  return true;
}

bool detail::parse_plain_via_with(simd_level level, std::string_view header_value,
                                  std::size_t& pos, via& out) noexcept {
  if (level == simd_level::avx512 && avx512::via_element(header_value, pos, out)) return true;
  return parse_plain_via(header_value, pos, out);
}

error_code parse_via(std::string_view element, via& out) noexcept {
  std::size_t next = 0;
  if (parse_plain(element, 0, false, out, next)) return error_code::none;
  cursor c{trim_lws(element)};
  sent_protocol sp;
  if (!parse_sent_protocol(c, sp)) return error_code::bad_via;
  if (!c.skip_lws()) return error_code::bad_via;  // LWS separates sent-protocol from sent-by
  host_port sent_by;
  if (const auto e = parse_sent_by(c, sent_by); e != error_code::none) return e;
  c.skip_lws();
  if (!c.at_end() && !c.at(';')) return error_code::bad_via;
  const std::string_view params = c.s.substr(c.pos);

  detail::clear_via_params(out);
  header_param_reader reader(params);
  header_param p;
  while (reader.next(p))
    if (const auto e = detail::take_via_param(p, out); e != error_code::none) return e;
  if (reader.error() != error_code::none) return reader.error();
  out.protocol_name = sp.protocol_name;
  out.protocol_version = sp.protocol_version;
  out.transport = sp.transport;
  out.sent_by = sent_by;
  out.params = params;
  return error_code::none;
}

}  // namespace sipring::parser
