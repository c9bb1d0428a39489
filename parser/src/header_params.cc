#include "sipring/parser/header_params.h"

#include "char_class.h"
#include "sipring/parser/header_values.h"

namespace sipring::parser {

namespace {

// Characters of a parameter value that is not quoted: token characters plus what a host needs
// (':' and '[' ']' of an IPv6 reference).
constexpr bool is_value_char(char c) noexcept {
  return chars::is_token(c) || c == ':' || c == '[' || c == ']';
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (chars::to_lower(a[i]) != chars::to_lower(b[i])) return false;
  return true;
}

std::size_t quoted_string_length(std::string_view s) noexcept {
  if (s.empty() || s[0] != '"') return 0;
  for (std::size_t i = 1; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '"') return i + 1;
    if (c == '\\') {
      // quoted-pair: any character but CR and LF.
      if (i + 1 >= s.size() || s[i + 1] == '\r' || s[i + 1] == '\n') return 0;
      ++i;
      continue;
    }
    if (chars::is(c, chars::ctl) && !is_lws(c)) return 0;
  }
  return 0;
}

bool header_param_reader::fail(error_code code) noexcept {
  _error = code;
  _error_at = _pos;
  _pos = _text.size();
  return false;
}

bool header_param_reader::next(header_param& param) noexcept {
  if (_error != error_code::none) return false;
  auto skip_lws = [this] {
    while (_pos < _text.size() && is_lws(_text[_pos])) ++_pos;
  };
  skip_lws();
  if (_pos >= _text.size()) return false;
  if (_text[_pos] != ';') return fail(error_code::bad_param);
  ++_pos;
  skip_lws();
  const std::size_t name_start = _pos;
  while (_pos < _text.size() && chars::is_token(_text[_pos])) ++_pos;
  if (_pos == name_start) return fail(error_code::bad_param);
  param = header_param{};
  param.name = _text.substr(name_start, _pos - name_start);
  skip_lws();
  if (_pos < _text.size() && _text[_pos] == '=') {
    ++_pos;
    skip_lws();
    param.has_value = true;
    if (_pos < _text.size() && _text[_pos] == '"') {
      const std::size_t n = quoted_string_length(_text.substr(_pos));
      if (n == 0) return fail(error_code::bad_quoting);
      param.value = _text.substr(_pos, n);
      param.quoted = true;
      _pos += n;
    } else {
      const std::size_t value_start = _pos;
      while (_pos < _text.size() && is_value_char(_text[_pos])) ++_pos;
      if (_pos == value_start) return fail(error_code::bad_param);
      param.value = _text.substr(value_start, _pos - value_start);
    }
  }
  // What follows must be LWS then ';' or the end.
  const std::size_t after = _pos;
  skip_lws();
  if (_pos < _text.size() && _text[_pos] != ';') {
    _pos = after;
    return fail(error_code::bad_param);
  }
  return true;
}

error_code validate_header_params(std::string_view text) noexcept {
  header_param_reader reader(text);
  header_param p;
  while (reader.next(p)) {
  }
  return reader.error();
}

}  // namespace sipring::parser
