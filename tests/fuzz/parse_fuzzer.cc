// libFuzzer target for the parser: parses the input with every implementation the CPU runs,
// as a datagram and as a stream, and aborts when they disagree on anything; then runs the
// typed header parsers over whatever parsed. Built with clang (-fsanitize=fuzzer) by
// scripts/fuzz, and linked with replay_main.cc so ctest replays the seed corpus everywhere.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "sipring/parser/message_check.h"
#include "sipring/parser/parse.h"
#include "typed_describe.h"

namespace {

using namespace sipring::parser;

bool same_span(text_span a, text_span b) { return a.offset == b.offset && a.length == b.length; }

bool same(const parse_result& a, const parse_result& b) {
  if (a.error.code != b.error.code || a.error.offset != b.error.offset || a.consumed != b.consumed) return false;
  if (!a.ok()) return true;
  const message_view& x = a.message;
  const message_view& y = b.message;
  if (x.bytes() != y.bytes() || x.status_code() != y.status_code() || x.method() != y.method() ||
      x.method_token() != y.method_token() || x.request_uri() != y.request_uri() ||
      x.reason_phrase() != y.reason_phrase() || !same_span(x.body_span(), y.body_span()) ||
      x.content_length() != y.content_length() || x.headers().size() != y.headers().size())
    return false;
  for (std::size_t i = 0; i < x.headers().size(); ++i) {
    const header_field& p = x.headers()[i];
    const header_field& q = y.headers()[i];
    if (p.id != q.id || !same_span(p.name, q.name) || !same_span(p.value, q.value)) return false;
  }
  return true;
}

// The typed parsers' SIMD fast paths must give the scalar results on `text`.
void check_typed(std::string_view text) {
  using namespace sipring::parser::testing;
  for (auto describe : {describe_name_addrs, describe_vias, describe_uri}) {
    const std::string why = first_disagreement(describe, text);
    if (!why.empty()) {
      std::fprintf(stderr, "parse_fuzzer: typed parsers disagree on \"%.*s\": %s\n",
                   static_cast<int>(text.size()), text.data(), why.c_str());
      std::abort();
    }
  }
}

void check(std::string_view input, const parse_options& options) {
  static header_field reference_storage[300], other_storage[300];
  const parse_result reference = parse_with(simd_level::scalar, input, reference_storage, options);
  for (simd_level level : {simd_level::avx2, simd_level::avx512}) {
    if (!cpu_supports(level)) continue;
    if (!same(reference, parse_with(level, input, other_storage, options))) {
      std::fprintf(stderr, "parse_fuzzer: %s disagrees with scalar\n", to_string(level).data());
      std::abort();
    }
  }
  if (reference.ok()) {
    // The typed parsers must survive anything parse() lets through, and agree across levels.
    (void)check_typed_headers(reference.message);
    for (const header_field& h : reference.message.headers()) check_typed(reference.message.value(h));
    if (reference.message.is_request()) check_typed(reference.message.request_uri());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  parse_options datagram;
  check(input, datagram);
  parse_options stream;
  stream.transport = transport_kind::stream;
  stream.limits.max_headers = 40;
  check(input, stream);
  // The input as a header value (short ones: most of what the typed parsers see).
  if (size <= 300) check_typed(input);
  return 0;
}
