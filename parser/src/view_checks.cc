#include "view_checks.h"

#include "char_class.h"
#include "sipring/parser/cseq.h"
#include "sipring/parser/numeric_headers.h"

namespace sipring::parser::internal {

namespace {

constexpr std::uint64_t bit(header_id id) noexcept { return std::uint64_t{1} << static_cast<unsigned>(id); }

// An error in a header's value, reported at the value's first byte.
parse_error at(const header_field& h, error_code code) noexcept {
  return {code, h.value.offset};
}

// The number of 1 to 9 digits that makes up all of `s`, or -1 (then the full parser decides).
std::int64_t short_number(std::string_view s) noexcept {
  if (s.empty() || s.size() > 9) return -1;
  std::int64_t v = 0;
  for (const char c : s) {
    if (!chars::is_digit(c)) return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

// Whether CSeq's value is certainly well-formed (and matches a request's method): 1 to 9
// digits, one SP, then the method. Anything else goes to parse_cseq, which says what is wrong.
bool plain_cseq(const message_view& m, std::string_view v) noexcept {
  std::size_t i = 0;
  while (i < v.size() && i < 10 && chars::is_digit(v[i])) ++i;
  if (i == 0 || i > 9 || i >= v.size() || v[i] != ' ') return false;
  const std::string_view method = v.substr(i + 1);
  if (m.is_request()) return method == m.method_token();
  if (method.empty()) return false;
  for (const char c : method)
    if (!chars::is_token(c)) return false;
  return true;
}

check_result check_in_full(const message_view& m, const parse_options& options,
                           std::uint32_t header_end) noexcept {
  check_result r;
  struct mandatory {
    header_id id;
    error_code missing;
  };
  static constexpr mandatory required[] = {
      {header_id::to, error_code::missing_to},         {header_id::from, error_code::missing_from},
      {header_id::call_id, error_code::missing_call_id}, {header_id::cseq, error_code::missing_cseq},
      {header_id::via, error_code::missing_via},
  };
  for (const auto& h : required)
    if (m.find(h.id) == nullptr) {
      r.error = {h.missing, header_end};
      return r;
    }
  if (m.is_request() && options.require_max_forwards && m.find(header_id::max_forwards) == nullptr) {
    r.error = {error_code::missing_max_forwards, header_end};
    return r;
  }

  if (const header_field* cl = m.find(header_id::content_length)) {
    std::uint32_t length = 0;
    if (const error_code e = parse_content_length(m.value(*cl), length); e != error_code::none) {
      r.error = at(*cl, e);
      return r;
    }
    r.content_length = length;
  }

  const header_field* cseq_header = m.find(header_id::cseq);
  cseq value;
  if (const error_code e = parse_cseq(m.value(*cseq_header), value); e != error_code::none) {
    r.error = at(*cseq_header, e);
    return r;
  }
  // The CSeq method must be the request's (RFC 3261 §8.1.1.5), compared case-sensitively.
  if (m.is_request() && value.method_token != m.method_token())
    r.error = at(*cseq_header, error_code::cseq_method_mismatch);
  return r;
}

}  // namespace

check_result check_message(const message_view& m, const parse_options& options,
                           std::uint32_t header_end, std::uint64_t seen) noexcept {
  // The common case answered from `seen` and two short values; anything unusual is checked in
  // full, which finds the same answer when there is no error and the error when there is one.
  constexpr std::uint64_t required = bit(header_id::to) | bit(header_id::from) |
                                     bit(header_id::call_id) | bit(header_id::cseq) |
                                     bit(header_id::via);
  const bool need_max_forwards = options.require_max_forwards && m.is_request();
  if ((seen & required) != required ||
      (need_max_forwards && (seen & bit(header_id::max_forwards)) == 0))
    return check_in_full(m, options, header_end);
  check_result r;
  if ((seen & bit(header_id::content_length)) != 0) {
    r.content_length = short_number(m.value_of(header_id::content_length));
    if (r.content_length < 0) return check_in_full(m, options, header_end);
  }
  if (!plain_cseq(m, m.value_of(header_id::cseq))) return check_in_full(m, options, header_end);
  return r;
}

}  // namespace sipring::parser::internal
