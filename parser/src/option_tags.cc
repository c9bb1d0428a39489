#include "sipring/parser/option_tags.h"

#include "sipring/parser/header_params.h"
#include "token_text.h"

namespace sipring::parser {

bool option_tag_reader::next(std::string_view& tag) noexcept {
  if (_done) return false;
  std::string_view element;
  if (!_list.next(element)) {
    _done = true;
    return false;
  }
  if (!is_token_text(element)) {
    _error = error_code::bad_option_tag;
    _done = true;
    return false;
  }
  tag = element;
  return true;
}

error_code validate_option_tags(std::string_view value, empty_list empty) noexcept {
  option_tag_reader reader(value);
  std::string_view tag;
  bool any = false;
  while (reader.next(tag)) any = true;
  if (reader.error() != error_code::none) return reader.error();
  return any || empty == empty_list::allowed ? error_code::none : error_code::bad_option_tag;
}

bool contains_option_tag(std::string_view value, std::string_view tag) noexcept {
  option_tag_reader reader(value);
  std::string_view t;
  while (reader.next(t))
    if (iequals(t, tag)) return true;
  return false;
}

}  // namespace sipring::parser
