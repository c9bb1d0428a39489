#include "sipring/app/server_config.h"

#include <gtest/gtest.h>

#include <fstream>

namespace {

using namespace sipring::app;
using namespace std::chrono_literals;

loaded_config from_text(std::string_view text) {
  return loaded_config{"test.toml", toml::parse(text, std::string_view("test.toml"))};
}

std::vector<std::string> errors_of(std::string_view text) {
  auto r = read_server_config(from_text(text));
  std::vector<std::string> out;
  if (auto* e = std::get_if<std::vector<config_error>>(&r))
    for (const auto& x : *e) out.push_back(x.message);
  return out;
}

TEST(ServerConfig, TheEmbeddedDefaultIsValid) {
  auto loaded = load_config("");
  ASSERT_TRUE(std::holds_alternative<loaded_config>(loaded));
  auto r = read_server_config(std::get<loaded_config>(loaded));
  ASSERT_TRUE(std::holds_alternative<server_config>(r));
  const auto& c = std::get<server_config>(r);
  ASSERT_EQ(c.listeners.size(), 2u);
  EXPECT_EQ(c.listeners[0].transport, transport_kind::udp);
  EXPECT_EQ(c.listeners[1].transport, transport_kind::tcp);
  EXPECT_EQ(c.listeners[0].address.to_string(), "127.0.0.1:5060");
  EXPECT_EQ(c.timers.t1, 500ms);
  EXPECT_FALSE(c.auth.enabled);
}

TEST(ServerConfig, TheExampleFileSetsEveryKeyValidly) {
  std::ifstream in(std::string(SIPRING_SOURCE_DIR) + "/config/sipring.example.toml");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(text.empty());
  // Every file the example names ("/etc/sipring/...") becomes a temporary file of that name.
  const std::string prefix = "\"/etc/sipring/";
  for (std::size_t at = text.find(prefix); at != std::string::npos; at = text.find(prefix, at)) {
    const std::size_t end = text.find('"', at + 1);
    const std::string from = text.substr(at + 1, end - at - 1);
    const std::string to = ::testing::TempDir() + "example_" + from.substr(from.rfind('/') + 1);
    std::ofstream(to) << "alice:example.com:0123456789abcdef0123456789abcdef\n";
    text.replace(at + 1, from.size(), to);
    at += to.size();
  }
  auto r = read_server_config(from_text(text));
  ASSERT_TRUE(std::holds_alternative<server_config>(r)) << std::get<std::vector<config_error>>(r)[0].message;
  const auto& c = std::get<server_config>(r);
  EXPECT_EQ(c.domains.size(), 2u);
  EXPECT_EQ(c.listeners[1].address.to_string(), "[::]:5060");
  EXPECT_EQ(c.listeners[0].advertised, "sip.example.com");
  EXPECT_TRUE(c.auth.enabled);
  EXPECT_EQ(c.auth.realm, "example.com");
  EXPECT_EQ(c.registrar.max_expires, 86400u);
  EXPECT_EQ(c.log.format, "text");
  ASSERT_EQ(c.listeners.size(), 4u);
  EXPECT_EQ(c.listeners[2].transport, transport_kind::tls);
  EXPECT_FALSE(c.listeners[2].federation);
  EXPECT_TRUE(c.listeners[3].federation);
  EXPECT_TRUE(c.tls.enabled);
  EXPECT_EQ(c.tls.client_certificates, client_certificate_mode::optional);
  ASSERT_EQ(c.federation.size(), 1u);
  EXPECT_EQ(c.federation[0].domain, "partner.example");
  EXPECT_EQ(c.federation[0].servers.size(), 2u);
  EXPECT_EQ(c.federation[0].address.to_string(), "198.51.100.7:5061");
  EXPECT_EQ(c.federation[0].server_name, "sip.partner.example");
}

TEST(ServerConfig, EveryErrorIsReportedWithFileLineAndKey) {
  const auto errors = errors_of(
      "[server]\n"
      "domains = []\n"
      "t1_ms = 5\n"
      "colour = \"blue\"\n"
      "[[listen]]\n"
      "transport = \"sctp\"\n"
      "address = \"localhost:5060\"\n"
      "[registrar]\n"
      "min_expires = 7200\n"
      "[log]\n"
      "level = \"loud\"\n"
      "[extra]\n");
  const std::vector<std::string> want = {
      "test.toml:12:1: [extra] is not a known table",
      "test.toml:4:10: [server] colour is not a known key",
      "test.toml:2:11: [server] domains must be a non-empty array of non-empty strings",
      "test.toml:3:9: [server] t1_ms must be an integer from 10 to 60000",
      "test.toml:6:13: [[listen]] transport must be one of udp, tcp, tls",
      "test.toml:7:11: [[listen]] address must be IPv4:port or [IPv6]:port, not 'localhost:5060'",
      "test.toml:8: [registrar] must have min_expires <= default_expires <= max_expires",
      "test.toml:11:9: [log] level must be one of error, warn, info, debug, trace",
  };
  EXPECT_EQ(errors, want);
}

TEST(ServerConfig, RegistrarMaxContacts) {
  auto r = read_server_config(from_text("[registrar]\nmax_contacts = 10\n"));
  ASSERT_TRUE(std::holds_alternative<server_config>(r));
  EXPECT_EQ(std::get<server_config>(r).registrar.max_contacts, 10u);
  EXPECT_EQ(std::get<server_config>(read_server_config(from_text(""))).registrar.max_contacts, 0u);
  const auto errors = errors_of("[registrar]\nmax_contacts = -1\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "test.toml:2:16: [registrar] max_contacts must be an integer from 0 to 1000000");
}

TEST(ServerConfig, AuthNeedsARealmAndAReadableUsersFile) {
  const auto errors = errors_of("[auth]\nusers_file = \"/nonexistent/users\"\n");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0], "test.toml: [auth] realm is missing");
  EXPECT_EQ(errors[1], "test.toml:2:14: [auth] users_file '/nonexistent/users' is not a readable file");
}

TEST(ServerConfig, DuplicateListenersAreRefused) {
  const auto errors = errors_of(
      "[[listen]]\naddress = \"127.0.0.1:5060\"\n[[listen]]\naddress = \"127.0.0.1:5060\"\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "test.toml:4:11: [[listen]] address is listed twice for udp");
}

// A file with some content under the test's temporary directory; its path.
std::string temp_file(const std::string& name) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << "-----BEGIN CERTIFICATE-----\n";
  return path;
}

// [tls] with our certificate and key, as every test of tls listeners and federation needs.
std::string tls_table() {
  return "[tls]\ncertificate = \"" + temp_file("sipring_cert.pem") + "\"\nprivate_key = \"" +
         temp_file("sipring_key.pem") + "\"\n";
}

std::string partner(const std::string& domain, const std::string& rest = "") {
  return "[[federation]]\ndomain = \"" + domain + "\"\nca = [\"" + temp_file("sipring_partner_ca.pem") +
         "\"]\nservers = [\"sip." + domain + "\"]\naddress = \"192.0.2.20\"\n" + rest;
}

TEST(TlsConfig, AGoodConfigurationIsReadWhole) {
  const std::string ca = temp_file("sipring_ca.pem"), crl = temp_file("sipring_crl.pem");
  const std::string text =
      "[server]\ndomains = [\"example.com\"]\n"
      "[[listen]]\ntransport = \"tls\"\naddress = \"0.0.0.0:5061\"\n"
      "[[listen]]\ntransport = \"tls\"\naddress = \"[::]:5062\"\nfederation = true\n" +
      tls_table() +
      "ca = [\"" + ca + "\"]\ncrl = [\"" + crl + "\"]\nclient_certificates = \"required\"\n"
      "handshake_timeout_ms = 5000\nmax_handshakes = 64\nsession_tickets = false\n"
      "[[federation]]\ndomain = \"Partner.Example\"\nca = [\"" + ca + "\"]\ncrl = [\"" + crl + "\"]\n"
      "servers = [\"SIP1.partner.example\", \"*.edge.partner.example\"]\naddress = \"192.0.2.20\"\n"
      "[[federation]]\ndomain = \"other.example\"\nca = [\"" + ca + "\"]\n"
      "servers = [\"*.other.example\"]\naddress = \"[2001:db8::7]:5070\"\nserver_name = \"Fed.other.example\"\n";
  auto r = read_server_config(from_text(text));
  ASSERT_TRUE(std::holds_alternative<server_config>(r)) << std::get<std::vector<config_error>>(r)[0].message;
  const auto& c = std::get<server_config>(r);
  ASSERT_EQ(c.listeners.size(), 2u);
  EXPECT_EQ(c.listeners[0].transport, transport_kind::tls);
  EXPECT_FALSE(c.listeners[0].federation);
  EXPECT_TRUE(c.listeners[1].federation);
  EXPECT_TRUE(c.tls.enabled);
  EXPECT_EQ(c.tls.certificate, ::testing::TempDir() + "sipring_cert.pem");
  EXPECT_EQ(c.tls.private_key, ::testing::TempDir() + "sipring_key.pem");
  EXPECT_EQ(c.tls.ca, std::vector<std::string>{ca});
  EXPECT_EQ(c.tls.crl, std::vector<std::string>{crl});
  EXPECT_EQ(c.tls.client_certificates, client_certificate_mode::required);
  EXPECT_EQ(c.tls.handshake_timeout, 5000ms);
  EXPECT_EQ(c.tls.max_handshakes, 64u);
  EXPECT_FALSE(c.tls.session_tickets);
  ASSERT_EQ(c.federation.size(), 2u);
  const auto& p = c.federation[0];
  EXPECT_EQ(p.domain, "partner.example");
  EXPECT_EQ(p.ca, std::vector<std::string>{ca});
  EXPECT_EQ(p.crl, std::vector<std::string>{crl});
  EXPECT_EQ(p.servers, (std::vector<std::string>{"sip1.partner.example", "*.edge.partner.example"}));
  EXPECT_EQ(p.address.to_string(), "192.0.2.20:5061");
  EXPECT_EQ(p.server_name, "sip1.partner.example");
  EXPECT_EQ(c.federation[1].address.to_string(), "[2001:db8::7]:5070");
  EXPECT_EQ(c.federation[1].server_name, "fed.other.example");
  EXPECT_TRUE(c.federation[1].crl.empty());
}

TEST(TlsConfig, DefaultsWithoutTlsTable) {
  const auto c = std::get<server_config>(read_server_config(from_text("[server]\ndomains = [\"example.com\"]\n")));
  EXPECT_FALSE(c.tls.enabled);
  EXPECT_TRUE(c.federation.empty());
  EXPECT_EQ(c.tls.client_certificates, client_certificate_mode::none);
  EXPECT_EQ(c.tls.handshake_timeout, 10000ms);
  EXPECT_EQ(c.tls.max_handshakes, 256u);
  EXPECT_TRUE(c.tls.session_tickets);
}

TEST(TlsConfig, ATlsTableAloneNeedsNoCertificate) {
  auto r = read_server_config(from_text("[tls]\nsession_tickets = true\n"));
  ASSERT_TRUE(std::holds_alternative<server_config>(r)) << std::get<std::vector<config_error>>(r)[0].message;
  EXPECT_TRUE(std::get<server_config>(r).tls.enabled);
}

TEST(TlsConfig, EveryBadTlsKeyIsReported) {
  const auto errors = errors_of(
      "[tls]\n"
      "certificate = \"/nonexistent/cert.pem\"\n"
      "private_key = 42\n"
      "ca = [\"/nonexistent/ca.pem\", \"\"]\n"
      "crl = [\"/nonexistent/crl.pem\"]\n"
      "client_certificates = \"sometimes\"\n"
      "handshake_timeout_ms = 50\n"
      "max_handshakes = 0\n"
      "session_tickets = \"yes\"\n"
      "ciphers = \"all\"\n");
  const std::vector<std::string> want = {
      "test.toml:10:11: [tls] ciphers is not a known key",
      "test.toml:2:15: [tls] certificate '/nonexistent/cert.pem' is not a readable file",
      "test.toml:3:15: [tls] private_key must be a non-empty string",
      "test.toml:4:6: [tls] ca must be an array of non-empty strings",
      "test.toml:4:7: [tls] ca '/nonexistent/ca.pem' is not a readable file",
      "test.toml:5:8: [tls] crl '/nonexistent/crl.pem' is not a readable file",
      "test.toml:6:23: [tls] client_certificates must be one of none, optional, required",
      "test.toml:7:24: [tls] handshake_timeout_ms must be an integer from 100 to 120000",
      "test.toml:8:18: [tls] max_handshakes must be an integer from 1 to 100000",
      "test.toml:9:19: [tls] session_tickets must be true or false",
  };
  EXPECT_EQ(errors, want);
}

TEST(TlsConfig, ClientCertificatesNeedCas) {
  for (const std::string mode : {"optional", "required"}) {
    const auto errors = errors_of("[tls]\nclient_certificates = \"" + mode + "\"\nca = []\n");
    ASSERT_EQ(errors.size(), 1u) << mode;
    EXPECT_EQ(errors[0], "test.toml:2:23: [tls] client_certificates \"" + mode +
                             "\" needs a non-empty ca (the CAs that issue client certificates)");
  }
  EXPECT_EQ(errors_of("[tls]\nclient_certificates = \"none\"\n"), std::vector<std::string>{});
}

TEST(TlsConfig, ATlsListenerNeedsATlsTable) {
  const auto errors = errors_of("[[listen]]\ntransport = \"tls\"\naddress = \"127.0.0.1:5061\"\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "test.toml:2:13: [[listen]] transport \"tls\" needs a [tls] table with certificate and private_key");
}

TEST(TlsConfig, ATlsListenerNeedsACertificateAndKey) {
  const auto errors = errors_of("[[listen]]\ntransport = \"tls\"\naddress = \"127.0.0.1:5061\"\n[tls]\nsession_tickets = true\n");
  const std::vector<std::string> want = {
      "test.toml:4:1: [tls] certificate is missing (needed by [[listen]] transport \"tls\" at line 2)",
      "test.toml:4:1: [tls] private_key is missing (needed by [[listen]] transport \"tls\" at line 2)",
  };
  EXPECT_EQ(errors, want);
}

TEST(TlsConfig, AFederationEntryNeedsATlsTable) {
  const auto errors = errors_of(partner("partner.example"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "test.toml:1:1: [[federation]] needs a [tls] table with certificate and private_key");
}

TEST(TlsConfig, PortsStayMandatoryOnListeners) {
  const auto errors = errors_of(tls_table() + "[[listen]]\ntransport = \"tls\"\naddress = \"127.0.0.1\"\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "test.toml:6:11: [[listen]] address must be IPv4:port or [IPv6]:port, not '127.0.0.1'");
}

TEST(TlsConfig, FederationPortsAreTlsOnly) {
  const auto errors = errors_of(
      "[[listen]]\ntransport = \"tcp\"\naddress = \"127.0.0.1:5060\"\nfederation = true\n"
      "[[listen]]\naddress = \"127.0.0.1:5060\"\nfederation = 1\n");
  const std::vector<std::string> want = {
      "test.toml:4:14: [[listen]] federation needs transport = \"tls\" (federation is mutual TLS only)",
      "test.toml:7:14: [[listen]] federation must be true or false",
  };
  EXPECT_EQ(errors, want);
}

TEST(TlsConfig, TcpAndTlsCannotShareAnAddress) {
  const auto errors = errors_of(tls_table() +
                                "[[listen]]\ntransport = \"tcp\"\naddress = \"127.0.0.1:5061\"\n"
                                "[[listen]]\ntransport = \"tls\"\naddress = \"127.0.0.1:5061\"\n"
                                "[[listen]]\ntransport = \"udp\"\naddress = \"127.0.0.1:5061\"\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "test.toml:9:11: [[listen]] address is listed for both tcp and tls (one TCP port serves one)");
}

TEST(FederationConfig, OurOwnDomainIsNotAPartner) {
  const auto errors = errors_of("[server]\ndomains = [\"Example.com\"]\n" + tls_table() + partner("EXAMPLE.com"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "test.toml:7:10: [[federation]] domain 'example.com' is one of [server] domains (ours, not a partner's)");
}

TEST(FederationConfig, APartnerIsListedOnce) {
  const auto errors = errors_of(tls_table() + partner("partner.example") + partner("Partner.example"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "test.toml:10:10: [[federation]] domain 'partner.example' is listed twice");
}

TEST(FederationConfig, TheDomainIsADnsName) {
  const auto errors = errors_of(tls_table() + partner("bad_name.example"));
  ASSERT_EQ(errors.size(), 2u);  // and the servers entry made from it
  EXPECT_EQ(errors[0], "test.toml:5:10: [[federation]] domain must be a DNS name, not 'bad_name.example'");
}

TEST(FederationConfig, AWildcardIsOnlyTheWholeLeftMostLabel) {
  const std::string ca = temp_file("sipring_partner_ca.pem");
  const auto errors = errors_of(tls_table() + "[[federation]]\ndomain = \"partner.example\"\nca = [\"" + ca +
                                "\"]\naddress = \"192.0.2.20:5061\"\n"
                                "servers = [\"sip*.partner.example\", \"a.*.partner.example\", \"*.example\", \"*\", "
                                "\"*.partner.example\", \"-bad.partner.example\"]\nserver_name = \"sip.partner.example\"\n");
  const std::string tail = "' must be a DNS name, a wildcard only as the whole left-most label (\"*.example.com\")";
  const std::vector<std::string> want = {
      "test.toml:8:12: [[federation]] servers 'sip*.partner.example" + tail,
      "test.toml:8:36: [[federation]] servers 'a.*.partner.example" + tail,
      "test.toml:8:59: [[federation]] servers '*.example" + tail,
      "test.toml:8:72: [[federation]] servers '*" + tail,
      "test.toml:8:98: [[federation]] servers '-bad.partner.example" + tail,
  };
  EXPECT_EQ(errors, want);
}

TEST(FederationConfig, TheServerNameIsOneOfTheServers) {
  const auto bad = errors_of(tls_table() + partner("partner.example", "server_name = \"other.partner.example\"\n"));
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0], "test.toml:9:15: [[federation]] server_name 'other.partner.example' matches none of servers");

  // RFC 6125: "*.partner.example" covers one label only.
  const std::string ca = temp_file("sipring_partner_ca.pem");
  const std::string wild = "[[federation]]\ndomain = \"partner.example\"\nca = [\"" + ca +
                           "\"]\naddress = \"192.0.2.20\"\nservers = [\"*.partner.example\"]\n";
  EXPECT_EQ(errors_of(tls_table() + wild + "server_name = \"a.b.partner.example\"\n"),
            std::vector<std::string>{"test.toml:9:15: [[federation]] server_name 'a.b.partner.example' matches none of servers"});
  EXPECT_EQ(errors_of(tls_table() + wild + "server_name = \"partner.example\"\n"),
            std::vector<std::string>{"test.toml:9:15: [[federation]] server_name 'partner.example' matches none of servers"});
  EXPECT_EQ(errors_of(tls_table() + wild + "server_name = \"edge.partner.example\"\n"), std::vector<std::string>{});
  EXPECT_EQ(errors_of(tls_table() + wild),
            std::vector<std::string>{"test.toml:4:1: [[federation]] server_name is missing (the first of servers, "
                                     "'*.partner.example', is a wildcard)"});
}

TEST(FederationConfig, CaFilesMustExist) {
  const auto errors = errors_of(tls_table() +
                                "[[federation]]\ndomain = \"partner.example\"\nca = [\"/nonexistent/partner-ca.pem\"]\n"
                                "crl = [\"/nonexistent/partner.crl\"]\nservers = [\"sip.partner.example\"]\n"
                                "address = \"192.0.2.20\"\n");
  const std::vector<std::string> want = {
      "test.toml:6:7: [[federation]] ca '/nonexistent/partner-ca.pem' is not a readable file",
      "test.toml:7:8: [[federation]] crl '/nonexistent/partner.crl' is not a readable file",
  };
  EXPECT_EQ(errors, want);
}

TEST(FederationConfig, RequiredKeysAndBadValues) {
  const auto errors = errors_of(tls_table() + "[[federation]]\nca = []\nservers = []\naddress = \"partner.example:5061\"\nport = 5061\n"
                                "[[federation]]\ndomain = \"partner.example\"\n");
  const std::vector<std::string> want = {
      "test.toml:8:8: [[federation]] port is not a known key",
      "test.toml:4:1: [[federation]] domain is missing (the partner's DNS domain)",
      "test.toml:5:6: [[federation]] ca must be a non-empty array of non-empty strings",
      "test.toml:6:11: [[federation]] servers must be a non-empty array of non-empty strings",
      "test.toml:7:11: [[federation]] address must be IPv4[:port] or [IPv6][:port], not 'partner.example:5061'",
      "test.toml:9:1: [[federation]] ca is missing (PEM files of the only CAs trusted for this partner)",
      "test.toml:9:1: [[federation]] servers is missing (the DNS names of the partner's servers)",
      "test.toml:9:1: [[federation]] address is missing (IPv4[:port] or [IPv6][:port] of the partner's servers)",
  };
  EXPECT_EQ(errors, want);
}

}  // namespace
