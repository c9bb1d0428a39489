#pragma once
// The machine's layout as shard placement needs it: packages, NUMA nodes, physical cores with
// their PUs (SMT siblings), and which NUMA node each network interface is attached to.
// Read once at start-up (hwloc); plain data afterwards, so choosing CPUs is testable anywhere.

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace sipring::runtime {

/// A NUMA node OS index, or this when a core or device has no single node.
inline constexpr int no_numa_node = -1;

struct physical_core {
  unsigned package = 0;           ///< the package (socket) holding it, numbered from 0
  int numa_node = no_numa_node;   ///< OS index of its NUMA node
  std::vector<unsigned> pus;      ///< its PUs as Linux CPU numbers, sorted; more than one with SMT
};

struct machine_topology {
  unsigned packages = 0;
  std::vector<unsigned> numa_nodes;  ///< OS indices, sorted
  std::vector<physical_core> cores;  ///< ordered by first PU
  std::vector<unsigned> pus;         ///< every CPU this process may use, sorted
  /// Network interface name -> the NUMA node it is attached to (no_numa_node when it reports
  /// none, as virtual interfaces do). Interfaces missing here do not exist.
  std::map<std::string, int, std::less<>> nic_numa_nodes;
};

struct topology_result {
  machine_topology topology;
  std::string error;  ///< empty on success
};

/// This machine as hwloc sees it, limited to the CPUs the process's cgroup allows, with the NUMA
/// node of every network interface (hwloc's OS devices, then sysfs for those it does not list).
topology_result read_topology();

/// A made-up machine in hwloc's synthetic syntax ("pack:2 numa:1 core:4 pu:2"), without network
/// interfaces: lets tests choose CPUs on layouts this machine does not have.
topology_result read_synthetic_topology(std::string_view description);

/// Each interface under `sys_class_net` (normally /sys/class/net) with its device's numa_node
/// file, or no_numa_node when it has no device or the file says -1.
std::map<std::string, int, std::less<>> read_sysfs_nic_numa_nodes(
    const std::string& sys_class_net);

}  // namespace sipring::runtime
