#include "sipring/app/cli_options.h"

namespace sipring::app {

std::string_view usage_text() {
  return "Usage: sipring [OPTIONS]\n"
         "       sipring parse [--stream] [FILE|-]\n"
         "\n"
         "sipring, a shard-per-core SIP registrar and proxy.\n"
         "With no options it serves the embedded default configuration.\n"
         "\n"
         "Options:\n"
         "  --config FILE   run with the TOML configuration in FILE\n"
         "  --version       print the version, the wolfSSL build and AES-NI state,\n"
         "                  the parser's SIMD level and the kernel's io_uring features\n"
         "  --show-topology print the machine's packages, NUMA nodes, cores and SMT\n"
         "                  siblings, and the CPUs the shards would run on with the\n"
         "                  configuration's [server] cpus and nic; does not serve\n"
         "  --check-config FILE  check the configuration in FILE: print every error\n"
         "                  (file, line, key) and exit 1, or exit 0 when it is valid\n"
         "  --help          print this help\n"
         "\n"
         "Commands:\n"
         "  parse [--stream] [FILE|-]   read one SIP message (from FILE or standard input),\n"
         "                  print it as JSON and exit 0, or print why it is malformed\n"
         "                  (code, offset, reason, SIP status) and exit 1; --stream\n"
         "                  parses it as on TCP/TLS (Content-Length mandatory)\n"
         "\n"
         "Environment:\n"
         "  SIPRING_SIMD=avx512|avx2|scalar   force the parser's SIMD implementation\n"
         "\n"
         "Signals: SIGINT and SIGTERM stop the server; SIGHUP asks it to reload.\n";
}

namespace {

// `parse [--stream] [FILE|-]`, after the word "parse".
cli_options parse_parse_command(const std::vector<std::string_view>& args) {
  cli_options opts;
  opts.command = cli_command::parse;
  bool have_path = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--stream") {
      opts.parse_stream = true;
    } else if (arg.starts_with("--")) {
      opts.error = "parse: unknown option '" + std::string(arg) + "'";
      return opts;
    } else if (have_path) {
      opts.error = "parse takes one file at most";
      return opts;
    } else {
      opts.parse_path = std::string(arg);
      have_path = true;
    }
  }
  return opts;
}

}  // namespace

cli_options parse_cli(const std::vector<std::string_view>& args) {
  if (!args.empty() && args[0] == "parse") return parse_parse_command(args);
  cli_options opts;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--help" || arg == "-h") {
      opts.command = cli_command::help;
    } else if (arg == "--version" || arg == "-V") {
      opts.command = cli_command::version;
    } else if (arg == "--show-topology") {
      opts.command = cli_command::show_topology;
    } else if (arg == "--check-config") {
      if (i + 1 >= args.size()) {
        opts.error = "--check-config needs a file name";
        return opts;
      }
      opts.command = cli_command::check_config;
      opts.config_path = std::string(args[++i]);
    } else if (arg == "--config") {
      if (i + 1 >= args.size()) {
        opts.error = "--config needs a file name";
        return opts;
      }
      opts.config_path = std::string(args[++i]);
    } else if (arg.starts_with("--config=")) {
      opts.config_path = std::string(arg.substr(9));
      if (opts.config_path.empty()) {
        opts.error = "--config needs a file name";
        return opts;
      }
    } else {
      opts.error = "unknown option '" + std::string(arg) + "'";
      return opts;
    }
  }
  return opts;
}

}  // namespace sipring::app
