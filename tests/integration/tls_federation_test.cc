// TLS from client to server and mutual TLS federation between two real sipring servers, on
// loopback, with real clients: openssl s_client (REGISTER over TLS with hostname verification;
// a client trusting another CA refuses us; partners presenting good and bad certificates) and
// sipp (a call and a MESSAGE from a user of a.test to a user of b.test, the A-B hop over MTLS).
// Every refusal is checked in the server's log with its reason, and the server keeps serving.
// The PKI is made by tests/support/make_test_pki when the tests run.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <cctype>
#include <string>
#include <thread>

#include "child_process.h"
#include "free_port.h"
#include "loopback.h"
#include "sipp_runner.h"
#include "test_pki.h"

namespace {

using namespace std::chrono_literals;
using sipring::test::test_pki;
using sipring::testing::child_process;
using sipring::testing::connect_loopback;
using sipring::testing::free_port;
using sipring::testing::run_command;
using sipring::testing::run_sipp;
using sipring::testing::sipp_background;
using sipring::testing::sipp_options;
using sipring::testing::sipp_result;
using sipring::testing::write_sipp_users;

const std::string sipring_binary = SIPRING_BINARY;

std::string cpus() { return sysconf(_SC_NPROCESSORS_ONLN) >= 2 ? "0-1" : "0"; }

// One sipring started on a configuration written by the test.
class sipring_server {
 public:
  sipring_server(const std::string& name, const std::string& config) {
    const std::string path = ::testing::TempDir() + "sipring_tls_" + name + "_" + std::to_string(getpid()) + ".toml";
    std::ofstream(path) << config;
    _process = std::make_unique<child_process>(std::vector<std::string>{sipring_binary, "--config", path});
    _up = _process->wait_for_output("sipring: running", 15s);
  }
  ~sipring_server() {
    if (_process) {
      _process->signal(SIGTERM);
      _process->wait_exit(10s);
    }
  }
  bool up() const { return _up; }
  child_process& process() { return *_process; }
  /// Waits until the log (stderr) holds `needle`.
  bool log_shows(const std::string& needle, std::chrono::milliseconds wait = 5s) {
    return _process->wait_for_output(needle, wait);
  }
  std::string log() const { return _process->err(); }
  bool stop() {
    _process->signal(SIGTERM);
    const auto code = _process->wait_exit(10s);
    return code == 0 && _process->out().find("stopped cleanly") != std::string::npos;
  }

 private:
  std::unique_ptr<child_process> _process;
  bool _up = false;
};

std::string common_server_keys(const std::string& domain) {
  return "[server]\ndomains = [\"" + domain + "\"]\ncpus = \"" + cpus() +
         "\"\nt1_ms = 100\n[runtime]\nstop_grace_ms = 500\n[log]\nlevel = \"info\"\n";
}

std::string listen(const std::string& transport, std::uint16_t port, bool federation = false) {
  return "[[listen]]\ntransport = \"" + transport + "\"\naddress = \"127.0.0.1:" + std::to_string(port) + "\"\n" +
         (federation ? "federation = true\n" : "");
}

std::string tls_table(const std::string& cert, const std::string& extra = {}) {
  return "[tls]\ncertificate = \"" + test_pki(cert + ".crt") + "\"\nprivate_key = \"" + test_pki(cert + ".key") +
         "\"\nhandshake_timeout_ms = 1000\n" + extra;
}

std::string partner(const std::string& domain, const std::string& ca, const std::string& server, std::uint16_t port,
                    const std::string& extra = {}) {
  return "[[federation]]\ndomain = \"" + domain + "\"\nca = [\"" + test_pki(ca) + "\"]\nservers = [\"" + server +
         "\"]\naddress = \"127.0.0.1:" + std::to_string(port) + "\"\n" + extra;
}

std::string write_file(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name + "_" + std::to_string(getpid());
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string sip_request(const std::string& method, const std::string& ruri, const std::string& from,
                        const std::string& to, const std::string& via_transport, int cseq = 1,
                        const std::string& extra = {}) {
  return method + " " + ruri + " SIP/2.0\r\nVia: SIP/2.0/" + via_transport + " 127.0.0.1:5999;branch=z9hG4bKtls" +
         std::to_string(cseq) + "\r\nMax-Forwards: 70\r\nFrom: <" + from + ">;tag=t1\r\nTo: <" + to +
         ">\r\nCall-ID: tls-" + method + "@test\r\nCSeq: " + std::to_string(cseq) + " " + method + "\r\n" + extra +
         "Content-Length: 0\r\n\r\n";
}

// openssl s_client to 127.0.0.1:port sending the file's bytes, staying `linger_s` for answers.
// `args`: verification and client-certificate options.
sipring::testing::command_result s_client(std::uint16_t port, const std::string& send_file,
                                          const std::string& args, int linger_s = 2) {
  const std::string script = "(cat '" + send_file + "'; sleep " + std::to_string(linger_s) +
                             ") | openssl s_client -nocommands -connect 127.0.0.1:" + std::to_string(port) + " " + args +
                             " 2>&1";
  return run_command({"bash", "-c", script}, 20s);
}

// ---- client to server ----------------------------------------------------------------------

TEST(TlsClients, OpensslVerifiesOurCertificateAndHostnameAndGets200ToARegister) {
  const std::uint16_t port = free_port();
  sipring_server s("client", common_server_keys("a.test") + listen("tls", port) + tls_table("sip.a.test"));
  ASSERT_TRUE(s.up()) << s.log();
  const std::string reg = write_file(
      "register.sip", sip_request("REGISTER", "sip:a.test", "sip:alice@a.test", "sip:alice@a.test", "TLS", 1,
                                  "Contact: <sip:alice@127.0.0.1:5999;transport=tls>\r\nExpires: 600\r\n"));
  const auto good = s_client(port, reg,
                             "-CAfile " + test_pki("ca-a.crt") +
                                 " -verify_hostname sip.a.test -verify_return_error -servername sip.a.test");
  EXPECT_NE(good.out.find("Verify return code: 0 (ok)"), std::string::npos) << good.out;
  EXPECT_NE(good.out.find("SIP/2.0 200 OK"), std::string::npos) << good.out;
  EXPECT_NE(good.out.find("Contact: <sip:alice@127.0.0.1:5999;transport=tls>"), std::string::npos) << good.out;

  // A client that trusts another CA refuses our certificate; the server goes on.
  const auto wrong_ca = s_client(port, reg, "-CAfile " + test_pki("ca-b.crt") + " -verify_return_error");
  EXPECT_NE(wrong_ca.exit_code, 0) << wrong_ca.out;
  EXPECT_NE(wrong_ca.out.find("unable to get local issuer certificate"), std::string::npos) << wrong_ca.out;
  EXPECT_EQ(wrong_ca.out.find("SIP/2.0 200"), std::string::npos) << wrong_ca.out;
  // ... and so does one expecting another name.
  const auto wrong_name = s_client(port, reg,
                                   "-CAfile " + test_pki("ca-a.crt") + " -verify_hostname sip.b.test -verify_return_error");
  EXPECT_EQ(wrong_name.out.find("SIP/2.0 200"), std::string::npos) << wrong_name.out;
  EXPECT_NE(wrong_name.out.find("hostname mismatch"), std::string::npos) << wrong_name.out;

  const std::string refresh = write_file(
      "register_refresh.sip", sip_request("REGISTER", "sip:a.test", "sip:alice@a.test", "sip:alice@a.test", "TLS", 2,
                                          "Contact: <sip:alice@127.0.0.1:5999;transport=tls>\r\nExpires: 600\r\n"));
  const auto again = s_client(port, refresh, "-CAfile " + test_pki("ca-a.crt") + " -verify_hostname sip.a.test");
  EXPECT_NE(again.out.find("SIP/2.0 200 OK"), std::string::npos) << again.out;
  EXPECT_TRUE(s.stop());
}

TEST(TlsClients, PlaintextAndStalledClientsOnTheTlsPortAreRefusedWithTheirReason) {
  const std::uint16_t port = free_port();
  sipring_server s("bad_clients", common_server_keys("a.test") + listen("tls", port) + tls_table("sip.a.test"));
  ASSERT_TRUE(s.up()) << s.log();

  // Plain SIP on the TLS port: no SIP answer, the connection is closed, the reason logged.
  {
    const int fd = connect_loopback(port);
    ASSERT_GE(fd, 0);
    const std::string plain = sip_request("OPTIONS", "sip:a.test", "sip:x@a.test", "sip:a.test", "TCP");
    ASSERT_EQ(::send(fd, plain.data(), plain.size(), 0), static_cast<ssize_t>(plain.size()));
    timeval tv{3, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char buf[4096];
    std::string got;
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) got.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    EXPECT_EQ(got.find("SIP/2.0"), std::string::npos) << got;
    EXPECT_TRUE(s.log_shows("refused: not TLS")) << s.log();
  }
  // A client that stops in the middle of its handshake: closed after handshake_timeout_ms.
  {
    const int fd = connect_loopback(port);
    ASSERT_GE(fd, 0);
    const char partial_hello[] = {0x16, 0x03, 0x01, 0x00, static_cast<char>(0xc8), 0x01, 0x00, 0x00};
    ASSERT_EQ(::send(fd, partial_hello, sizeof partial_hello, 0), static_cast<ssize_t>(sizeof partial_hello));
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    const auto start = std::chrono::steady_clock::now();
    char buf[64];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    const auto waited = std::chrono::steady_clock::now() - start;
    ::close(fd);
    EXPECT_LE(n, 0) << "the server answered a half ClientHello";
    EXPECT_GE(waited, 500ms);
    EXPECT_LT(waited, 4500ms) << "not closed at the handshake timeout";
    EXPECT_TRUE(s.log_shows("refused: handshake timeout")) << s.log();
  }
  // Still serving.
  const std::string reg = write_file(
      "register2.sip", sip_request("REGISTER", "sip:a.test", "sip:bob@a.test", "sip:bob@a.test", "TLS", 1,
                                   "Contact: <sip:bob@127.0.0.1:5998;transport=tls>\r\n"));
  const auto good = s_client(port, reg, "-CAfile " + test_pki("ca-a.crt") + " -verify_hostname sip.a.test");
  EXPECT_NE(good.out.find("SIP/2.0 200 OK"), std::string::npos) << good.out;
  EXPECT_TRUE(s.stop());
}

TEST(TlsClients, SighupLoadsANewCertificateForNewHandshakesAndEstablishedConnectionsCarryOn) {
  namespace fs = std::filesystem;
  const std::string dir = ::testing::TempDir() + "sipring_reload_" + std::to_string(getpid());
  fs::create_directories(dir);
  fs::copy_file(test_pki("sip.a.test.crt"), dir + "/server.crt", fs::copy_options::overwrite_existing);
  fs::copy_file(test_pki("sip.a.test.key"), dir + "/server.key", fs::copy_options::overwrite_existing);
  const std::uint16_t port = free_port();
  sipring_server s("reload", common_server_keys("a.test") + listen("tls", port) + "[tls]\ncertificate = \"" + dir +
                                 "/server.crt\"\nprivate_key = \"" + dir + "/server.key\"\n");
  ASSERT_TRUE(s.up()) << s.log();

  // A long-lived connection: one REGISTER now, another after the reload.
  const std::string first = sip_request("REGISTER", "sip:a.test", "sip:carol@a.test", "sip:carol@a.test", "TLS", 1,
                                        "Contact: <sip:carol@127.0.0.1:5997;transport=tls>\r\n");
  const std::string second = sip_request("REGISTER", "sip:a.test", "sip:carol@a.test", "sip:carol@a.test", "TLS", 2,
                                         "Contact: <sip:carol@127.0.0.1:5997;transport=tls>\r\n");
  const std::string f1 = write_file("reg_first.sip", first), f2 = write_file("reg_second.sip", second);
  child_process established({"bash", "-c",
                             "(cat '" + f1 + "'; sleep 4; cat '" + f2 + "'; sleep 2) | openssl s_client -nocommands -connect 127.0.0.1:" +
                                 std::to_string(port) + " -CAfile " + test_pki("ca-a.crt") +
                                 " -verify_hostname sip.a.test -verify_return_error 2>&1"});
  ASSERT_TRUE(established.wait_for_output("SIP/2.0 200 OK", 5s)) << established.out();

  fs::copy_file(test_pki("wildcard.a.test.crt"), dir + "/server.crt", fs::copy_options::overwrite_existing);
  fs::copy_file(test_pki("wildcard.a.test.key"), dir + "/server.key", fs::copy_options::overwrite_existing);
  ASSERT_TRUE(s.process().signal(SIGHUP));
  ASSERT_TRUE(s.log_shows("TLS credentials reloaded")) << s.log();

  const std::string probe = write_file("reg_probe.sip", sip_request("OPTIONS", "sip:a.test", "sip:p@a.test", "sip:a.test", "TLS"));
  const auto fresh = s_client(port, probe, "-CAfile " + test_pki("ca-a.crt") + " -verify_hostname sip.a.test", 1);
  EXPECT_NE(fresh.out.find("*.a.test"), std::string::npos) << "the new handshake did not see the new certificate\n"
                                                           << fresh.out;
  EXPECT_NE(fresh.out.find("SIP/2.0 200"), std::string::npos) << fresh.out;

  // The connection made before the reload still works: its second REGISTER is answered.
  ASSERT_TRUE(established.wait_exit(10s).has_value());
  std::size_t answers = 0;
  for (std::size_t at = 0; (at = established.out().find("SIP/2.0 200 OK", at)) != std::string::npos; ++at) ++answers;
  EXPECT_EQ(answers, 2u) << established.out();
  EXPECT_NE(established.out().find("CSeq: 2 REGISTER"), std::string::npos) << established.out();
  EXPECT_TRUE(s.stop());
  fs::remove_all(dir);
}

TEST(TlsClients, ARegistrationOverTlsBindsToItsConnection) {
  // alice registers over TLS with a contact nobody listens on; a MESSAGE for her sent over UDP
  // reaches her over her own TLS connection (openssl prints what it receives).
  const std::uint16_t port = free_port(), udp = free_port();
  sipring_server s("binding", common_server_keys("a.test") + listen("udp", udp) + listen("tls", port) +
                                  tls_table("sip.a.test"));
  ASSERT_TRUE(s.up()) << s.log();
  const std::string reg = write_file(
      "register_bind.sip", sip_request("REGISTER", "sip:a.test", "sip:alice@a.test", "sip:alice@a.test", "TLS", 1,
                                       "Contact: <sip:alice@192.0.2.99:5061;transport=tls>\r\n"));
  child_process alice({"bash", "-c",
                       "(cat '" + reg + "'; sleep 4) | openssl s_client -nocommands -quiet -connect 127.0.0.1:" +
                           std::to_string(port) + " -CAfile " + test_pki("ca-a.crt") + " -verify_hostname sip.a.test 2>&1"});
  ASSERT_TRUE(alice.wait_for_output("SIP/2.0 200 OK", 5s)) << alice.out();

  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(udp);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const std::string message = sip_request("MESSAGE", "sip:alice@a.test", "sip:bob@a.test", "sip:alice@a.test", "UDP");
  ASSERT_EQ(::sendto(fd, message.data(), message.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to),
            static_cast<ssize_t>(message.size()));
  ::close(fd);
  EXPECT_TRUE(alice.wait_for_output("MESSAGE sip:alice@", 3s)) << alice.out();
  EXPECT_NE(alice.out().find("Via: SIP/2.0/TLS "), std::string::npos) << alice.out();
  EXPECT_TRUE(s.stop());
}

TEST(TlsClients, SessionsResumeWithTicketsOnAnyShard) {
  const std::uint16_t port = free_port();
  sipring_server s("resume", common_server_keys("a.test") + listen("tls", port) + tls_table("sip.a.test"));
  ASSERT_TRUE(s.up()) << s.log();
  const std::string probe = write_file("resume_probe.sip", sip_request("OPTIONS", "sip:a.test", "sip:p@a.test", "sip:a.test", "TLS"));
  const std::string session = ::testing::TempDir() + "tls_session_" + std::to_string(getpid()) + ".pem";
  const std::string verify = "-CAfile " + test_pki("ca-a.crt") + " -verify_hostname sip.a.test";
  const auto first = s_client(port, probe, verify + " -sess_out " + session, 1);
  ASSERT_NE(first.out.find("SIP/2.0 200"), std::string::npos) << first.out;
  ASSERT_NE(first.out.find("New, TLSv1.3"), std::string::npos) << first.out;
  // Several resumptions: with two shards, SO_REUSEPORT spreads them over both; every one resumes.
  for (int i = 0; i < 4; ++i) {
    const auto again = s_client(port, probe, verify + " -sess_in " + session, 1);
    EXPECT_NE(again.out.find("Reused, TLSv1.3"), std::string::npos) << again.out;
    EXPECT_NE(again.out.find("SIP/2.0 200"), std::string::npos) << again.out;
  }
  EXPECT_TRUE(s.stop());
  EXPECT_NE(s.process().err().find("resumed"), std::string::npos);
}

TEST(TlsClients, ClientCertificatesWhenRequiredAndTheHandshakeLimit) {
  const std::uint16_t port = free_port();
  sipring_server s("client_certs",
                   "[server]\ndomains = [\"a.test\"]\ncpus = \"0\"\n[runtime]\nstop_grace_ms = 500\n" + listen("tls", port) +
                       tls_table("sip.a.test", "client_certificates = \"required\"\nca = [\"" + test_pki("ca-a.crt") +
                                                   "\"]\nmax_handshakes = 1\n"));
  ASSERT_TRUE(s.up()) << s.log();
  const std::string probe = write_file("cert_probe.sip", sip_request("OPTIONS", "sip:a.test", "sip:p@a.test", "sip:a.test", "TLS"));
  const std::string verify = "-CAfile " + test_pki("ca-a.crt") + " -verify_hostname sip.a.test";
  const auto without = s_client(port, probe, verify, 1);
  EXPECT_EQ(without.out.find("SIP/2.0 200"), std::string::npos) << without.out;
  EXPECT_TRUE(s.log_shows("refused: no peer certificate")) << s.log();
  const auto with = s_client(port, probe, verify + " -cert " + test_pki("alice.a.test.crt") + " -key " +
                                              test_pki("alice.a.test.key"), 1);
  EXPECT_NE(with.out.find("SIP/2.0 200"), std::string::npos) << with.out << s.log();

  // One handshake in progress at most on the (single) shard: a stalled one holds the place, the
  // next connection is turned away at once and logged.
  const int stalled = connect_loopback(port);
  ASSERT_GE(stalled, 0);
  std::this_thread::sleep_for(200ms);
  const int turned_away = connect_loopback(port);
  ASSERT_GE(turned_away, 0);
  timeval tv{2, 0};
  ::setsockopt(turned_away, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char buf[16];
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(::recv(turned_away, buf, sizeof buf, 0), 0) << "not closed";
  EXPECT_LT(std::chrono::steady_clock::now() - start, 900ms);  // at once, not at the handshake timeout
  EXPECT_TRUE(s.log_shows("1 handshakes in progress on this shard (the limit)")) << s.log();
  ::close(turned_away);
  ::close(stalled);
  EXPECT_TRUE(s.stop());
}

// ---- federation ------------------------------------------------------------------------------

// a.test and b.test, each with a UDP port for its users and a federation port, partners of each
// other over mutual TLS; a.test also federates with c.test (whose CA must never vouch for b.test).
class Federation : public ::testing::Test {
 protected:
  void SetUp() override {
    a_udp = free_port();
    a_fed = free_port();
    b_udp = free_port();
    b_fed = free_port();
    c_fed = free_port();
    a = std::make_unique<sipring_server>(
        "a", common_server_keys("a.test") + listen("udp", a_udp) + listen("tls", a_fed, true) + tls_table("sip.a.test") +
                 partner("b.test", "ca-b.crt", "sip.b.test", b_fed, "crl = [\"" + test_pki("ca-b.crl") + "\"]\n") +
                 partner("c.test", "ca-c.crt", "sip.c.test", c_fed));
    b = std::make_unique<sipring_server>(
        "b", common_server_keys("b.test") + listen("udp", b_udp) + listen("tls", b_fed, true) + tls_table("sip.b.test") +
                 partner("a.test", "ca-a.crt", "sip.a.test", a_fed));
    ASSERT_TRUE(a->up()) << a->log();
    ASSERT_TRUE(b->up()) << b->log();
  }

  static std::string describe(const sipp_result& r) {
    return "exit " + std::to_string(r.exit_code) + ", successful " + std::to_string(r.successful) + ", failed " +
           std::to_string(r.failed) + "\nerrors:\n" + r.errors + "\noutput (tail):\n" +
           (r.output.size() > 3000 ? r.output.substr(r.output.size() - 3000) : r.output);
  }

  // Registers `user`@b.test at B from 127.0.0.1:<port>.
  void register_at_b(const std::string& user, std::uint16_t port) {
    sipp_options o;
    o.scenario = "register_in_domain.xml";
    o.remote = "127.0.0.1:" + std::to_string(b_udp);
    o.local_port = port;
    o.injection_file = write_sipp_users({user});
    o.extra = {"-key", "domain", "b.test"};
    const sipp_result r = run_sipp(o);
    ASSERT_TRUE(r.all_succeeded(1)) << describe(r);
  }

  sipp_options from_a(const std::string& scenario, const std::string& callee) const {
    sipp_options o;
    o.scenario = scenario;
    o.remote = "127.0.0.1:" + std::to_string(a_udp);
    o.service = callee;
    o.extra = {"-key", "domain", "a.test", "-key", "callee_domain", "b.test"};
    return o;
  }

  // A partner's side played by openssl s_client presenting `cert` to A's federation port.
  sipring::testing::command_result as_partner(const std::string& cert, const std::string& request) {
    const std::string file = write_file("partner_request.sip", request);
    std::string args = "-CAfile " + test_pki("ca-a.crt") + " -verify_hostname sip.a.test";
    if (!cert.empty()) args += " -cert " + test_pki(cert + ".crt") + " -key " + test_pki(cert + ".key");
    return s_client(a_fed, file, args);
  }

  std::uint16_t a_udp = 0, a_fed = 0, b_udp = 0, b_fed = 0, c_fed = 0;
  std::unique_ptr<sipring_server> a, b;
};

TEST_F(Federation, ACallAndAMessageFromAToAUserOfBCrossTheMutualTlsLink) {
  const std::uint16_t uas_port = free_port();
  register_at_b("bob", uas_port);
  sipp_options uas;
  uas.scenario = "uas.xml";
  uas.local_port = uas_port;
  uas.calls = 2;
  sipp_background callee(uas);

  const sipp_result call = run_sipp(from_a("uac_call_to_domain.xml", "bob"));
  EXPECT_TRUE(call.all_succeeded(1)) << describe(call) << "\nA:\n" << a->log() << "\nB:\n" << b->log();

  const sipp_result message = run_sipp(from_a("message_to_domain.xml", "bob"));
  EXPECT_TRUE(message.all_succeeded(1)) << describe(message) << "\nA:\n" << a->log() << "\nB:\n" << b->log();
  EXPECT_TRUE(callee.stop(10s).all_succeeded(2));

  // The other way: a user of b.test calls a user of a.test. B has no link of its own to A but
  // reuses the one A opened (connection reuse in both directions): one handshake in all.
  const std::uint16_t alice_port = free_port();
  {
    sipp_options o;
    o.scenario = "register_in_domain.xml";
    o.remote = "127.0.0.1:" + std::to_string(a_udp);
    o.local_port = alice_port;
    o.injection_file = write_sipp_users({"alice"});
    o.extra = {"-key", "domain", "a.test"};
    const sipp_result r = run_sipp(o);
    ASSERT_TRUE(r.all_succeeded(1)) << describe(r);
  }
  sipp_options alice_uas;
  alice_uas.scenario = "uas.xml";
  alice_uas.local_port = alice_port;
  alice_uas.calls = 1;
  sipp_background alice(alice_uas);
  sipp_options back = from_a("uac_call_to_domain.xml", "alice");
  back.remote = "127.0.0.1:" + std::to_string(b_udp);
  back.extra = {"-key", "domain", "b.test", "-key", "callee_domain", "a.test"};
  const sipp_result reverse = run_sipp(back);
  EXPECT_TRUE(reverse.all_succeeded(1)) << describe(reverse) << "\nA:\n" << a->log() << "\nB:\n" << b->log();
  EXPECT_TRUE(alice.stop(10s).all_succeeded(1));

  // The A-B hop was mutual TLS: B's federation port refuses plain TCP, and no refusal of the
  // partners' own handshakes was logged.
  {
    const int fd = connect_loopback(b_fed);
    ASSERT_GE(fd, 0);
    const std::string plain = sip_request("MESSAGE", "sip:bob@b.test", "sip:caller@a.test", "sip:bob@b.test", "TCP");
    (void)::send(fd, plain.data(), plain.size(), 0);
    timeval tv{3, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char buf[2048];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    ::close(fd);
    EXPECT_TRUE(n <= 0 || std::string(buf, static_cast<std::size_t>(n)).find("SIP/2.0") == std::string::npos);
    EXPECT_TRUE(b->log_shows("refused: not TLS")) << b->log();
  }
  EXPECT_EQ(a->log().find("TLS handshake to"), std::string::npos) << a->log();
  EXPECT_TRUE(a->stop());
  EXPECT_TRUE(b->stop());
  // Each side's shards log their handshake totals at the stop: the link A opened is the only
  // one (B's "1 TLS handshakes" is the one it accepted; its refusal of plain TCP is counted apart).
  const auto handshakes = [](const std::string& log) {
    // "shard N: K TLS handshakes (...)": add up the K of every shard.
    static const std::string marker = " TLS handshakes (";
    unsigned sum = 0;
    for (std::size_t at = log.find(marker); at != std::string::npos; at = log.find(marker, at + 1)) {
      std::size_t digits = at;
      while (digits > 0 && std::isdigit(static_cast<unsigned char>(log[digits - 1]))) --digits;
      if (digits < at) sum += static_cast<unsigned>(std::stoul(log.substr(digits, at - digits)));
    }
    return sum;
  };
  EXPECT_EQ(handshakes(a->process().err()), 1u) << a->process().err();
  EXPECT_EQ(handshakes(b->process().err()), 1u) << b->process().err();
}

TEST_F(Federation, PartnersWithBadCertificatesAreRefusedEachWithItsReasonAndAGoodOneIsServed) {
  const std::string message_from_b =
      sip_request("MESSAGE", "sip:nobody@a.test", "sip:bob@b.test", "sip:nobody@a.test", "TLS");
  struct refusal_case {
    std::string cert;    // presented to A's federation port ("" = none)
    std::string reason;  // in A's log
  };
  const refusal_case cases[] = {
      {"sip.b.test-by-c", "checked against the CAs of partner b.test"},  // partner C's CA for partner B
      {"sip.b.test-evil", "refused: certificate issued by an unknown CA"},
      {"sip.wrong.test", "names no trusted server of any partner"},
      {"sip.b.test-expired", "refused: certificate expired"},
      {"sip.b.test-revoked", "refused: certificate revoked"},
      {"", "refused: no peer certificate"},
  };
  for (const refusal_case& c : cases) {
    const auto r = as_partner(c.cert, message_from_b);
    EXPECT_EQ(r.out.find("SIP/2.0 "), std::string::npos) << c.cert << ": answered\n" << r.out;
    EXPECT_TRUE(a->log_shows(c.reason)) << c.cert << ": no '" << c.reason << "' in A's log\n" << a->log();
  }
  // The good partner certificate: the link works (a user that does not exist: 404 from A) ...
  const auto good = as_partner("sip.b.test", message_from_b);
  EXPECT_NE(good.out.find("SIP/2.0 404"), std::string::npos) << good.out << "\nA:\n" << a->log();
  // ... but it may speak only for b.test: not for a.test, not for partner c.test.
  for (const std::string from : {"sip:mallory@a.test", "sip:mallory@c.test"}) {
    const auto spoofed = as_partner("sip.b.test", sip_request("MESSAGE", "sip:nobody@a.test", from, "sip:nobody@a.test", "TLS"));
    EXPECT_NE(spoofed.out.find("SIP/2.0 403 Forbidden (a partner's link speaks only for its own domain)"), std::string::npos)
        << from << "\n" << spoofed.out;
  }
  // A client of our own ports may not speak for a partner either.
  EXPECT_TRUE(a->stop());
}

}  // namespace
