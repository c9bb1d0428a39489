#include "sipring/runtime/topology.h"

#include <gtest/gtest.h>
#include <sched.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace {

using namespace sipring::runtime;

// Two packages with one NUMA node each, two cores per package, SMT siblings numbered as Linux
// numbers them on x86 (core N has CPUs N and N + 4).
constexpr const char* smt_two_nodes = "pack:2 numa:1 core:2 pu:2(indexes=0,4,1,5,2,6,3,7)";

std::vector<unsigned> allowed_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  EXPECT_EQ(sched_getaffinity(0, sizeof set, &set), 0);
  std::vector<unsigned> cpus;
  for (unsigned cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  return cpus;
}

TEST(Topology, SyntheticMachineHasItsPackagesNodesCoresAndSiblings) {
  const auto r = read_synthetic_topology(smt_two_nodes);
  ASSERT_TRUE(r.error.empty()) << r.error;
  const auto& t = r.topology;
  EXPECT_EQ(t.packages, 2u);
  EXPECT_EQ(t.numa_nodes, (std::vector<unsigned>{0, 1}));
  EXPECT_EQ(t.pus, (std::vector<unsigned>{0, 1, 2, 3, 4, 5, 6, 7}));
  ASSERT_EQ(t.cores.size(), 4u);
  for (unsigned i = 0; i < 4; ++i) {
    EXPECT_EQ(t.cores[i].pus, (std::vector<unsigned>{i, i + 4})) << "core " << i;
    EXPECT_EQ(t.cores[i].package, i / 2) << "core " << i;
    EXPECT_EQ(t.cores[i].numa_node, static_cast<int>(i / 2)) << "core " << i;
  }
  EXPECT_TRUE(t.nic_numa_nodes.empty());
}

TEST(Topology, BadSyntheticDescriptionIsAnError) {
  const auto r = read_synthetic_topology("nonsense:3");
  EXPECT_NE(r.error.find("nonsense:3"), std::string::npos) << r.error;
}

TEST(Topology, ThisMachineListsEveryCpuTheProcessMayUseOnceInOneCore) {
  const auto r = read_topology();
  ASSERT_TRUE(r.error.empty()) << r.error;
  const auto& t = r.topology;
  EXPECT_GE(t.packages, 1u);
  EXPECT_GE(t.numa_nodes.size(), 1u);
  ASSERT_GE(t.cores.size(), 1u);
  for (unsigned cpu : allowed_cpus())
    EXPECT_TRUE(std::binary_search(t.pus.begin(), t.pus.end(), cpu)) << "CPU " << cpu;
  std::vector<unsigned> from_cores;
  for (const auto& core : t.cores) {
    EXPECT_FALSE(core.pus.empty());
    from_cores.insert(from_cores.end(), core.pus.begin(), core.pus.end());
  }
  std::sort(from_cores.begin(), from_cores.end());
  EXPECT_EQ(from_cores, t.pus);
  EXPECT_TRUE(t.nic_numa_nodes.contains("lo"));
}

TEST(Topology, SysfsNicNodesReadTheDeviceFileOrSayNone) {
  namespace fs = std::filesystem;
  const fs::path root = fs::path(::testing::TempDir()) / "sipring_sys_class_net";
  fs::remove_all(root);
  fs::create_directories(root / "eth0" / "device");
  fs::create_directories(root / "eth1" / "device");
  fs::create_directories(root / "virt0" / "device");  // a device without NUMA affinity
  fs::create_directories(root / "lo");                // no device at all
  std::ofstream(root / "eth0" / "device" / "numa_node") << "0\n";
  std::ofstream(root / "eth1" / "device" / "numa_node") << "1\n";
  std::ofstream(root / "virt0" / "device" / "numa_node") << "-1\n";
  const auto nics = read_sysfs_nic_numa_nodes(root.string());
  EXPECT_EQ(nics.size(), 4u);
  EXPECT_EQ(nics.at("eth0"), 0);
  EXPECT_EQ(nics.at("eth1"), 1);
  EXPECT_EQ(nics.at("virt0"), no_numa_node);
  EXPECT_EQ(nics.at("lo"), no_numa_node);
  fs::remove_all(root);
  EXPECT_TRUE(read_sysfs_nic_numa_nodes(root.string()).empty());
}

}  // namespace
