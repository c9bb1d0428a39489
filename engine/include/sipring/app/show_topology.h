#pragma once
// `sipring --show-topology [--config FILE]`: the machine's layout and the CPUs the shards
// would run on with that configuration's [server] cpus and nic, without starting the server.

#include <iosfwd>
#include <string>

namespace sipring::app {

/// Prints the report to `out` and returns 0, or prints the configuration or topology error to
/// `err` and returns 1. `config_path` empty: the embedded default.
int run_show_topology(const std::string& config_path, std::ostream& out, std::ostream& err);

}  // namespace sipring::app
