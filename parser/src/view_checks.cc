#include "view_checks.h"

#include "sipring/parser/cseq.h"
#include "sipring/parser/numeric_headers.h"

namespace sipring::parser::internal {

namespace {

// An error in a header's value, reported at the value's first byte.
parse_error at(const header_field& h, error_code code) noexcept {
  return {code, h.value.offset};
}

}  // namespace

check_result check_message(const message_view& m, const parse_options& options,
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

}  // namespace sipring::parser::internal
