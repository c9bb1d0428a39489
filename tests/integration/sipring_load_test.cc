// sipring-load (bench/load/) against the real sipring on a free port: each scenario over UDP,
// OPTIONS over TCP, digest authentication, large responses (an AOR with many bindings), a closed
// port (failures counted, no hang) and bad arguments (exit 2). Each run is short: a fixed count at a modest rate.

#include <gtest/gtest.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "child_process.h"
#include "free_port.h"
#include "loopback.h"
#include "sipring/crypto/digest_hash.h"
#include "test_pki.h"

#ifdef SIPRING_LOAD_BINARY

namespace {

using namespace std::chrono_literals;
using sipring::testing::child_process;
using sipring::testing::command_result;
using sipring::testing::free_port;
using sipring::testing::run_command;

// sipring on 127.0.0.1:<port> (UDP and TCP) on one shard.
class server {
 public:
  explicit server(const std::string& extra_config = {}) : _port(free_port()) {
    const std::string path = ::testing::TempDir() + "sipring_load_" + std::to_string(_port) + ".toml";
    std::ofstream(path) << "[server]\ndomains = [\"localhost\", \"127.0.0.1\"]\ncpus = \"0\"\nt1_ms = 100\n"
                        << "[runtime]\nstop_grace_ms = 500\n"
                        << "[[listen]]\ntransport = \"udp\"\naddress = \"127.0.0.1:" << _port << "\"\n"
                        << "[[listen]]\ntransport = \"tcp\"\naddress = \"127.0.0.1:" << _port << "\"\n"
                        << extra_config;
    _process = std::make_unique<child_process>(std::vector<std::string>{SIPRING_BINARY, "--config", path});
    _up = _process->wait_for_output("sipring: running", 10s);
  }
  ~server() {
    _process->signal(SIGTERM);
    _process->wait_exit(10s);
  }
  bool up() const { return _up; }
  std::string address() const { return "127.0.0.1:" + std::to_string(_port); }
  child_process& process() { return *_process; }

 private:
  std::uint16_t _port;
  std::unique_ptr<child_process> _process;
  bool _up = false;
};

command_result load(std::vector<std::string> args) {
  args.insert(args.begin(), SIPRING_LOAD_BINARY);
  return run_command(args, 60s);
}

// The number after "key": in the JSON summary (-1 when absent).
long long json_number(const std::string& json, const std::string& key) {
  const auto at = json.find("\"" + key + "\":");
  if (at == std::string::npos) return -1;
  return std::stoll(json.substr(at + key.size() + 3));
}

// The failure count of one kind ("timeout", "status", "transport") in the JSON summary.
long long failed_of(const std::string& json, const std::string& kind) {
  const auto failed = json.find("\"failed\":{");
  return failed == std::string::npos ? -1 : json_number(json.substr(failed), kind);
}

std::string describe(const command_result& r) {
  return "exit " + std::to_string(r.exit_code) + "\nstdout:\n" + r.out + "\nstderr:\n" + r.err;
}

TEST(SipringLoad, Register200UsersAtAFixedRateOverUdp) {
  server s;
  ASSERT_TRUE(s.up()) << s.process().err();
  const auto r = load({"--scenario", "register", "--target", s.address(), "--users", "200", "--rate", "400",
                       "--count", "200", "--duration", "5", "--json", "--timeout-ms", "3000"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_EQ(json_number(r.out, "started"), 200) << r.out;
  EXPECT_EQ(json_number(r.out, "completed"), 200) << r.out;
  EXPECT_EQ(json_number(r.out, "timeout"), 0) << r.out;
  EXPECT_GT(json_number(r.out, "p99"), 0) << r.out;
  for (const char* key : {"\"scenario\":\"register\"", "\"transport\":\"udp\"", "\"failed\":{", "\"statuses\":{",
                          "\"offered_rate\"", "\"achieved_rate\"", "\"latency_us\":{", "\"p999\"", "\"max\"",
                          "\"cpu_us_per_transaction\"", "\"steps\":[{", "\"p99_us\""})
    EXPECT_NE(r.out.find(key), std::string::npos) << key << " in " << r.out;
}

TEST(SipringLoad, OptionsOverTcpClosedLoop) {
  server s;
  ASSERT_TRUE(s.up()) << s.process().err();
  const auto r = load({"--scenario", "options", "--transport", "tcp", "--target", s.address(), "--concurrency", "10",
                       "--count", "500", "--connections", "2", "--json", "--timeout-ms", "3000"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_EQ(json_number(r.out, "completed"), 500) << r.out;
  EXPECT_NE(r.out.find("\"transport\":\"tcp\""), std::string::npos) << r.out;
}

TEST(SipringLoad, MessageAndCallOverUdp) {
  server s;
  ASSERT_TRUE(s.up()) << s.process().err();
  for (const char* scenario : {"message", "call"}) {
    const auto r = load({"--scenario", scenario, "--target", s.address(), "--users", "20", "--rate", "100",
                         "--count", "50", "--json", "--timeout-ms", "3000"});
    ASSERT_EQ(r.exit_code, 0) << scenario << ": " << describe(r);
    EXPECT_EQ(json_number(r.out, "completed"), 50) << scenario << ": " << r.out;
  }
}

TEST(SipringLoad, CallOverTcpWithRateSteps) {
  server s;
  ASSERT_TRUE(s.up()) << s.process().err();
  const auto r = load({"--scenario", "call", "--transport", "tcp", "--target", s.address(), "--users", "20",
                       "--rate-steps", "50,100:1", "--json", "--timeout-ms", "3000"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_GT(json_number(r.out, "completed"), 100) << r.out;
  EXPECT_EQ(json_number(r.out, "timeout"), 0) << r.out;
  // One entry per step.
  const auto steps = r.out.find("\"steps\":[");
  ASSERT_NE(steps, std::string::npos);
  std::size_t entries = 0;
  for (auto at = r.out.find("p99_us", steps); at != std::string::npos; at = r.out.find("p99_us", at + 1)) ++entries;
  EXPECT_EQ(entries, 2u) << r.out;
}

TEST(SipringLoad, RegisterWithDigestAuthentication) {
  const std::string users = ::testing::TempDir() + "sipring_load_users.htdigest";
  {
    std::ofstream f(users);
    for (int i = 1; i <= 10; ++i) {
      char ha1[33] = {};
      const std::string a1 = "user" + std::to_string(i) + ":sipring.test:secret";
      ASSERT_TRUE(sipring::crypto::hash_hex(sipring::crypto::hash_algorithm::md5, a1, std::span<char>(ha1, 32)));
      f << "user" << i << ":sipring.test:" << std::string(ha1, 32) << "\n";
    }
  }
  server s("[auth]\nrealm = \"sipring.test\"\nusers_file = \"" + users + "\"\n");
  ASSERT_TRUE(s.up()) << s.process().err();
  const auto good = load({"--scenario", "register", "--target", s.address(), "--users", "10", "--password", "secret",
                          "--rate", "100", "--count", "20", "--json", "--timeout-ms", "3000"});
  ASSERT_EQ(good.exit_code, 0) << describe(good);
  EXPECT_EQ(json_number(good.out, "completed"), 20) << good.out;
  // Without the password every REGISTER ends in 401, counted by status.
  const auto bad = load({"--scenario", "register", "--target", s.address(), "--users", "10", "--rate", "100",
                         "--count", "10", "--json", "--timeout-ms", "3000"});
  ASSERT_EQ(bad.exit_code, 0) << describe(bad);
  EXPECT_EQ(json_number(bad.out, "status"), 10) << bad.out;
  EXPECT_EQ(json_number(bad.out, "401"), 10) << bad.out;
}

// A TLS listener on `port` with the test PKI's sip.a.test certificate (extra configuration).
std::string tls_listener(std::uint16_t port) {
  using sipring::test::test_pki;
  return "[[listen]]\ntransport = \"tls\"\naddress = \"127.0.0.1:" + std::to_string(port) +
         "\"\n[tls]\ncertificate = \"" + test_pki("sip.a.test.crt") + "\"\nprivate_key = \"" +
         test_pki("sip.a.test.key") + "\"\n";
}

TEST(SipringLoad, EveryScenarioOverTlsVerifyingTheServer) {
  using sipring::test::test_pki;
  const std::uint16_t tls_port = free_port();
  server s(tls_listener(tls_port));
  ASSERT_TRUE(s.up()) << s.process().err();
  const std::string target = "127.0.0.1:" + std::to_string(tls_port);
  for (const char* scenario : {"options", "register", "message", "call"}) {
    const auto r = load({"--scenario", scenario, "--transport", "tls", "--target", target, "--ca", test_pki("ca-a.crt"),
                         "--server-name", "sip.a.test", "--users", "20", "--rate", "100", "--count", "50", "--json",
                         "--timeout-ms", "3000"});
    ASSERT_EQ(r.exit_code, 0) << scenario << ": " << describe(r);
    EXPECT_EQ(json_number(r.out, "completed"), 50) << scenario << ": " << r.out;
  }
  // A CA that did not sign the server's certificate: the handshake fails, nothing runs.
  const auto refused = load({"--scenario", "options", "--transport", "tls", "--target", target, "--ca",
                             test_pki("ca-b.crt"), "--server-name", "sip.a.test", "--rate", "10", "--count", "5"});
  EXPECT_EQ(refused.exit_code, 1) << describe(refused);
  EXPECT_NE(refused.err.find("TLS handshake"), std::string::npos) << refused.err;
}

// --new-connection-per-transaction: a connection (and over TLS a handshake) per OPTIONS; with
// --tls-resume most handshakes resume the previous connection's ticket (sipring issues tickets
// by default), also without a key exchange (--tls-psk-only).
TEST(SipringLoad, NewConnectionPerTransaction) {
  using sipring::test::test_pki;
  const std::uint16_t tls_port = free_port();
  server s(tls_listener(tls_port));
  ASSERT_TRUE(s.up()) << s.process().err();
  const std::string target = "127.0.0.1:" + std::to_string(tls_port);
  auto tls = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"--scenario", "options", "--transport", "tls", "--target", target, "--ca",
                                     test_pki("ca-a.crt"), "--server-name", "sip.a.test", "--users", "20",
                                     "--rate", "200", "--count", "50", "--json", "--timeout-ms", "3000",
                                     "--new-connection-per-transaction"};
    args.insert(args.end(), extra.begin(), extra.end());
    return load(args);
  };
  const auto full = tls({});
  ASSERT_EQ(full.exit_code, 0) << describe(full);
  EXPECT_EQ(json_number(full.out, "completed"), 50) << full.out;
  EXPECT_EQ(json_number(full.out, "connections_opened"), 50) << full.out;
  EXPECT_EQ(json_number(full.out, "full"), 50) << full.out;
  EXPECT_EQ(json_number(full.out, "resumed"), 0) << full.out;
  EXPECT_NE(full.out.find("\"handshakes\":{"), std::string::npos) << full.out;
  EXPECT_NE(full.out.find("\"cpu_us_per_transaction\""), std::string::npos) << full.out;
  for (const char* mode : {"--tls-resume", "--tls-psk-only"}) {
    const auto resumed = tls({mode});
    ASSERT_EQ(resumed.exit_code, 0) << mode << ": " << describe(resumed);
    EXPECT_EQ(json_number(resumed.out, "completed"), 50) << mode << ": " << resumed.out;
    EXPECT_EQ(json_number(resumed.out, "full") + json_number(resumed.out, "resumed"), 50) << mode << ": " << resumed.out;
    EXPECT_GE(json_number(resumed.out, "resumed"), 40) << mode << ": " << resumed.out;
  }
  // The answering side keeps its registration connection; each MESSAGE has its own.
  const auto message = load({"--scenario", "message", "--transport", "tls", "--target", target, "--ca",
                             test_pki("ca-a.crt"), "--server-name", "sip.a.test", "--users", "20", "--rate", "100",
                             "--count", "30", "--json", "--timeout-ms", "3000", "--new-connection-per-transaction",
                             "--tls-resume"});
  ASSERT_EQ(message.exit_code, 0) << describe(message);
  EXPECT_EQ(json_number(message.out, "completed"), 30) << message.out;
  EXPECT_EQ(json_number(message.out, "connections_opened"), 30) << message.out;
  // TCP, closed loop.
  const auto tcp = load({"--scenario", "options", "--transport", "tcp", "--target", s.address(), "--concurrency", "5",
                         "--count", "50", "--json", "--timeout-ms", "3000", "--new-connection-per-transaction"});
  ASSERT_EQ(tcp.exit_code, 0) << describe(tcp);
  EXPECT_EQ(json_number(tcp.out, "completed"), 50) << tcp.out;
  EXPECT_EQ(json_number(tcp.out, "connections_opened"), 50) << tcp.out;
  EXPECT_EQ(json_number(tcp.out, "full"), 0) << tcp.out;
}

// One UDP request to 127.0.0.1:<port> from an ephemeral port; the answer's bytes ("" when none
// came within a second).
std::string udp_exchange(std::uint16_t port, const std::string& request_without_via) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in local = sipring::testing::loopback_address(0);
  socklen_t length = sizeof local;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) != 0) {
    ::close(fd);
    return {};
  }
  const std::string via = "Via: SIP/2.0/UDP 127.0.0.1:" + std::to_string(ntohs(local.sin_port)) +
                          ";branch=z9hG4bKmany1;rport\r\n";
  const std::string request = request_without_via.substr(0, request_without_via.find("\r\n") + 2) + via +
                              request_without_via.substr(request_without_via.find("\r\n") + 2);
  const sockaddr_in to = sipring::testing::loopback_address(port);
  const timeval second{1, 0};
  (void)::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &second, sizeof second);
  std::string answer(65536, '\0');
  const bool sent = ::sendto(fd, request.data(), request.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to) ==
                    static_cast<ssize_t>(request.size());
  const ssize_t n = sent ? ::recv(fd, answer.data(), answer.size(), 0) : -1;
  ::close(fd);
  answer.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  return answer;
}

// A 200 to REGISTER lists every binding of the AOR: with a hundred of them it is larger than a
// page and has more header lines than a small parse table; every one is still understood.
TEST(SipringLoad, RegisterAnAorWithAHundredBindings) {
  server s;
  ASSERT_TRUE(s.up()) << s.process().err();
  // Four REGISTERs of 25 bindings each (a request stays under the server's 4 KiB datagrams).
  const std::string port = s.address().substr(s.address().rfind(':') + 1);
  std::string answer;
  for (int part = 0; part < 4; ++part) {
    std::string request =
        "REGISTER sip:localhost SIP/2.0\r\nMax-Forwards: 70\r\nFrom: <sip:user1@localhost>;tag=m1\r\n"
        "To: <sip:user1@localhost>\r\nCall-ID: many-bindings@test\r\nCSeq: " + std::to_string(part + 1) +
        " REGISTER\r\nExpires: 600\r\n";
    for (int i = 0; i < 25; ++i)
      request += "Contact: <sip:user1@127.0.0.1:" + std::to_string(40000 + part * 25 + i) + ">\r\n";
    request += "Content-Length: 0\r\n\r\n";
    answer = udp_exchange(static_cast<std::uint16_t>(std::stoi(port)), request);
    ASSERT_TRUE(answer.starts_with("SIP/2.0 200")) << answer;
  }
  ASSERT_GT(answer.size(), 4096u);

  for (const char* receive : {"poll", "events"}) {
    const auto r = load({"--scenario", "register", "--target", s.address(), "--users", "1", "--domain", "localhost",
                         "--rate", "50",
                         "--count", "5", "--json", "--timeout-ms", "2000", "--receive", receive});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_EQ(json_number(r.out, "completed"), 5) << receive << ": " << r.out;
    EXPECT_EQ(json_number(r.out, "unparsed"), 0) << receive << ": " << r.out;
  }
}

// The server dies mid-run: what was in flight on the TCP connection and every later start are
// transport failures at once, not timeouts at the end.
TEST(SipringLoad, LostConnectionCountsTransportFailures) {
  auto s = std::make_unique<server>();
  ASSERT_TRUE(s->up()) << s->process().err();
  child_process generator({SIPRING_LOAD_BINARY, "--scenario", "options", "--transport", "tcp", "--target",
                           s->address(), "--rate", "200", "--duration", "3", "--json", "--timeout-ms", "20000"});
  std::this_thread::sleep_for(1s);
  s->process().signal(SIGKILL);
  const auto start = std::chrono::steady_clock::now();
  const auto exit_code = generator.wait_exit(30s);
  ASSERT_TRUE(exit_code.has_value());
  EXPECT_EQ(*exit_code, 0) << generator.err();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s) << "the 20 s timeout was waited for";
  EXPECT_GT(json_number(generator.out(), "completed"), 0) << generator.out();
  EXPECT_GT(failed_of(generator.out(), "transport"), 100) << generator.out();
  EXPECT_EQ(failed_of(generator.out(), "timeout"), 0) << generator.out();
}

TEST(SipringLoad, ClosedPortCountsFailuresWithoutHanging) {
  const std::string target = "127.0.0.1:" + std::to_string(free_port());
  const auto start = std::chrono::steady_clock::now();
  const auto udp = load({"--scenario", "register", "--target", target, "--rate", "50", "--count", "10", "--json",
                         "--timeout-ms", "300", "--t1-ms", "50"});
  ASSERT_EQ(udp.exit_code, 0) << describe(udp);
  EXPECT_EQ(json_number(udp.out, "timeout"), 10) << udp.out;
  EXPECT_EQ(json_number(udp.out, "completed"), 0) << udp.out;
  // Over TCP the target cannot be reached at all: exit 1 with the reason.
  const auto tcp = load({"--scenario", "options", "--transport", "tcp", "--target", target, "--rate", "10",
                         "--duration", "1"});
  EXPECT_EQ(tcp.exit_code, 1) << describe(tcp);
  EXPECT_NE(tcp.err.find("cannot connect"), std::string::npos) << tcp.err;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
}

TEST(SipringLoad, BadArgumentsExit2) {
  const std::vector<std::vector<std::string>> bad = {
      {},
      {"--scenario", "dance", "--target", "127.0.0.1:5060", "--rate", "1"},
      {"--scenario", "register", "--rate", "1"},
      {"--scenario", "register", "--target", "127.0.0.1", "--rate", "1"},
      {"--scenario", "register", "--target", "127.0.0.1:5060"},
      {"--scenario", "register", "--target", "127.0.0.1:5060", "--rate", "1", "--concurrency", "2"},
      {"--scenario", "register", "--target", "127.0.0.1:5060", "--rate", "-3"},
      {"--scenario", "register", "--target", "127.0.0.1:5060", "--ramp", "1:2"},
      {"--scenario", "register", "--target", "127.0.0.1:5060", "--rate", "1", "--transport", "sctp"},
      {"--scenario", "register", "--target", "127.0.0.1:5060", "--rate", "1", "--bogus"},
      {"--scenario", "register", "--target", "127.0.0.1:5060", "--rate", "1", "--cpus", "9999"},
      {"--scenario", "call", "--transport", "tcp", "--target", "127.0.0.1:5060", "--rate", "1",
       "--new-connection-per-transaction"},
      {"--scenario", "options", "--transport", "tls", "--target", "127.0.0.1:5060", "--rate", "1", "--tls-resume"},
      {"--scenario", "options", "--target", "127.0.0.1:5060", "--rate", "1", "--new-connection-per-transaction"},
  };
  for (const auto& args : bad) {
    const auto r = load(args);
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    EXPECT_EQ(r.exit_code, 2) << joined << describe(r);
    EXPECT_NE(r.err.find("sipring-load: "), std::string::npos) << joined << describe(r);
  }
}

}  // namespace

#endif  // SIPRING_LOAD_BINARY
