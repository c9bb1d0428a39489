#pragma once
// The run's figures: merged from the shards, printed as text or JSON (the keys are the
// comparison driver's contract, bench/README.md "Load generator"), and the 1/s progress line.

#include <cstdio>
#include <string>
#include <vector>

#include "histogram.h"
#include "options.h"
#include "stats.h"

namespace sipring::load {

struct report {
  std::uint64_t started = 0, completed = 0, failed_timeout = 0, failed_status = 0, failed_transport = 0;
  std::uint64_t offered = 0, unparsed = 0;
  std::uint64_t connections_opened = 0, handshakes_full = 0, handshakes_resumed = 0, handshakes_failed = 0;
  std::vector<std::pair<unsigned, std::uint64_t>> statuses;
  histogram latency;
  double duration_s = 0, offered_rate = 0, achieved_rate = 0, cpu_us_per_transaction = 0;
  struct step {
    double offered_rate = 0, achieved_rate = 0;
    std::uint64_t completed = 0, failed = 0, p99_us = 0;
  };
  std::vector<step> steps;
};

report merge(const load_options& o, const std::vector<shard_stats*>& shards);
void print_text(std::FILE* out, const load_options& o, const report& r);
void print_json(std::FILE* out, const load_options& o, const report& r);
/// One progress line from the live counters (`last_completed`: the previous line's count).
void print_progress(std::FILE* out, const std::vector<shard_stats*>& shards, double elapsed_s,
                    std::uint64_t& last_completed);

}  // namespace sipring::load
