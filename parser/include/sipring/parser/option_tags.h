#pragma once
// Option-tag lists (RFC 3261 §19.2): Require, Proxy-Require, Supported, Unsupported carry
// option-tag *(COMMA option-tag) with option-tag = token. Only Supported may be empty (§20.37).
// Tags are tokens, so they compare case-insensitively (§7.3.1; §19.2 states no exception).

#include <cstdint>
#include <string_view>

#include "sipring/parser/error.h"
#include "sipring/parser/header_values.h"

namespace sipring::parser {

/// Iterates the option tags of one header value without allocating. next() stores the next
/// tag and returns true; it returns false at the end or at a malformed element (empty, or not
/// a token), after which error() is bad_option_tag. An all-LWS value yields no tag and no error.
class option_tag_reader {
 public:
  explicit constexpr option_tag_reader(std::string_view value) noexcept
      : _list(value), _done(trim_lws(value).empty()) {}

  bool next(std::string_view& tag) noexcept;
  error_code error() const noexcept { return _error; }

 private:
  list_splitter _list;
  bool _done;
  error_code _error = error_code::none;
};

/// Whether an empty value is a valid list: only for Supported (RFC 3261 §20.37).
enum class empty_list : std::uint8_t { rejected, allowed };

/// Checks a whole option-tag list; none, or bad_option_tag (an empty value is bad_option_tag
/// unless `empty` is allowed).
error_code validate_option_tags(std::string_view value,
                                empty_list empty = empty_list::rejected) noexcept;

/// True when `tag` is one of the value's tags (ASCII case-insensitive); scanning stops at the
/// first malformed element, so validate the list first where that matters.
bool contains_option_tag(std::string_view value, std::string_view tag) noexcept;

}  // namespace sipring::parser
