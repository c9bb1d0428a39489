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
  const std::string users = ::testing::TempDir() + "users.htdigest";
  std::ofstream(users) << "alice:example.com:0123456789abcdef0123456789abcdef\n";
  std::ifstream in(std::string(SIPRING_SOURCE_DIR) + "/config/sipring.example.toml");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(text.empty());
  const std::string from = "/etc/sipring/users.htdigest";
  text.replace(text.find(from), from.size(), users);
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
      "test.toml:6:13: [[listen]] transport must be one of udp, tcp",
      "test.toml:7:11: [[listen]] address must be IPv4:port or [IPv6]:port, not 'localhost:5060'",
      "test.toml:8: [registrar] must have min_expires <= default_expires <= max_expires",
      "test.toml:11:9: [log] level must be one of error, warn, info, debug, trace",
  };
  EXPECT_EQ(errors, want);
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

}  // namespace
