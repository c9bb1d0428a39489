#pragma once
// Whole-string character-class checks shared by the typed header parsers.

#include <string_view>

#include "char_class.h"

namespace sipring::parser {

/// True when `s` is a non-empty run of token characters (RFC 3261 §25.1 token).
constexpr bool is_token_text(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (const char c : s)
    if (!chars::is_token(c)) return false;
  return true;
}

}  // namespace sipring::parser
