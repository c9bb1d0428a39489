#include "sipring/app/server.h"

#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <ostream>
#include <variant>

#include "sipring/app/check_config.h"
#include "sipring/app/placement_config.h"
#include "sipring/app/runtime_config.h"
#include "sipring/crypto/backend_info.h"
#include "sipring/runtime/cpu_list.h"
#include "sipring/runtime/shard_set.h"
#include "sipring_version.h"

namespace sipring::app {

namespace {

// Blocks the signals the server handles so that they are only ever taken by sigwaitinfo on
// the main thread, never by an asynchronous handler; the shard threads inherit the mask.
sigset_t block_server_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

// A shard's life until the SIP core (transports, transactions) runs on it: it waits for the
// stop. Cancelled at once when the stop begins.
runtime::task<void> shard_main(runtime::shard_context& ctx) {
  runtime::cancel_token stop;
  ctx.cancel_at_stop(stop);
  while (!stop.cancelled()) (void)co_await ctx.loop().sleep_for(std::chrono::hours(1), &stop);
  ctx.forget(stop);
}

}  // namespace

int run_server(const loaded_config& config, std::ostream& out, std::ostream& err) {
  const sigset_t signals = block_server_signals();

  // Every configuration error stops the start, all of them reported at once.
  if (const auto errors = check_config(config); !errors.empty()) {
    for (const auto& e : errors) err << "sipring: configuration error: " << e.message << "\n";
    return 1;
  }
  auto placed = place_shards(config);
  if (auto* e = std::get_if<config_error>(&placed)) {
    err << "sipring: configuration error: " << e->message << "\n";
    return 1;
  }
  const runtime::cpu_choice& choice = std::get<shard_placement>(placed).choice;
  auto options = read_runtime_config(config);
  if (auto* e = std::get_if<config_error>(&options)) {
    err << "sipring: configuration error: " << e->message << "\n";
    return 1;
  }
  auto& shard_options = std::get<runtime::shard_set_options>(options);
  shard_options.cpus = choice.cpus;

  const auto crypto = crypto::probe_backend();
  out << "sipring " SIPRING_VERSION " starting (pid " << getpid() << ")\n"
      << "wolfSSL " << crypto.wolfssl_version << ", AES-NI in use: " << (crypto.aesni_in_use ? "yes" : "no")
      << "\n"
      << "configuration (" << config.source << "):\n"
      << config.table << "\n\n"
      << "shards: " << choice.cpus.size() << ", on CPUs " << runtime::format_cpu_list(choice.cpus)
      << " (" << choice.how << ")\n";
  for (const auto& note : choice.notes) out << "note: " << note << "\n";
  out << std::flush;

  runtime::shard_set shards(shard_options);
  if (const std::string why = shards.start(&shard_main); !why.empty()) {
    err << "sipring: cannot start the shards: " << why << "\n";
    return 1;
  }
  out << "sipring: running; SIGINT or SIGTERM stops it, SIGHUP is passed to every shard "
         "(the SIP core is not built yet: nothing is served)\n"
      << std::flush;
  for (;;) {
    siginfo_t info{};
    const int sig = sigwaitinfo(&signals, &info);
    if (sig == SIGHUP) {
      shards.post_to_all([&out](runtime::shard_context& ctx) {
        // Nothing reloads yet (certificates come with TLS): say that it arrived.
        if (ctx.id() == 0) out << "sipring: SIGHUP delivered to the shards; nothing to reload yet\n" << std::flush;
      });
      continue;
    }
    if (sig == SIGINT || sig == SIGTERM) {
      out << "sipring: " << (sig == SIGINT ? "SIGINT" : "SIGTERM") << " received, stopping\n" << std::flush;
      shards.request_stop();
      shards.join();
      const std::size_t leaked = shards.frames_left();
      if (leaked != 0)
        err << "sipring: stopped, but " << leaked << " coroutine frames were left (a leak)\n";
      else
        out << "sipring: stopped cleanly\n";
      out << std::flush;
      return leaked == 0 ? 0 : 1;
    }
  }
}

}  // namespace sipring::app
