#include "sipring/runtime/topology_report.h"

#include <gtest/gtest.h>

namespace {

using namespace sipring::runtime;

machine_topology two_nodes_with_smt() {
  auto r = read_synthetic_topology("pack:2 numa:1 core:2 pu:2(indexes=0,4,1,5,2,6,3,7)");
  EXPECT_TRUE(r.error.empty()) << r.error;
  r.topology.nic_numa_nodes = {{"eth1", 1}, {"lo", no_numa_node}};
  return r.topology;
}

TEST(TopologyReport, ShowsTheMachineAndTheChoice) {
  const auto t = two_nodes_with_smt();
  const auto choice = choose_cpus(t, "auto", "eth1");
  const auto text = describe_topology(t, "auto", "eth1", choice);
  for (const char* line :
       {"machine: 2 packages, 2 NUMA nodes, 4 physical cores, 8 PUs (CPUs 0-7), SMT on\n",
        "  NUMA node 0: CPUs 0-1,4-5\n", "  NUMA node 1: CPUs 2-3,6-7\n",
        "  core 0: CPUs 0,4 (package 0, NUMA node 0)\n",
        "  core 3: CPUs 3,7 (package 1, NUMA node 1)\n",
        "  network interfaces: eth1 (NUMA node 1), lo (no NUMA node)\n",
        "configured: cpus = \"auto\", nic = \"eth1\"\n", "shards: 2, on CPUs 2-3\n",
        "  chosen by auto: the first PU of each physical core"})
    EXPECT_NE(text.find(line), std::string::npos) << line << "\nin:\n" << text;
}

TEST(TopologyReport, ShowsNotes) {
  const auto t = two_nodes_with_smt();
  const auto choice = choose_cpus(t, "auto", "eth7");
  const auto text = describe_topology(t, "auto", "eth7", choice);
  EXPECT_NE(text.find("  note: network interface 'eth7' not found"), std::string::npos) << text;
  EXPECT_NE(text.find("shards: 4, on CPUs 0-3\n"), std::string::npos) << text;
}

TEST(TopologyReport, OneCpuIsSingular) {
  const auto t = two_nodes_with_smt();
  const auto text = describe_topology(t, "5", "", choose_cpus(t, "5", ""));
  EXPECT_NE(text.find("shards: 1, on CPU 5\n"), std::string::npos) << text;
  EXPECT_NE(text.find("chosen by the configured list"), std::string::npos) << text;
}

}  // namespace
