// tests/support/sipp_runner against sipp itself, no server: the scenarios of
// tests/integration/sipp/ talk to each other directly (uas.xml answers message.xml and
// uac_call.xml), over UDP and TCP; the parsers of sipp's statistics; the timeout.

#include "sipp_runner.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

namespace {

using namespace std::chrono_literals;
using sipring::testing::parse_sipp_stat_file;
using sipring::testing::parse_sipp_summary;
using sipring::testing::run_sipp;
using sipring::testing::sipp_background;
using sipring::testing::sipp_options;


bool sipp_installed() {
  return access("/usr/bin/sipp", X_OK) == 0 || access("/usr/local/bin/sipp", X_OK) == 0;
}

// A port free for UDP and TCP on 127.0.0.1, held by `fd` (UDP) until closed.
uint16_t free_port() {
  for (int attempt = 0; attempt < 50; ++attempt) {
    const int u = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    bind(u, reinterpret_cast<sockaddr*>(&a), sizeof a);
    getsockname(u, reinterpret_cast<sockaddr*>(&a), &len);
    const int t = socket(AF_INET, SOCK_STREAM, 0);
    const bool tcp_free = bind(t, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    close(t);
    close(u);
    if (tcp_free) return ntohs(a.sin_port);
  }
  return 0;
}

TEST(SippRunner, ReadsTheLastLineOfTheStatFile) {
  const std::string text =
      "StartTime;LastResetTime;SuccessfulCall(P);SuccessfulCall(C);FailedCall(P);FailedCall(C);\n"
      "a;b;0;0;0;0;\n"
      "a;b;3;17;1;2;\n";
  const auto counts = parse_sipp_stat_file(text);
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->first, 17u);
  EXPECT_EQ(counts->second, 2u);
  EXPECT_FALSE(parse_sipp_stat_file("StartTime;SuccessfulCall(C)\n"));
  EXPECT_FALSE(parse_sipp_stat_file(""));
}

TEST(SippRunner, ReadsTheFinalSummaryScreen) {
  const std::string text =
      "  Successful call        |        0                  |        1                 \n"
      "  Failed call            |        0                  |        0                 \n"
      "  Successful call        |        2                  |        5                 \n"
      "  Failed call            |        1                  |        3                 \n";
  const auto counts = parse_sipp_summary(text);
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->first, 5u);
  EXPECT_EQ(counts->second, 3u);
  EXPECT_FALSE(parse_sipp_summary("nothing here"));
}

class SippRunnerTransport : public ::testing::TestWithParam<const char*> {};

TEST_P(SippRunnerTransport, UacScenariosAgainstTheUasScenarioDirectly) {
  if (!sipp_installed()) GTEST_SKIP() << "sipp is not installed (Debian: sip-tester)";
  const uint16_t uas_port = free_port();
  ASSERT_NE(uas_port, 0);
  sipp_options uas;
  uas.scenario = "uas.xml";
  uas.transport = GetParam();
  uas.local_port = uas_port;
  uas.service = "alice";
  uas.calls = 0;
  sipp_background server(uas);
  std::this_thread::sleep_for(300ms);
  ASSERT_TRUE(server.running()) << server.stop().output;

  const std::string remote = "127.0.0.1:" + std::to_string(uas_port);
  for (const char* scenario : {"message.xml", "uac_call.xml"}) {
    sipp_options uac;
    uac.scenario = scenario;
    uac.transport = GetParam();
    uac.remote = remote;
    uac.service = "alice";
    uac.calls = 3;
    uac.rate = 100;
    uac.timeout = 20s;
    const auto r = run_sipp(uac);
    EXPECT_TRUE(r.all_succeeded(3)) << scenario << ": exit " << r.exit_code << ", "
                                    << r.successful << " ok, " << r.failed << " failed\n"
                                    << r.errors;
  }
  const auto r = server.stop(2s);
  EXPECT_TRUE(r.counts_known) << r.output;
  EXPECT_EQ(r.successful, 6u) << r.errors;
  EXPECT_EQ(r.failed, 0u) << r.errors;
}

INSTANTIATE_TEST_SUITE_P(Transports, SippRunnerTransport, ::testing::Values("u1", "t1"));

TEST(SippRunner, AUasThatNeverAnswersIsBoundedByTheTimeout) {
  if (!sipp_installed()) GTEST_SKIP() << "sipp is not installed (Debian: sip-tester)";
  // A UDP socket that reads nothing: the MESSAGE is retransmitted until the timeout kills sipp.
  const int sink = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  ASSERT_EQ(bind(sink, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  getsockname(sink, reinterpret_cast<sockaddr*>(&a), &len);
  sipp_options uac;
  uac.scenario = "message.xml";
  uac.remote = "127.0.0.1:" + std::to_string(ntohs(a.sin_port));
  uac.service = "nobody";
  uac.recv_timeout = 60s;
  uac.timeout = 1500ms;
  const auto start = std::chrono::steady_clock::now();
  const auto r = run_sipp(uac);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  EXPECT_EQ(r.exit_code, -1);
  EXPECT_TRUE(r.stopped);
  EXPECT_FALSE(r.all_succeeded(1));
  close(sink);
}

}  // namespace
