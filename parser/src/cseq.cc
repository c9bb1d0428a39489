#include "sipring/parser/cseq.h"

#include "char_class.h"
#include "sipring/parser/header_values.h"

namespace sipring::parser {

error_code parse_cseq(std::string_view value, cseq& out) noexcept {
  const std::string_view v = trim_lws(value);
  // The number as the digits are found; once past the limit it only has to stay there.
  constexpr std::uint64_t max = (std::uint64_t{1} << 31) - 1;
  std::uint64_t number = 0;
  std::size_t i = 0;
  for (; i < v.size() && chars::is_digit(v[i]); ++i)
    if (number <= max) number = number * 10 + static_cast<std::uint64_t>(v[i] - '0');
  const std::string_view digits = v.substr(0, i);
  const std::size_t lws_start = i;
  while (i < v.size() && is_lws(v[i])) ++i;
  const std::size_t method_start = i;
  while (i < v.size() && chars::is_token(v[i])) ++i;
  // Structure first: "99999999999999 INVITE x" is a bad CSeq, not a bad number.
  if (digits.empty() || i == lws_start || method_start == lws_start || i == method_start ||
      i != v.size())
    return error_code::bad_cseq;

  if (number > max) return error_code::bad_number;
  out.number = static_cast<std::uint32_t>(number);
  out.method_token = v.substr(method_start, i - method_start);
  out.method = lookup_method(out.method_token);
  return error_code::none;
}

}  // namespace sipring::parser
