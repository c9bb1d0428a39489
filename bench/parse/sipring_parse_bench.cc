// BM_Parse/sipring_<impl>/<message>: sipring's parser with each SIMD implementation the CPU
// runs, doing the same work as the sofia-sip and oSIP benchmarks beside it: start line, header
// index, every Via, From and To (with their URIs), CSeq, Call-ID, each Contact, Max-Forwards,
// Content-Length, each Route and Record-Route (with their URIs).
// BM_Index/sipring_<impl>/<message>: stages 1 and 2 alone (start line and header index).
// BM_Scan/<impl>: stage 1 alone (structural masks) over the INVITE, in bytes/s.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include "bench_messages.h"
#include "sipring/parser/call_id.h"
#include "sipring/parser/cseq.h"
#include "sipring/parser/internal/structural_scan.h"
#include "sipring/parser/name_addr.h"
#include "sipring/parser/numeric_headers.h"
#include "sipring/parser/parse.h"
#include "sipring/parser/uri.h"
#include "sipring/parser/via.h"

namespace {

using namespace sipring::parser;
using sipring::bench::expected_message;
using sipring::bench::parsed_summary;

std::uint64_t first_byte(std::string_view s) { return s.empty() ? 0 : static_cast<unsigned char>(s[0]); }

// The typed work; fills `summary` when given (the check before timing). Returns a checksum, or
// 0 when anything failed to parse.
// `u` is the caller's (a server keeps one per worker): constructing a uri zeroes ~260 bytes.
std::uint64_t touch(simd_level level, const message_view& m, parsed_summary* summary, uri& u) {
  std::uint64_t sum = 0;
  if (m.is_request()) {
    if (parse_uri_with(level, m.request_uri(), u) != error_code::none) return 0;
    sum += first_byte(m.method_token()) + first_byte(u.host);
  } else {
    sum += m.status_code();
  }
  for (const header_field& h : m.headers()) {
    sum += static_cast<std::uint64_t>(h.id);
    switch (h.id) {
      case header_id::via: {
        const error_code e = for_each_via_with(level, m.value(h), [&](const via& v) {
          sum += first_byte(v.sent_by.host) + v.sent_by.port + first_byte(v.branch);
          if (summary && summary->vias++ == 0) summary->top_branch = std::string(v.branch);
        });
        if (e != error_code::none) return 0;
        break;
      }
      case header_id::from:
      case header_id::to: {
        const error_code e = for_each_name_addr_with(level, m.value(h), [&](const name_addr& na, const uri& a) {
          sum += first_byte(a.host) + first_byte(na.tag);
          if (summary) (h.id == header_id::from ? summary->from_tag : summary->to_tag) = std::string(na.tag);
        });
        if (e != error_code::none) return 0;
        break;
      }
      case header_id::cseq: {
        cseq c;
        if (parse_cseq(m.value(h), c) != error_code::none) return 0;
        sum += c.number + first_byte(c.method_token);
        if (summary) {
          summary->cseq = c.number;
          summary->cseq_method = std::string(c.method_token);
        }
        break;
      }
      case header_id::call_id:
        if (validate_call_id(m.value(h)) != error_code::none) return 0;
        sum += first_byte(m.value(h));
        if (summary) summary->call_id = std::string(m.value(h));
        break;
      case header_id::max_forwards: {
        std::uint8_t hops = 0;
        if (parse_max_forwards(m.value(h), hops) != error_code::none) return 0;
        sum += hops;
        if (summary) summary->max_forwards = hops;
        break;
      }
      case header_id::content_length: {
        std::uint32_t length = 0;
        if (parse_content_length(m.value(h), length) != error_code::none) return 0;
        sum += length;
        if (summary) summary->content_length = length;
        break;
      }
      case header_id::contact:
      case header_id::route:
      case header_id::record_route: {
        const error_code e = for_each_name_addr_with(level, m.value(h), [&](const name_addr&, const uri& a) {
          sum += first_byte(a.host);
          if (summary) {
            if (h.id == header_id::contact) ++summary->contacts;
            else if (h.id == header_id::route) ++summary->routes;
            else ++summary->record_routes;
          }
        });
        if (e != error_code::none) return 0;
        break;
      }
      default:
        break;
    }
  }
  if (summary) {
    summary->method = std::string(m.method_token());
    summary->status = m.status_code();
  }
  return sum == 0 ? 1 : sum;
}

void parse_message(benchmark::State& state, simd_level level, const expected_message& want) {
  const std::string& bytes = sipring::bench::load_message(want.name);
  std::vector<header_field> storage(64);
  uri request_uri;
  {
    const parse_result r = parse_with(level, bytes, storage);
    if (!r.ok()) {
      state.SkipWithError(("sipring: parse failed: " + std::string(code_name(r.error.code))).c_str());
      return;
    }
    parsed_summary got;
    if (touch(level, r.message, &got, request_uri) == 0) {
      state.SkipWithError("sipring: a typed header failed to parse");
      return;
    }
    if (r.message.headers().size() != static_cast<std::size_t>(want.header_fields)) {
      state.SkipWithError("sipring: wrong header count");
      return;
    }
    if (const std::string why = sipring::bench::compare(want, got); !why.empty()) {
      state.SkipWithError(("sipring: " + why).c_str());
      return;
    }
  }
  for (auto _ : state) {
    const parse_result r = parse_with(level, bytes, storage);
    std::uint64_t sum = r.ok() ? touch(level, r.message, nullptr, request_uri) : 0;
    if (sum == 0) {
      state.SkipWithError("parse failed while timing");
      break;
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

// Stages 1 and 2 alone (the header index, no typed header): how the parse time splits.
void index_message(benchmark::State& state, simd_level level, const expected_message& want) {
  const std::string& bytes = sipring::bench::load_message(want.name);
  std::vector<header_field> storage(64);
  for (auto _ : state) {
    const parse_result r = parse_with(level, bytes, storage);
    if (!r.ok()) {
      state.SkipWithError("parse failed while timing");
      break;
    }
    benchmark::DoNotOptimize(r.message.headers().data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
}

void scan_message(benchmark::State& state, simd_level level) {
  const std::string& bytes = sipring::bench::load_message("invite");
  std::vector<internal::structural_masks> masks(internal::block_count(bytes.size()));
  const internal::scan_function scan = internal::scanner_for(level);
  for (auto _ : state) {
    scan(bytes.data(), bytes.size(), masks.data());
    benchmark::DoNotOptimize(masks.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
}

[[maybe_unused]] const bool registered = [] {
  for (simd_level level : {simd_level::avx512, simd_level::avx2, simd_level::scalar}) {
    if (!cpu_supports(level)) continue;
    const std::string impl(to_string(level));
    for (const expected_message& m : sipring::bench::bench_messages)
      benchmark::RegisterBenchmark(("BM_Parse/sipring_" + impl + "/" + std::string(m.name)).c_str(),
                                   parse_message, level, m);
    for (const expected_message& m : sipring::bench::bench_messages)
      benchmark::RegisterBenchmark(("BM_Index/sipring_" + impl + "/" + std::string(m.name)).c_str(),
                                   index_message, level, m);
    benchmark::RegisterBenchmark(("BM_Scan/" + impl).c_str(), scan_message, level);
  }
  return true;
}();

}  // namespace
