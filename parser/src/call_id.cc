#include "sipring/parser/call_id.h"

#include "char_class.h"
#include "fast_scan.h"
#include "sipring/parser/header_values.h"

namespace sipring::parser {

namespace {

constexpr bool is_word(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (const char c : s)
    if (!chars::is(c, chars::word)) return false;
  return true;
}

}  // namespace

error_code validate_call_id(std::string_view value) noexcept {
  const std::string_view v = trim_lws(value);
  const std::size_t at = fast::find(v, '@');
  const bool ok = at == std::string_view::npos
                      ? is_word(v)
                      : is_word(v.substr(0, at)) && is_word(v.substr(at + 1));
  return ok ? error_code::none : error_code::bad_call_id;
}

}  // namespace sipring::parser
