#include "sipring/app/cli_options.h"

namespace sipring::app {

std::string_view usage_text() {
  return "Usage: sipring [OPTIONS]\n"
         "\n"
         "sipring, a shard-per-core SIP registrar and proxy.\n"
         "With no options it serves the embedded default configuration.\n"
         "\n"
         "Options:\n"
         "  --config FILE   run with the TOML configuration in FILE\n"
         "  --version       print the version, the wolfSSL build and AES-NI state,\n"
         "                  the parser's SIMD level and the kernel's io_uring features\n"
         "  --help          print this help\n"
         "\n"
         "Environment:\n"
         "  SIPRING_SIMD=avx512|avx2|scalar   force the parser's SIMD implementation\n"
         "\n"
         "Signals: SIGINT and SIGTERM stop the server; SIGHUP asks it to reload.\n";
}

cli_options parse_cli(const std::vector<std::string_view>& args) {
  cli_options opts;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--help" || arg == "-h") {
      opts.command = cli_command::help;
    } else if (arg == "--version" || arg == "-V") {
      opts.command = cli_command::version;
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
