// `build/bin/sipring --show-topology` on this machine: it lists the CPUs the process may use,
// places one shard per physical core by default, honours [server] cpus and nic, and names the
// file, line and key of a bad setting.

#include <gtest/gtest.h>
#include <sched.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "child_process.h"

namespace {

using sipring::testing::run_command;

const std::string sipring = SIPRING_BINARY;

// The CPUs this process may run on, as a kernel CPU list ("0-1"), and how many.
std::pair<std::string, int> allowed_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  EXPECT_EQ(sched_getaffinity(0, sizeof set, &set), 0);
  std::string list;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (!CPU_ISSET(cpu, &set)) continue;
    int last = cpu;
    while (last + 1 < CPU_SETSIZE && CPU_ISSET(last + 1, &set)) ++last;
    if (!list.empty()) list += ',';
    list += std::to_string(cpu) + (last > cpu ? "-" + std::to_string(last) : "");
    cpu = last;
  }
  return {list, CPU_COUNT(&set)};
}

std::string write_config(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

TEST(ShowTopology, ListsThisMachinesCpusAndPlacesOneShardPerCore) {
  const auto r = run_command({sipring, "--show-topology"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto [cpus, count] = allowed_cpus();
  EXPECT_NE(r.out.find("configuration (embedded default)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("PUs (CPU" + std::string(count == 1 ? " " : "s ") + cpus + ")"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("configured: cpus = \"auto\"\n"), std::string::npos) << r.out;
  // Without SMT each CPU is a physical core, so auto gives as many shards as `nproc` says.
  const auto nproc = run_command({"nproc"});
  ASSERT_EQ(nproc.exit_code, 0);
  if (r.out.find("SMT off") != std::string::npos) {
    EXPECT_NE(r.out.find("shards: " + std::to_string(std::stoi(nproc.out)) + ", on CPU"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(std::stoi(nproc.out), count);
  }
}

TEST(ShowTopology, HonoursTheConfiguredListAndNic) {
  const auto path = write_config("sipring_topo_list.toml", "[server]\ncpus = \"0\"\nnic = \"lo\"\n");
  const auto r = run_command({sipring, "--show-topology", "--config", path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("configuration (" + path + ")"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("configured: cpus = \"0\", nic = \"lo\"\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("shards: 1, on CPU 0\n"), std::string::npos) << r.out;
  std::remove(path.c_str());
}

TEST(ShowTopology, AnUnknownNicFallsBackToEveryNodeAndSaysSo) {
  const auto path = write_config("sipring_topo_nic.toml", "[server]\nnic = \"nosuchnic0\"\n");
  const auto r = run_command({sipring, "--show-topology", "--config", path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("note: network interface 'nosuchnic0' not found"), std::string::npos)
      << r.out;
  std::remove(path.c_str());
}

TEST(ShowTopology, ACpuTheMachineLacksNamesFileLineAndKey) {
  const auto path = write_config("sipring_topo_bad.toml", "[server]\n\ncpus = \"0-4095\"\n");
  const auto r = run_command({sipring, "--show-topology", "--config", path});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(path + ":3:8: [server] cpus: CPU list '0-4095': CPU "), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("is not on this machine"), std::string::npos) << r.err;
  std::remove(path.c_str());
}

TEST(ShowTopology, AWrongTypeNamesFileLineAndKey) {
  const auto path = write_config("sipring_topo_type.toml", "[server]\ncpus = 2\n");
  const auto r = run_command({sipring, "--show-topology", "--config", path});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(path + ":2:8: [server] cpus must be a string"), std::string::npos) << r.err;
  std::remove(path.c_str());
}

}  // namespace
