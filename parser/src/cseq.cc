#include "sipring/parser/cseq.h"

#include "char_class.h"
#include "sipring/parser/header_values.h"
#include "sipring/parser/numeric_headers.h"

namespace sipring::parser {

error_code parse_cseq(std::string_view value, cseq& out) noexcept {
  const std::string_view v = trim_lws(value);
  std::size_t i = 0;
  while (i < v.size() && chars::is_digit(v[i])) ++i;
  const std::string_view digits = v.substr(0, i);
  const std::size_t lws_start = i;
  while (i < v.size() && is_lws(v[i])) ++i;
  const std::size_t method_start = i;
  while (i < v.size() && chars::is_token(v[i])) ++i;
  // Structure first: "99999999999999 INVITE x" is a bad CSeq, not a bad number.
  if (digits.empty() || i == lws_start || method_start == lws_start || i == method_start ||
      i != v.size())
    return error_code::bad_cseq;

  std::uint64_t number = 0;
  if (parse_uint(digits, (std::uint64_t{1} << 31) - 1, number) != error_code::none)
    return error_code::bad_number;
  out.number = static_cast<std::uint32_t>(number);
  out.method_token = v.substr(method_start, i - method_start);
  out.method = lookup_method(out.method_token);
  return error_code::none;
}

}  // namespace sipring::parser
