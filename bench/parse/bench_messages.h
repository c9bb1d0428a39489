// The SIP messages every parse benchmark runs on (bench/data/<name>.sip), and what a correct
// parse of each must report, so that each library is checked against the same facts before
// it is timed.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace sipring::bench {

// What the benchmarks read from a parsed message; one per file in bench/data.
struct expected_message {
  std::string_view name;        // file stem: bench/data/<name>.sip
  std::string_view method;      // request method; empty for a response
  int status;                   // status code; 0 for a request
  int vias;                     // number of Via values
  std::string_view top_branch;  // branch of the topmost Via
  std::string_view from_tag;
  std::string_view to_tag;  // empty when To has no tag
  std::string_view call_id;
  std::uint32_t cseq;
  std::string_view cseq_method;
  int contacts;
  long max_forwards;  // -1 when the message has no Max-Forwards
  std::uint32_t content_length;
  int routes;
  int record_routes;
  int header_fields;  // header field lines, start line and body excluded
};

inline constexpr std::array<expected_message, 3> bench_messages{{
    {"invite", "INVITE", 0, 2, "z9hG4bK4b43c2ff8.1", "1928301774", "",
     "a84b4c76e66710@pc33.atlanta.example.com", 314159, "INVITE", 1, 69, 211, 1, 1, 15},
    {"register", "REGISTER", 0, 1, "z9hG4bKnashds7", "456248", "", "843817637684230@998sdasdh09",
     1826, "REGISTER", 1, 70, 0, 0, 0, 11},
    {"ok200", "", 200, 2, "z9hG4bK4b43c2ff8.1", "1928301774", "a6c85cf",
     "a84b4c76e66710@pc33.atlanta.example.com", 314159, "INVITE", 1, -1, 0, 0, 1, 10},
}};

// The bytes of bench/data/<name>.sip, read on first use and kept for the process; empty if
// the file cannot be read.
const std::string& load_message(std::string_view name);

// What a library's parse produced, in library-neutral form, compared with expected_message
// once before timing (never on the hot path).
struct parsed_summary {
  std::string method;
  int status = 0;
  int vias = 0;
  std::string top_branch;
  std::string from_tag;
  std::string to_tag;
  std::string call_id;
  std::uint32_t cseq = 0;
  std::string cseq_method;
  int contacts = 0;
  long max_forwards = -1;
  std::uint32_t content_length = 0;
  int routes = 0;
  int record_routes = 0;
};

// Empty if `got` matches `want`, else a description of the first difference. Header-field
// counts are checked by each benchmark: libraries count comma-separated values differently.
std::string compare(const expected_message& want, const parsed_summary& got);

}  // namespace sipring::bench
