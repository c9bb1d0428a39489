// sipring's entry point: reads the command line, runs a command (--help, --version, parse,
// --show-topology) or loads the configuration and serves (app/server.cc).

#include <iostream>
#include <string_view>
#include <vector>

#include "sipring/app/cli_options.h"
#include "sipring/app/config.h"
#include "sipring/app/parse_command.h"
#include "sipring/app/server.h"
#include "sipring/app/check_config.h"
#include "sipring/app/show_topology.h"
#include "sipring/app/version_report.h"
#include "sipring/parser/simd_level.h"

using namespace sipring;

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
    case app::cli_command::check_config:
      return app::run_check_config(opts.config_path, std::cout, std::cerr);
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
  return app::run_server(std::get<app::loaded_config>(loaded), std::cout, std::cerr);
}
