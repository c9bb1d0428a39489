#include "sipring/parser/content_type.h"

#include "char_class.h"
#include "sipring/parser/header_params.h"
#include "sipring/parser/header_values.h"

namespace sipring::parser {

error_code parse_content_type(std::string_view value, media_type& out) noexcept {
  const std::string_view v = trim_lws(value);
  std::size_t i = 0;
  auto skip_lws = [&] {
    while (i < v.size() && is_lws(v[i])) ++i;
  };
  auto read_token = [&] {
    const std::size_t start = i;
    while (i < v.size() && chars::is_token(v[i])) ++i;
    return v.substr(start, i - start);
  };

  const std::string_view type = read_token();
  skip_lws();
  if (type.empty() || i >= v.size() || v[i] != '/') return error_code::bad_content_type;
  ++i;
  skip_lws();
  const std::string_view subtype = read_token();
  if (subtype.empty()) return error_code::bad_content_type;
  skip_lws();
  if (i < v.size() && v[i] != ';') return error_code::bad_content_type;

  const std::string_view params = v.substr(i);
  header_param_reader reader(params);
  header_param p;
  while (reader.next(p))
    if (!p.has_value) return error_code::bad_param;
  if (reader.error() != error_code::none) return reader.error();

  out.type = type;
  out.subtype = subtype;
  out.params = params;
  return error_code::none;
}

}  // namespace sipring::parser
