// `sipring --check-config FILE`, run as an operator would: every error with its file, line and
// key, exit 1; a valid file, exit 0.

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "child_process.h"

namespace {

using sipring::testing::run_command;

const std::string sipring = SIPRING_BINARY;

std::string write_config(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

TEST(CheckConfig, TheShippedDefaultIsValid) {
  const auto r = run_command({sipring, "--check-config", std::string(SIPRING_SOURCE_DIR) + "/config/default.toml"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("configuration OK (2 listeners"), std::string::npos) << r.out;
}

TEST(CheckConfig, EveryErrorIsPrintedWithFileLineAndKey) {
  const std::string path = write_config("sipring_check_bad.toml",
                                        "[server]\ncpus = \"0-9999\"\nt2_ms = \"slow\"\n"
                                        "[[listen]]\ntransport = \"tls\"\naddress = \"127.0.0.1\"\n"
                                        "[runtime]\ncoalesce_count = 0\n");
  const auto r = run_command({sipring, "--check-config", path});
  EXPECT_EQ(r.exit_code, 1);
  for (const std::string& line : {
           path + ":2:8: [server] cpus: ",
           path + ":8:18: [runtime] coalesce_count must be an integer from 1 to 4096",
           path + ":3:9: [server] t2_ms must be an integer from 10 to 600000",
           path + ":5:13: [[listen]] transport \"tls\" needs a [tls] table with certificate and private_key",
           path + ":6:11: [[listen]] address must be IPv4:port or [IPv6]:port, not '127.0.0.1'"})
    EXPECT_NE(r.err.find(line), std::string::npos) << "missing: " << line << "\nin:\n" << r.err;
}

TEST(CheckConfig, ABadFederationEntryIsPrintedWithFileLineAndKey) {
  const std::string cert = write_config("sipring_check_cert.pem", "-----BEGIN CERTIFICATE-----\n");
  const std::string path = write_config("sipring_check_federation.toml",
                                        "[server]\ndomains = [\"example.com\"]\n"
                                        "[tls]\ncertificate = \"" + cert + "\"\nprivate_key = \"" + cert + "\"\n"
                                        "[[federation]]\n"
                                        "domain = \"Example.com\"\n"
                                        "ca = [\"/nonexistent/partner-ca.pem\"]\n"
                                        "servers = [\"sip.*.partner.example\"]\n"
                                        "address = \"198.51.100.7\"\n"
                                        "server_name = \"other.partner.example\"\n");
  const auto r = run_command({sipring, "--check-config", path});
  EXPECT_EQ(r.exit_code, 1);
  for (const std::string& line : {
           path + ":7:10: [[federation]] domain 'example.com' is one of [server] domains (ours, not a partner's)",
           path + ":8:7: [[federation]] ca '/nonexistent/partner-ca.pem' is not a readable file",
           path + ":9:12: [[federation]] servers 'sip.*.partner.example' must be a DNS name, a wildcard only as the "
                  "whole left-most label (\"*.example.com\")"})
    EXPECT_NE(r.err.find(line), std::string::npos) << "missing: " << line << "\nin:\n" << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(CheckConfig, TlsAndFederationKeysAreAccepted) {
  const std::string cert = write_config("sipring_check_cert.pem", "-----BEGIN CERTIFICATE-----\n");
  const std::string path = write_config("sipring_check_tls.toml",
                                        "[server]\ndomains = [\"example.com\"]\ncpus = \"0\"\n"
                                        "[[listen]]\ntransport = \"tls\"\naddress = \"127.0.0.1:5061\"\nfederation = true\n"
                                        "[tls]\ncertificate = \"" + cert + "\"\nprivate_key = \"" + cert + "\"\n"
                                        "[[federation]]\ndomain = \"partner.example\"\nca = [\"" + cert + "\"]\n"
                                        "servers = [\"*.partner.example\"]\naddress = \"198.51.100.7\"\n"
                                        "server_name = \"sip.partner.example\"\n");
  const auto r = run_command({sipring, "--check-config", path});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("configuration OK (1 listeners"), std::string::npos) << r.out;
}

TEST(CheckConfig, AMissingOrUnparsableFileIsAnError) {
  auto r = run_command({sipring, "--check-config", "/nonexistent/sipring.toml"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/nonexistent/sipring.toml"), std::string::npos) << r.err;
  const std::string path = write_config("sipring_check_syntax.toml", "[server\n");
  r = run_command({sipring, "--check-config", path});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(path + ":1:"), std::string::npos) << r.err;
}

TEST(CheckConfig, TheServerRefusesToStartOnTheSameErrors) {
  const std::string path = write_config("sipring_check_start.toml", "[log]\nformat = \"xml\"\n");
  const auto r = run_command({sipring, "--config", path}, std::chrono::seconds(10));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(path + ":2:10: [log] format must be one of text, json"), std::string::npos) << r.err;
}

}  // namespace
