#pragma once
// Which CPUs get a shard: the operator's list, or "auto" (one PU per physical core, near the
// NIC when one is named). Pure over machine_topology, so any layout can be tested.

#include <string>
#include <string_view>
#include <vector>

#include "sipring/runtime/topology.h"

namespace sipring::runtime {

struct cpu_choice {
  std::vector<unsigned> cpus;      ///< one shard per CPU, sorted; empty when error is set
  std::string how;                 ///< one line saying how they were chosen
  std::vector<std::string> notes;  ///< what the operator should know: fallbacks, odd placements
  std::string error;               ///< the spec is wrong (names the bad part); empty otherwise
};

/// `spec` is "auto" or a CPU list ("0-3,8"). "auto" takes the first PU of every physical core,
/// leaving SMT siblings alone (they share the core's execution units), only on the NUMA node of
/// network interface `nic` when one is named and the machine reports its node; when it does not,
/// a note says so and every core is used.
cpu_choice choose_cpus(const machine_topology& topology, std::string_view spec,
                       std::string_view nic);

}  // namespace sipring::runtime
