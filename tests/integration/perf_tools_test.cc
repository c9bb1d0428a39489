// The operators' tools in perf/ on this machine: perf/sipring-pinning prints a [server] cpus
// line for loopback and for the default route's interface and refuses an interface that does
// not exist; perf/sipring-profile finds the shard threads of a real sipring and either prints
// perf's counts or says why perf cannot run here — never nothing.

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "child_process.h"
#include "free_port.h"

namespace {

using namespace std::chrono_literals;
using sipring::testing::child_process;
using sipring::testing::free_port;
using sipring::testing::run_command;

const std::string source_dir = SIPRING_SOURCE_DIR;
const std::string pinning = source_dir + "/perf/sipring-pinning";
const std::string profile = source_dir + "/perf/sipring-profile";
const std::string sipring = SIPRING_BINARY;

bool has_python3() {
  static const bool found = run_command({"python3", "-c", "pass"}, 10s).exit_code == 0;
  return found;
}

// The interface of the IPv4 default route, or "" when there is none.
std::string default_interface() {
  std::ifstream route("/proc/net/route");
  std::string line;
  std::getline(route, line);  // header
  while (std::getline(route, line)) {
    std::istringstream fields(line);
    std::string iface, destination;
    if (fields >> iface >> destination && destination == "00000000") return iface;
  }
  return "";
}

class PerfTools : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!has_python3()) GTEST_SKIP() << "python3 is not installed (scripts/setup installs it)";
  }
};

TEST_F(PerfTools, PinningOnLoopbackPrintsACpusLineAndSaysWhatItCannotPlace) {
  const auto r = run_command({pinning, "--nic", "lo", "--sipring", sipring});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("== machine (sysfs)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\n  cpus = \""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("lo is the loopback interface"), std::string::npos) << r.out;
  const auto unknown = r.out.find("== could not determine\n");
  ASSERT_NE(unknown, std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\n  - lo: loopback, so no NUMA node, IRQs or queues", unknown), std::string::npos) << r.out;
  // The hwloc view comes from the sipring binary given.
  EXPECT_NE(r.out.find("--show-topology)\n  machine: "), std::string::npos) << r.out;
  // No IRQ commands for an interface without interrupts.
  EXPECT_EQ(r.out.find("smp_affinity_list"), std::string::npos) << r.out;
}

TEST_F(PerfTools, PinningOnTheDefaultInterfacePrintsCpusAndNic) {
  const std::string iface = default_interface();
  if (iface.empty()) GTEST_SKIP() << "no IPv4 default route on this machine";
  const auto r = run_command({pinning, "--sipring", sipring});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("== interface " + iface + " (the default route's interface)"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\n  cpus = \""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("== advice\n  shards: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("== could not determine"), std::string::npos) << r.out;
  // The advised cpus line is one sipring accepts: feed it back through --show-topology.
  const auto at = r.out.find("\n  cpus = \"");
  const auto end = r.out.find('\n', at + 1);
  const std::string cpus_line = r.out.substr(at + 3, end - at - 3);
  const std::string path = ::testing::TempDir() + "sipring_pinning_advice.toml";
  std::ofstream(path) << "[server]\n" << cpus_line << "\n";
  const auto check = run_command({sipring, "--show-topology", "--config", path});
  EXPECT_EQ(check.exit_code, 0) << cpus_line << "\n" << check.err;
  std::remove(path.c_str());
}

TEST_F(PerfTools, PinningRefusesAMissingInterfaceClearly) {
  const auto r = run_command({pinning, "--nic", "nosuchnic0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("network interface 'nosuchnic0' not found (this machine has: "), std::string::npos)
      << r.err;
  EXPECT_EQ(r.out.find("cpus = "), std::string::npos) << r.out;
}

TEST_F(PerfTools, ProfileStatFindsTheShardThreadsAndReportsCountsOrWhyNot) {
  const std::uint16_t port = free_port();
  ASSERT_NE(port, 0);
  const bool two = sysconf(_SC_NPROCESSORS_ONLN) >= 2;
  const std::string path = ::testing::TempDir() + "sipring_perf_" + std::to_string(port) + ".toml";
  std::ofstream(path) << "[server]\ndomains = [\"localhost\"]\ncpus = \"" << (two ? "0-1" : "0") << "\"\n"
                      << "[runtime]\nstop_grace_ms = 200\n"
                      << "[[listen]]\ntransport = \"udp\"\naddress = \"127.0.0.1:" << port << "\"\n";
  auto server = std::make_unique<child_process>(std::vector<std::string>{sipring, "--config", path});
  ASSERT_TRUE(server->wait_for_output("sipring: running", 10s)) << server->err();

  const auto r = run_command({profile, "stat", "--pid", std::to_string(server->pid()), "--seconds", "1",
                              "--per-shard"},
                             90s);
  const std::string all = r.out + r.err;
  EXPECT_NE(all.find("sipring pid " + std::to_string(server->pid()) + ", " + (two ? "2" : "1") +
                     " shard thread(s): sipring/0 = thread "),
            std::string::npos)
      << all;
  if (two) {
    EXPECT_NE(all.find(", sipring/1 = thread "), std::string::npos) << all;
  }
  const bool counted = r.exit_code == 0 && all.find("== shard 0 (sipring/0, thread ") != std::string::npos &&
                       all.find("task-clock") != std::string::npos;
  const bool refused = r.exit_code == 3 && (all.find("perf not permitted: ") != std::string::npos ||
                                            all.find("perf not found") != std::string::npos);
  EXPECT_TRUE(counted || refused) << "exit " << r.exit_code << "\n" << all;

  server->signal(SIGTERM);
  EXPECT_EQ(server->wait_exit(10s), 0);
  std::remove(path.c_str());
}

TEST_F(PerfTools, ProfileWithoutAServerSaysSo) {
  const auto r = run_command({profile, "stat", "--pid", "999999999", "--seconds", "1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("sipring-profile: no process 999999999"), std::string::npos) << r.err;
}

}  // namespace
