#include "parse_all_levels.h"

#include <gtest/gtest.h>

#include <sstream>

namespace sipring::parser::testing {

std::string describe(const parse_result& r) {
  std::ostringstream s;
  s << code_name(r.error.code) << '@' << r.error.offset << " consumed=" << r.consumed;
  if (!r.ok()) return s.str();
  const message_view& m = r.message;
  s << " size=" << m.bytes().size() << " status=" << m.status_code() << " method="
    << m.method_token() << " uri=" << m.request_uri() << " reason=" << m.reason_phrase()
    << " cl=" << m.content_length() << " body=" << m.body_span().offset << '+'
    << m.body_span().length << '\n';
  for (const header_field& h : m.headers())
    s << static_cast<int>(h.id) << ' ' << h.name.offset << '+' << h.name.length << ' '
      << h.value.offset << '+' << h.value.length << '\n';
  return s.str();
}

std::vector<simd_level> runnable_levels() {
  std::vector<simd_level> out;
  for (auto level : {simd_level::scalar, simd_level::avx2, simd_level::avx512})
    if (cpu_supports(level)) out.push_back(level);
  return out;
}

parse_result parse_agreeing(std::string_view bytes, std::vector<header_field>& storage,
                            const parse_options& options) {
  if (storage.empty()) storage.resize(512);
  const parse_result reference = parse_with(simd_level::scalar, bytes, storage, options);
  const std::string expected = describe(reference);
  std::vector<header_field> other(storage.size());
  for (simd_level level : runnable_levels()) {
    if (level == simd_level::scalar) continue;
    const std::string got = describe(parse_with(level, bytes, other, options));
    if (got != expected)
      ADD_FAILURE() << to_string(level) << " disagrees with scalar on "
                    << ::testing::PrintToString(std::string(bytes.substr(0, 200))) << "\nscalar: "
                    << expected << "\n" << to_string(level) << ": " << got;
  }
  return reference;
}

}  // namespace sipring::parser::testing
