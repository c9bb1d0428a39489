#include "sipring/parser/call_id.h"

#include "char_class.h"
#include "sipring/parser/header_values.h"

namespace sipring::parser {

error_code validate_call_id(std::string_view value) noexcept {
  // word [ "@" word ] in one pass: word characters, and at most one '@' with a word each side.
  const std::string_view v = trim_lws(value);
  std::size_t at = std::string_view::npos;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (chars::is(v[i], chars::word)) continue;
    if (v[i] != '@' || at != std::string_view::npos) return error_code::bad_call_id;
    at = i;
  }
  const bool ok = !v.empty() && at != 0 && at != v.size() - 1;
  return ok ? error_code::none : error_code::bad_call_id;
}

}  // namespace sipring::parser
