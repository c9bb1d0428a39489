// sipring-load: an io_uring SIP load generator on sipring's runtime (bench/README.md, "Load
// generator (issue 7)"). One shard per --cpus entry, each with its slice of the users and its
// own sockets; exit 0 when it ran (failures included), 2 on bad arguments, 1 when it could not
// run.

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <semaphore>
#include <vector>

#include "options.h"
#include "report.h"
#include "worker.h"

#include "sipring/crypto/tls_context.h"
#include "sipring/runtime/shard_set.h"

using namespace sipring;
using namespace sipring::load;

namespace {

std::unique_ptr<crypto::tls_context> make_tls(const load_options& o, std::string& why);

}  // namespace

int main(int argc, char** argv) {
  auto parsed = parse_options(argc, argv);
  if (!parsed.options) {
    if (parsed.error == "help") {
      std::fputs(usage(), stdout);
      return 0;
    }
    std::fprintf(stderr, "sipring-load: %s\n%s", parsed.error.c_str(), usage());
    return 2;
  }
  const load_options& o = *parsed.options;
  std::unique_ptr<crypto::tls_context> tls;
  if (o.transport == transport_kind::tls) {
    std::string why;
    tls = make_tls(o, why);
    if (!tls) {
      std::fprintf(stderr, "sipring-load: TLS: %s\n", why.c_str());
      return 1;
    }
  }

  if (o.new_connection_per_transaction) {
    // A descriptor per transaction in flight (bounded by the transaction table): the soft
    // limit up to the hard one.
    rlimit l{};
    if (getrlimit(RLIMIT_NOFILE, &l) == 0 && l.rlim_cur < l.rlim_max) {
      l.rlim_cur = l.rlim_max;
      (void)setrlimit(RLIMIT_NOFILE, &l);
    }
  }

  const unsigned n = static_cast<unsigned>(o.cpus.size());
  std::vector<std::unique_ptr<shard_stats>> stats;
  std::vector<shard_stats*> stats_view;
  std::vector<std::unique_ptr<worker>> workers;
  // The main thread sleeps until a shard finishes or a progress line is due: no periodic
  // wake-ups while the shards measure.
  std::counting_semaphore<> finished(0);
  for (unsigned i = 0; i < n; ++i) {
    stats.push_back(std::make_unique<shard_stats>());
    stats.back()->finished = &finished;
    stats_view.push_back(stats.back().get());
  }
  for (unsigned i = 0; i < n; ++i) workers.push_back(std::make_unique<worker>(o, i, n, *stats[i], tls.get()));

  runtime::shard_set_options so;
  so.cpus = o.cpus;
  so.count = n;
  so.reactor.receive_buffers = receive_buffers_for(o).count;  // worker.cc pre-touches them
  so.reactor.receive_buffer_size = receive_buffers_for(o).size;
  so.reactor.coalesce_window = std::chrono::microseconds(o.coalesce_us);
  so.reactor.coalesce_count = 32;
  so.stop_grace = std::chrono::milliseconds(100);
  runtime::shard_set shards(so);
  const std::string failure = shards.start([&](runtime::shard_context& ctx) { return workers[ctx.id()]->run(ctx); });
  if (!failure.empty()) {
    std::fprintf(stderr, "sipring-load: %s\n", failure.c_str());
    return 1;
  }
  const bool progress = !o.quiet && (o.progress || isatty(STDOUT_FILENO));
  const auto begin = std::chrono::steady_clock::now();
  auto next_line = begin + std::chrono::seconds(1);
  std::uint64_t last_completed = 0;
  for (unsigned done = 0; done < n;) {
    if (!progress) {
      finished.acquire();
      ++done;
      continue;
    }
    if (finished.try_acquire_until(next_line)) {
      ++done;
      continue;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= next_line) {
      print_progress(stdout, stats_view, std::chrono::duration<double>(now - begin).count(), last_completed);
      next_line += std::chrono::seconds(1);
    }
  }
  shards.request_stop();
  shards.join();
  for (auto* s : stats_view)
    if (!s->fatal.empty()) {
      std::fprintf(stderr, "sipring-load: %s\n", s->fatal.c_str());
      return 1;
    }
  const report r = merge(o, stats_view);
  if (o.json) print_json(stdout, o, r);
  else if (!o.quiet) print_text(stdout, o, r);
  return 0;
}

namespace {

// A client context: verifying the server against --ca when given, else no verification.
std::unique_ptr<crypto::tls_context> make_tls(const load_options& o, std::string& why) {
  crypto::tls_context_options t;
  t.role = crypto::tls_role::client;
  t.resumption_without_key_exchange = o.tls_psk_only;
  if (!o.ca_file.empty()) {
    t.trusted_cas.push_back(o.ca_file);
    t.verify = crypto::peer_verification::required;
  }
  return crypto::tls_context::create(t, why);
}

}  // namespace
