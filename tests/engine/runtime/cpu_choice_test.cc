#include "sipring/runtime/cpu_choice.h"

#include <gtest/gtest.h>
#include <sched.h>

#include <algorithm>

namespace {

using namespace sipring::runtime;

// Two NUMA nodes of two cores, SMT siblings numbered as on x86 Linux (core N: CPUs N, N + 4).
machine_topology two_nodes_with_smt() {
  auto r = read_synthetic_topology("pack:2 numa:1 core:2 pu:2(indexes=0,4,1,5,2,6,3,7)");
  EXPECT_TRUE(r.error.empty()) << r.error;
  r.topology.nic_numa_nodes = {{"eth0", 0}, {"eth1", 1}, {"veth0", no_numa_node}, {"cxl0", 7}};
  return r.topology;
}

bool has_note(const cpu_choice& c, std::string_view text) {
  return std::any_of(c.notes.begin(), c.notes.end(),
                     [&](const std::string& n) { return n.find(text) != std::string::npos; });
}

TEST(CpuChoice, AutoTakesOnePuPerCoreAndLeavesSiblingsAlone) {
  const auto c = choose_cpus(two_nodes_with_smt(), "auto", "");
  EXPECT_TRUE(c.error.empty());
  EXPECT_EQ(c.cpus, (std::vector<unsigned>{0, 1, 2, 3}));
  EXPECT_NE(c.how.find("SMT siblings left idle"), std::string::npos) << c.how;
  EXPECT_TRUE(c.notes.empty());
}

TEST(CpuChoice, AutoStaysOnTheNicsNumaNode) {
  auto c = choose_cpus(two_nodes_with_smt(), "auto", "eth1");
  EXPECT_EQ(c.cpus, (std::vector<unsigned>{2, 3}));
  EXPECT_NE(c.how.find("NUMA node 1 where 'eth1'"), std::string::npos) << c.how;
  c = choose_cpus(two_nodes_with_smt(), " auto ", "eth0");
  EXPECT_EQ(c.cpus, (std::vector<unsigned>{0, 1}));
}

TEST(CpuChoice, AutoFallsBackToEveryNodeAndSaysWhy) {
  auto c = choose_cpus(two_nodes_with_smt(), "auto", "eth9");
  EXPECT_EQ(c.cpus, (std::vector<unsigned>{0, 1, 2, 3}));
  EXPECT_TRUE(has_note(c, "'eth9' not found")) << c.notes.size();

  c = choose_cpus(two_nodes_with_smt(), "auto", "veth0");
  EXPECT_EQ(c.cpus, (std::vector<unsigned>{0, 1, 2, 3}));
  EXPECT_TRUE(has_note(c, "'veth0' reports no NUMA node"));

  c = choose_cpus(two_nodes_with_smt(), "auto", "cxl0");  // a node without CPUs
  EXPECT_EQ(c.cpus, (std::vector<unsigned>{0, 1, 2, 3}));
  EXPECT_TRUE(has_note(c, "NUMA node 7 of 'cxl0' has no usable cores"));
}

TEST(CpuChoice, AListIsTakenAsWritten) {
  const auto c = choose_cpus(two_nodes_with_smt(), "0-1, 6", "");
  EXPECT_TRUE(c.error.empty()) << c.error;
  EXPECT_EQ(c.cpus, (std::vector<unsigned>{0, 1, 6}));
  EXPECT_TRUE(c.notes.empty());
}

TEST(CpuChoice, AListNotesSiblingsAndCpusFarFromTheNic) {
  const auto c = choose_cpus(two_nodes_with_smt(), "0,4,2", "eth0");
  EXPECT_EQ(c.cpus, (std::vector<unsigned>{0, 2, 4}));
  EXPECT_TRUE(has_note(c, "CPUs 0,4 are SMT siblings"));
  EXPECT_TRUE(has_note(c, "CPU 2 is not on NUMA node 0 where 'eth0' is attached"));
  EXPECT_TRUE(has_note(choose_cpus(two_nodes_with_smt(), "2-3", "eth0"), "CPUs 2-3 are not"));
}

TEST(CpuChoice, AListWithACpuTheMachineLacksIsAnError) {
  const auto c = choose_cpus(two_nodes_with_smt(), "0-8", "");
  EXPECT_TRUE(c.cpus.empty());
  EXPECT_NE(c.error.find("CPU 8 (in '0-8') is not on this machine"), std::string::npos) << c.error;
  EXPECT_NE(choose_cpus(two_nodes_with_smt(), "", "").error.find("empty"), std::string::npos);
  EXPECT_NE(choose_cpus(two_nodes_with_smt(), "Auto", "").error.find("'Auto'"), std::string::npos);
}

TEST(CpuChoice, AutoOnThisMachineUsesEveryPhysicalCoreOnce) {
  const auto machine = read_topology();
  ASSERT_TRUE(machine.error.empty()) << machine.error;
  const auto c = choose_cpus(machine.topology, "auto", "");
  ASSERT_TRUE(c.error.empty()) << c.error;
  EXPECT_EQ(c.cpus.size(), machine.topology.cores.size());
  for (const auto& core : machine.topology.cores)
    EXPECT_TRUE(std::binary_search(c.cpus.begin(), c.cpus.end(), core.pus.front()));
  // Without SMT every CPU the process may use is a core of its own: as many shards as `nproc`.
  const bool smt = std::any_of(machine.topology.cores.begin(), machine.topology.cores.end(),
                               [](const physical_core& core) { return core.pus.size() > 1; });
  cpu_set_t allowed;
  ASSERT_EQ(sched_getaffinity(0, sizeof allowed, &allowed), 0);
  if (!smt) {
    EXPECT_EQ(c.cpus.size(), static_cast<std::size_t>(CPU_COUNT(&allowed)));
  }
}

}  // namespace
