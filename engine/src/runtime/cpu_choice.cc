#include "sipring/runtime/cpu_choice.h"

#include <algorithm>

#include "sipring/runtime/cpu_list.h"

namespace sipring::runtime {

namespace {

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

// The NIC's NUMA node, or no_numa_node with a note saying why every node is used instead.
int nic_node(const machine_topology& topology, std::string_view nic, cpu_choice& choice) {
  if (nic.empty()) return no_numa_node;
  const auto it = topology.nic_numa_nodes.find(nic);
  const std::string name = "network interface '" + std::string(nic) + "'";
  if (it == topology.nic_numa_nodes.end()) {
    choice.notes.push_back(name + " not found on this machine: using every NUMA node");
    return no_numa_node;
  }
  if (it->second == no_numa_node)
    choice.notes.push_back(name + " reports no NUMA node: using every NUMA node");
  return it->second;
}

void choose_auto(const machine_topology& topology, std::string_view nic, cpu_choice& choice) {
  const int node = nic_node(topology, nic, choice);
  auto on_node = [&](const physical_core& c) { return node == no_numa_node || c.numa_node == node; };
  const bool node_has_cores = std::any_of(topology.cores.begin(), topology.cores.end(), on_node);
  if (node != no_numa_node && !node_has_cores)
    choice.notes.push_back("NUMA node " + std::to_string(node) + " of '" + std::string(nic) +
                           "' has no usable cores: using every NUMA node");
  const bool restrict = node != no_numa_node && node_has_cores;
  for (const auto& core : topology.cores)
    if (!restrict || core.numa_node == node) choice.cpus.push_back(core.pus.front());
  std::sort(choice.cpus.begin(), choice.cpus.end());
  choice.how = "auto: the first PU of each physical core (SMT siblings left idle)";
  if (restrict)
    choice.how += ", on NUMA node " + std::to_string(node) + " where '" + std::string(nic) +
                  "' is attached";
}

// A listed placement is honoured as written; these notes point out what costs throughput.
void note_list_placement(const machine_topology& topology, std::string_view nic,
                         cpu_choice& choice) {
  const auto listed = [&](unsigned cpu) {
    return std::binary_search(choice.cpus.begin(), choice.cpus.end(), cpu);
  };
  std::vector<unsigned> far;
  const int node = nic_node(topology, nic, choice);
  for (const auto& core : topology.cores) {
    std::vector<unsigned> mine;
    for (unsigned pu : core.pus)
      if (listed(pu)) mine.push_back(pu);
    if (mine.size() > 1)
      choice.notes.push_back("CPUs " + format_cpu_list(mine) +
                             " are SMT siblings: their shards share one physical core");
    if (node != no_numa_node && core.numa_node != node) far.insert(far.end(), mine.begin(), mine.end());
  }
  std::sort(far.begin(), far.end());
  if (!far.empty())
    choice.notes.push_back((far.size() == 1 ? "CPU " : "CPUs ") + format_cpu_list(far) +
                           (far.size() == 1 ? " is" : " are") + " not on NUMA node " +
                           std::to_string(node) + " where '" + std::string(nic) + "' is attached");
}

}  // namespace

cpu_choice choose_cpus(const machine_topology& topology, std::string_view spec,
                       std::string_view nic) {
  cpu_choice choice;
  if (trim(spec) == "auto") {
    choose_auto(topology, nic, choice);
    return choice;
  }
  auto parsed = parse_cpu_list(spec, topology.pus);
  if (!parsed.error.empty()) {
    choice.error = std::move(parsed.error);
    return choice;
  }
  choice.cpus = std::move(parsed.cpus);
  choice.how = "the configured list";
  note_list_placement(topology, nic, choice);
  return choice;
}

}  // namespace sipring::runtime
