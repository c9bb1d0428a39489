// sipring's entry point: reads the command line and the configuration, prints the banner, and
// serves until SIGINT or SIGTERM. SIGHUP is taken as a reload request.

#include <csignal>
#include <cstdio>
#include <iostream>
#include <string_view>
#include <vector>

#include <unistd.h>

#include "sipring/app/cli_options.h"
#include "sipring/app/config.h"
#include "sipring/app/parse_command.h"
#include "sipring/app/show_topology.h"
#include "sipring/app/version_report.h"
#include "sipring/crypto/backend_info.h"
#include "sipring/parser/simd_level.h"
#include "sipring_version.h"

namespace {

using namespace sipring;

// Blocks the signals the server handles so that they are only ever received by sigwaitinfo,
// in one place, never by an asynchronous handler.
sigset_t block_server_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

int serve(const app::loaded_config& config) {
  const sigset_t signals = block_server_signals();
  const auto crypto = crypto::probe_backend();
  std::cout << "sipring " SIPRING_VERSION " starting (pid " << getpid() << ")\n"
            << "wolfSSL " << crypto.wolfssl_version
            << ", AES-NI in use: " << (crypto.aesni_in_use ? "yes" : "no") << "\n"
            << "configuration (" << config.source << "):\n"
            << config.table << "\n\n"
            << "sipring: running; SIGINT or SIGTERM stops it "
               "(the SIP core is not built yet: nothing is served)\n"
            << std::flush;
  for (;;) {
    siginfo_t info{};
    const int sig = sigwaitinfo(&signals, &info);
    if (sig == SIGHUP) {
      std::cout << "sipring: SIGHUP received; nothing to reload yet\n" << std::flush;
      continue;
    }
    if (sig == SIGINT || sig == SIGTERM) {
      std::cout << "sipring: " << (sig == SIGINT ? "SIGINT" : "SIGTERM")
                << " received, stopped cleanly\n"
                << std::flush;
      return 0;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  const auto opts = app::parse_cli(args);
  if (!opts.error.empty()) {
    std::cerr << "sipring: " << opts.error << " (try --help)\n";
    return 2;
  }
  switch (opts.command) {
    case app::cli_command::help: std::cout << app::usage_text(); return 0;
    case app::cli_command::version: std::cout << app::version_report(); return 0;
    case app::cli_command::parse:
      return app::run_parse_command({opts.parse_path, opts.parse_stream}, std::cin, std::cout, std::cerr);
    case app::cli_command::show_topology:
      return app::run_show_topology(opts.config_path, std::cout, std::cerr);
    case app::cli_command::run: break;
  }
  // A SIPRING_SIMD the CPU cannot honour is a start-up error, not a silent fallback.
  if (const auto simd = parser::choose_simd_level_from_environment(); !simd.error.empty()) {
    std::cerr << "sipring: " << simd.error << "\n";
    return 1;
  }
  auto loaded = app::load_config(opts.config_path);
  if (auto* err = std::get_if<app::config_error>(&loaded)) {
    std::cerr << "sipring: configuration error: " << err->message << "\n";
    return 1;
  }
  return serve(std::get<app::loaded_config>(loaded));
}
