#pragma once
// sipring's command line.

#include <string>
#include <string_view>
#include <vector>

namespace sipring::app {

enum class cli_command { run, help, version, parse, show_topology, check_config };

struct cli_options {
  cli_command command = cli_command::run;
  std::string config_path;  ///< empty: the embedded default
  std::string parse_path;   ///< `parse`: the file; empty or "-" for standard input
  bool parse_stream = false;  ///< `parse --stream`
  std::string error;        ///< non-empty when the command line is wrong
};

cli_options parse_cli(const std::vector<std::string_view>& args);

/// The text `sipring --help` prints.
std::string_view usage_text();

}  // namespace sipring::app
