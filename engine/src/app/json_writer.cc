#include "json_writer.h"

namespace sipring::app {

namespace {

// Length of the valid UTF-8 sequence at the start of `s` (RFC 3629: no overlongs, no
// surrogates, at most U+10FFFF); 0 when it is not one.
std::size_t utf8_sequence(std::string_view s) {
  const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char c = b(0);
  std::size_t n;
  unsigned min;
  unsigned code;
  if (c >= 0xc2 && c <= 0xdf) n = 2, min = 0x80, code = c & 0x1f;
  else if (c >= 0xe0 && c <= 0xef) n = 3, min = 0x800, code = c & 0x0f;
  else if (c >= 0xf0 && c <= 0xf4) n = 4, min = 0x10000, code = c & 0x07;
  else return 0;
  if (s.size() < n) return 0;
  for (std::size_t i = 1; i < n; ++i) {
    if ((b(i) & 0xc0) != 0x80) return 0;
    code = (code << 6) | (b(i) & 0x3f);
  }
  if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return 0;
  return n;
}

}  // namespace

void json_writer::before_value() {
  if (_after_key) {
    _after_key = false;
    return;
  }
  if (!_first.empty()) {
    if (!_first.back()) _out += ',';
    _first.back() = false;
  }
}

void json_writer::begin_object() {
  before_value();
  _out += '{';
  _first.push_back(true);
}

void json_writer::end_object() {
  _out += '}';
  _first.pop_back();
}

void json_writer::begin_array() {
  before_value();
  _out += '[';
  _first.push_back(true);
}

void json_writer::end_array() {
  _out += ']';
  _first.pop_back();
}

void json_writer::key(std::string_view name) {
  before_value();
  write_string(name);
  _out += ':';
  _after_key = true;
}

void json_writer::value(std::string_view text) {
  before_value();
  write_string(text);
}

void json_writer::value(std::int64_t number) {
  before_value();
  _out += std::to_string(number);
}

void json_writer::value(bool flag) {
  before_value();
  _out += flag ? "true" : "false";
}

void json_writer::null() {
  before_value();
  _out += "null";
}

void json_writer::optional_field(std::string_view name, std::string_view text) {
  if (!text.empty()) field(name, text);
}

void json_writer::write_string(std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  _out += '"';
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      if (const std::size_t n = utf8_sequence(text.substr(i)); n != 0) {
        _out.append(text.substr(i, n));
        i += n;
        continue;
      }
    }
    ++i;
    switch (c) {
      case '"': _out += "\\\""; continue;
      case '\\': _out += "\\\\"; continue;
      case '\n': _out += "\\n"; continue;
      case '\r': _out += "\\r"; continue;
      case '\t': _out += "\\t"; continue;
      default: break;
    }
    if (c < 0x20 || c >= 0x7f) {
      _out += "\\u00";
      _out += hex[c >> 4];
      _out += hex[c & 0xf];
    } else {
      _out += static_cast<char>(c);
    }
  }
  _out += '"';
}

}  // namespace sipring::app
