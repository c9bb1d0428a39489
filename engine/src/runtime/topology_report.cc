#include "sipring/runtime/topology_report.h"

#include <algorithm>

#include "sipring/runtime/cpu_list.h"

namespace sipring::runtime {

namespace {

std::string node_name(int node) {
  return node == no_numa_node ? "no NUMA node" : "NUMA node " + std::to_string(node);
}

std::string cpus_word(std::size_t n) { return n == 1 ? "CPU " : "CPUs "; }

std::string plural(std::size_t n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

void describe_machine(const machine_topology& t, std::string& out) {
  const bool smt = std::any_of(t.cores.begin(), t.cores.end(),
                               [](const physical_core& c) { return c.pus.size() > 1; });
  out += "machine: " + plural(t.packages, "package") + ", " +
         plural(t.numa_nodes.size(), "NUMA node") + ", " + plural(t.cores.size(), "physical core") +
         ", " + plural(t.pus.size(), "PU") + " (" + cpus_word(t.pus.size()) +
         format_cpu_list(t.pus) + "), SMT " + (smt ? "on" : "off") + "\n";
  for (unsigned node : t.numa_nodes) {
    std::vector<unsigned> cpus;
    for (const auto& core : t.cores)
      if (core.numa_node == static_cast<int>(node)) cpus.insert(cpus.end(), core.pus.begin(), core.pus.end());
    std::sort(cpus.begin(), cpus.end());
    out += "  NUMA node " + std::to_string(node) + ": " +
           (cpus.empty() ? std::string("no CPUs") : cpus_word(cpus.size()) + format_cpu_list(cpus)) +
           "\n";
  }
  for (std::size_t i = 0; i < t.cores.size(); ++i) {
    const auto& core = t.cores[i];
    out += "  core " + std::to_string(i) + ": " + cpus_word(core.pus.size()) +
           format_cpu_list(core.pus) + " (package " + std::to_string(core.package) + ", " +
           node_name(core.numa_node) + ")\n";
  }
  if (t.nic_numa_nodes.empty()) return;
  out += "  network interfaces:";
  const char* sep = " ";
  for (const auto& [name, node] : t.nic_numa_nodes) {
    out += sep + name + " (" + node_name(node) + ")";
    sep = ", ";
  }
  out += "\n";
}

}  // namespace

std::string describe_topology(const machine_topology& topology, std::string_view spec,
                              std::string_view nic, const cpu_choice& choice) {
  std::string out;
  describe_machine(topology, out);
  out += "configured: cpus = \"" + std::string(spec) + "\"";
  if (!nic.empty()) out += ", nic = \"" + std::string(nic) + "\"";
  out += "\n";
  out += "shards: " + std::to_string(choice.cpus.size()) + ", on " + cpus_word(choice.cpus.size()) +
         format_cpu_list(choice.cpus) + "\n";
  out += "  chosen by " + choice.how + "\n";
  for (const auto& note : choice.notes) out += "  note: " + note + "\n";
  return out;
}

}  // namespace sipring::runtime
