// The real sipring with `cpus = "0-1"`: two shard threads, each pinned to exactly its CPU and
// named sipring/N, as `taskset -p` and `top -H` show them; a graceful stop on SIGTERM.

#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "child_process.h"

namespace {

using namespace std::chrono_literals;
using sipring::testing::child_process;

const std::string sipring = SIPRING_BINARY;

// Thread name -> the CPUs its affinity allows, for every thread of `pid`.
std::map<std::string, std::vector<int>> threads_of(pid_t pid) {
  std::map<std::string, std::vector<int>> out;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task")) {
    const pid_t tid = std::stoi(entry.path().filename().string());
    std::ifstream comm(entry.path() / "comm");
    std::string name;
    std::getline(comm, name);
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(tid, sizeof set, &set) != 0) continue;
    std::vector<int> cpus;
    for (int c = 0; c < CPU_SETSIZE; ++c)
      if (CPU_ISSET(c, &set)) cpus.push_back(c);
    out[name] = cpus;
  }
  return out;
}

TEST(ServerShards, EachShardThreadIsPinnedToItsCpuAndNamed) {
  if (sysconf(_SC_NPROCESSORS_ONLN) < 2) GTEST_SKIP() << "needs two CPUs";
  const std::string path = ::testing::TempDir() + "sipring_two_shards.toml";
  std::ofstream(path) << "[server]\ncpus = \"0-1\"\n";
  child_process server({sipring, "--config", path});
  ASSERT_TRUE(server.wait_for_output("sipring: running", 10s)) << server.out() << server.err();
  EXPECT_NE(server.out().find("shards: 2, on CPUs 0-1"), std::string::npos) << server.out();
  const auto threads = threads_of(server.pid());
  ASSERT_TRUE(threads.count("sipring/0")) << "no thread named sipring/0";
  ASSERT_TRUE(threads.count("sipring/1")) << "no thread named sipring/1";
  EXPECT_EQ(threads.at("sipring/0"), std::vector<int>{0});
  EXPECT_EQ(threads.at("sipring/1"), std::vector<int>{1});
  ASSERT_TRUE(server.signal(SIGTERM));
  EXPECT_EQ(server.wait_exit(10s), 0);
  EXPECT_NE(server.out().find("stopped cleanly"), std::string::npos) << server.out();
}

TEST(ServerShards, BadRuntimeKeysNameTheFileLineAndKey) {
  const std::string path = ::testing::TempDir() + "sipring_bad_runtime.toml";
  std::ofstream(path) << "[runtime]\nreceive_buffers = 1000\n";
  child_process server({sipring, "--config", path});
  EXPECT_EQ(server.wait_exit(10s), 1);
  EXPECT_NE(server.err().find(path + ":2:19: [runtime] receive_buffers must be an integer from 16 to 32768, a power of two"),
            std::string::npos)
      << server.err();
}

}  // namespace
