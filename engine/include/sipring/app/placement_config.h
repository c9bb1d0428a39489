#pragma once
// The configuration keys that place shards on CPUs: [server] cpus and [server] nic.
// Only their types are checked here; what the CPU list means depends on the machine
// (runtime::choose_cpus), so its errors are prefixed with `cpus_location` by the caller.

#include <string>
#include <variant>

#include "sipring/app/config.h"
#include "sipring/runtime/cpu_choice.h"
#include "sipring/runtime/topology.h"

namespace sipring::app {

struct placement_config {
  std::string cpus = "auto";  ///< [server] cpus: "auto" or a CPU list such as "0-3,8"
  std::string nic;            ///< [server] nic: a network interface name; empty when not set
  /// "FILE:LINE:COLUMN: [server] cpus" (or "FILE: [server] cpus" when defaulted), to name the
  /// key in errors found later.
  std::string cpus_location;
};

std::variant<placement_config, config_error> read_placement_config(const loaded_config& config);

/// Where the shards go: the keys, this machine as hwloc sees it, and the CPUs chosen.
struct shard_placement {
  placement_config settings;
  runtime::machine_topology machine;
  runtime::cpu_choice choice;
};

/// read_placement_config, read_topology and choose_cpus in one: the placement, or an error that
/// names the file, line and key (or why the topology could not be read).
std::variant<shard_placement, config_error> place_shards(const loaded_config& config);

}  // namespace sipring::app
