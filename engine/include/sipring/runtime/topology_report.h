#pragma once
// The text `sipring --show-topology` prints: what the machine looks like and where the shards
// would run, so an operator can check the placement before starting the server.

#include <string>
#include <string_view>

#include "sipring/runtime/cpu_choice.h"
#include "sipring/runtime/topology.h"

namespace sipring::runtime {

/// `choice` came from choose_cpus(topology, spec, nic) without error.
std::string describe_topology(const machine_topology& topology, std::string_view spec,
                              std::string_view nic, const cpu_choice& choice);

}  // namespace sipring::runtime
