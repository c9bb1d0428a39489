#include "report.h"

#include <algorithm>

namespace sipring::load {

report merge(const load_options& o, const std::vector<shard_stats*>& shards) {
  report r;
  std::array<std::uint64_t, 700> statuses{};
  double cpu = 0;
  std::size_t steps = 0;
  for (auto* s : shards) steps = std::max(steps, s->steps.size());
  std::vector<step_stats> merged(steps);
  for (auto* s : shards) {
    r.started += s->started.load();
    r.completed += s->completed.load();
    r.failed_timeout += s->failed_timeout;
    r.failed_status += s->failed_status;
    r.failed_transport += s->failed_transport;
    r.offered += s->offered;
    r.unparsed += s->unparsed;
    r.connections_opened += s->connections_opened;
    r.handshakes_full += s->handshakes_full;
    r.handshakes_resumed += s->handshakes_resumed;
    r.handshakes_failed += s->handshakes_failed;
    r.latency.merge(s->latency);
    r.duration_s = std::max(r.duration_s, s->measured_s);
    cpu += s->cpu_s;
    for (std::size_t i = 0; i < statuses.size(); ++i) statuses[i] += s->statuses[i];
    for (std::size_t i = 0; i < s->steps.size(); ++i) {
      merged[i].started += s->steps[i].started;
      merged[i].completed += s->steps[i].completed;
      merged[i].failed += s->steps[i].failed;
      merged[i].seconds = std::max(merged[i].seconds, s->steps[i].seconds);
      merged[i].latency.merge(s->steps[i].latency);
    }
  }
  for (unsigned i = 0; i < statuses.size(); ++i)
    if (statuses[i]) r.statuses.emplace_back(i, statuses[i]);
  if (o.concurrency) r.offered = r.started;
  if (r.duration_s > 0) {
    r.offered_rate = static_cast<double>(r.offered) / r.duration_s;
    r.achieved_rate = static_cast<double>(r.completed) / r.duration_s;
  }
  if (r.completed) r.cpu_us_per_transaction = cpu * 1e6 / static_cast<double>(r.completed);
  for (std::size_t i = 0; i < merged.size(); ++i) {
    report::step st;
    const double secs = o.concurrency ? r.duration_s : merged[i].seconds;
    if (o.concurrency) st.offered_rate = r.offered_rate;
    else if (i < o.rate.steps.size()) st.offered_rate = (o.rate.steps[i].rate + o.rate.steps[i].rate_end) / 2;
    if (merged.size() == 1) {
      st.offered_rate = r.offered_rate;
      st.achieved_rate = r.achieved_rate;
    } else if (secs > 0) {
      st.achieved_rate = static_cast<double>(merged[i].completed) / secs;
    }
    st.completed = merged[i].completed;
    st.failed = merged[i].failed;
    st.p99_us = merged[i].latency.quantile(0.99);
    r.steps.push_back(st);
  }
  return r;
}

void print_text(std::FILE* out, const load_options& o, const report& r) {
  std::fprintf(out, "%s over %s to %s: %.2f s\n", name(o.scenario), name(o.transport), o.target_text.c_str(),
               r.duration_s);
  std::fprintf(out, "  started %llu, completed %llu, failed %llu (timeout %llu, status %llu, transport %llu)\n",
               static_cast<unsigned long long>(r.started), static_cast<unsigned long long>(r.completed),
               static_cast<unsigned long long>(r.failed_timeout + r.failed_status + r.failed_transport),
               static_cast<unsigned long long>(r.failed_timeout), static_cast<unsigned long long>(r.failed_status),
               static_cast<unsigned long long>(r.failed_transport));
  if (!r.statuses.empty()) {
    std::fprintf(out, "  statuses:");
    for (auto& [code, n] : r.statuses) std::fprintf(out, " %u x%llu", code, static_cast<unsigned long long>(n));
    std::fprintf(out, "\n");
  }
  if (r.unparsed)
    std::fprintf(out, "  unparsed messages received (ignored): %llu\n", static_cast<unsigned long long>(r.unparsed));
  std::fprintf(out, "  rate: offered %.1f/s, achieved %.1f/s\n", r.offered_rate, r.achieved_rate);
  std::fprintf(out, "  latency us: p50 %llu, p90 %llu, p99 %llu, p99.9 %llu, max %llu\n",
               static_cast<unsigned long long>(r.latency.quantile(0.5)),
               static_cast<unsigned long long>(r.latency.quantile(0.9)),
               static_cast<unsigned long long>(r.latency.quantile(0.99)),
               static_cast<unsigned long long>(r.latency.quantile(0.999)),
               static_cast<unsigned long long>(r.latency.max()));
  std::fprintf(out, "  cpu: %.2f us per transaction\n", r.cpu_us_per_transaction);
  if (o.new_connection_per_transaction)
    std::fprintf(out, "  connections opened %llu; TLS handshakes: full %llu, resumed %llu, failed %llu\n",
                 static_cast<unsigned long long>(r.connections_opened), static_cast<unsigned long long>(r.handshakes_full),
                 static_cast<unsigned long long>(r.handshakes_resumed),
                 static_cast<unsigned long long>(r.handshakes_failed));
  if (r.steps.size() > 1)
    for (const auto& s : r.steps)
      std::fprintf(out, "  step: offered %.1f/s, achieved %.1f/s, completed %llu, failed %llu, p99 %llu us\n",
                   s.offered_rate, s.achieved_rate, static_cast<unsigned long long>(s.completed),
                   static_cast<unsigned long long>(s.failed), static_cast<unsigned long long>(s.p99_us));
}

void print_json(std::FILE* out, const load_options& o, const report& r) {
  auto u = [](std::uint64_t v) { return static_cast<unsigned long long>(v); };
  std::fprintf(out,
               "{\"scenario\":\"%s\",\"transport\":\"%s\",\"target\":\"%s\",\"duration_s\":%.3f,\"started\":%llu,"
               "\"completed\":%llu,\"failed\":{\"timeout\":%llu,\"status\":%llu,\"transport\":%llu},\"statuses\":{",
               name(o.scenario), name(o.transport), o.target_text.c_str(), r.duration_s, u(r.started), u(r.completed),
               u(r.failed_timeout), u(r.failed_status), u(r.failed_transport));
  for (std::size_t i = 0; i < r.statuses.size(); ++i)
    std::fprintf(out, "%s\"%u\":%llu", i ? "," : "", r.statuses[i].first, u(r.statuses[i].second));
  std::fprintf(out,
               "},\"offered_rate\":%.2f,\"achieved_rate\":%.2f,\"latency_us\":{\"p50\":%llu,\"p90\":%llu,"
               "\"p99\":%llu,\"p999\":%llu,\"max\":%llu},\"cpu_us_per_transaction\":%.3f,\"connections_opened\":%llu,"
               "\"handshakes\":{\"full\":%llu,\"resumed\":%llu,\"failed\":%llu},\"unparsed\":%llu,\"steps\":[",
               r.offered_rate, r.achieved_rate, u(r.latency.quantile(0.5)), u(r.latency.quantile(0.9)),
               u(r.latency.quantile(0.99)), u(r.latency.quantile(0.999)), u(r.latency.max()),
               r.cpu_us_per_transaction, u(r.connections_opened), u(r.handshakes_full), u(r.handshakes_resumed),
               u(r.handshakes_failed), u(r.unparsed));
  for (std::size_t i = 0; i < r.steps.size(); ++i) {
    const auto& s = r.steps[i];
    std::fprintf(out, "%s{\"offered_rate\":%.2f,\"achieved_rate\":%.2f,\"completed\":%llu,\"failed\":%llu,\"p99_us\":%llu}",
                 i ? "," : "", s.offered_rate, s.achieved_rate, u(s.completed), u(s.failed), u(s.p99_us));
  }
  std::fprintf(out, "]}\n");
}

void print_progress(std::FILE* out, const std::vector<shard_stats*>& shards, double elapsed_s,
                    std::uint64_t& last_completed) {
  std::uint64_t completed = 0, failed = 0, in_flight = 0, p99 = 0;
  for (auto* s : shards) {
    completed += s->completed.load(std::memory_order_relaxed);
    failed += s->failed.load(std::memory_order_relaxed);
    in_flight += s->in_flight.load(std::memory_order_relaxed);
    p99 = std::max<std::uint64_t>(p99, s->window_p99_us.load(std::memory_order_relaxed));
  }
  std::fprintf(out, "%6.1f s  rate %llu/s  in flight %llu  failed %llu  p99 %llu us\n", elapsed_s,
               static_cast<unsigned long long>(completed - last_completed), static_cast<unsigned long long>(in_flight),
               static_cast<unsigned long long>(failed), static_cast<unsigned long long>(p99));
  std::fflush(out);
  last_completed = completed;
}

}  // namespace sipring::load
