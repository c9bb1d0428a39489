// The real build/bin/sipring, run as an operator would: --version, --help, serving the embedded
// default until SIGTERM/SIGINT, SIGHUP while serving, and configuration errors.

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <string>

#include "child_process.h"

namespace {

using namespace std::chrono_literals;
using sipring::testing::child_process;
using sipring::testing::run_command;

const std::string sipring = SIPRING_BINARY;

TEST(ServerCli, VersionReportsAesNiSimdAndIoUring) {
  const auto r = run_command({sipring, "--version"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("sipring "), std::string::npos);
  EXPECT_NE(r.out.find("wolfSSL 5."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("AES-NI: compiled in: yes"), std::string::npos) << r.out;
  if (__builtin_cpu_supports("aes") && __builtin_cpu_supports("pclmul")) {
    EXPECT_NE(r.out.find("in use: yes"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("TLS: 1.2 and 1.3, AES-GCM suites first; sessions use AES-NI: yes"), std::string::npos) << r.out;
  }
  EXPECT_NE(r.out.find("parser SIMD: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("io_uring: kernel "), std::string::npos) << r.out;
}

TEST(ServerCli, VersionHonoursTheSimdOverride) {
  const auto r = run_command({"env", "SIPRING_SIMD=scalar", sipring, "--version"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("parser SIMD: scalar (forced by SIPRING_SIMD)"), std::string::npos) << r.out;
}

TEST(ServerCli, AnUnknownSimdOverrideStopsTheServerAtStart) {
  const auto r = run_command({"env", "SIPRING_SIMD=sse9", sipring}, std::chrono::seconds(10));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("SIPRING_SIMD must be avx512, avx2 or scalar"), std::string::npos) << r.err;
}

TEST(ServerCli, HelpListsOptions) {
  const auto r = run_command({sipring, "--help"});
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--config FILE"), std::string::npos);
  EXPECT_NE(r.out.find("--version"), std::string::npos);
}

TEST(ServerCli, UnknownOptionExitsWithUsageError) {
  const auto r = run_command({sipring, "--bogus"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown option '--bogus'"), std::string::npos) << r.err;
}

TEST(ServerCli, ServesTheEmbeddedDefaultUntilSigterm) {
  child_process server({sipring});
  ASSERT_TRUE(server.wait_for_output("sipring: running", 10s)) << server.out() << server.err();
  EXPECT_NE(server.out().find("configuration (embedded default)"), std::string::npos);
  EXPECT_NE(server.out().find("127.0.0.1:5060"), std::string::npos) << server.out();
  ASSERT_TRUE(server.signal(SIGTERM));
  EXPECT_EQ(server.wait_exit(10s), 0);
  EXPECT_NE(server.out().find("SIGTERM received, stopping"), std::string::npos) << server.out();
  EXPECT_NE(server.out().find("stopped cleanly"), std::string::npos) << server.out();
}

TEST(ServerCli, SighupIsAReloadRequestAndSigintStops) {
  // The default configuration has no [tls]: nothing to reload, said so (the reload itself is
  // tested in tls_federation_test.cc).
  child_process server({sipring});
  ASSERT_TRUE(server.wait_for_output("sipring: running", 10s)) << server.err();
  ASSERT_TRUE(server.signal(SIGHUP));
  ASSERT_TRUE(server.wait_for_output("SIGHUP: nothing to reload (no [tls])", 10s)) << server.out();
  ASSERT_TRUE(server.signal(SIGINT));
  EXPECT_EQ(server.wait_exit(10s), 0);
}

TEST(ServerCli, BadConfigurationNamesFileAndLine) {
  const std::string path = ::testing::TempDir() + "sipring_cli_bad.toml";
  {
    std::ofstream f(path);
    f << "[server]\n\ncpus = = \"0\"\n";
  }
  const auto r = run_command({sipring, "--config", path});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(path + ":3:"), std::string::npos) << r.err;
  std::remove(path.c_str());
}

TEST(ServerCli, BinaryContainsAesNiInstructions) {
  const auto r = run_command({"objdump", "-d", "--no-show-raw-insn", sipring}, 120s);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::size_t count = 0;
  for (std::size_t pos = r.out.find("aesenc"); pos != std::string::npos;
       pos = r.out.find("aesenc", pos + 1))
    ++count;
  EXPECT_GT(count, 100u) << "wolfSSL's AES-NI code is not linked into sipring";
}

}  // namespace
