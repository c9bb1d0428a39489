#include "sipring/app/config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace {

using namespace sipring::app;

TEST(Config, EmbeddedDefaultParsesAndServesLoopback) {
  auto loaded = load_config("");
  ASSERT_TRUE(std::holds_alternative<loaded_config>(loaded))
      << std::get<config_error>(loaded).message;
  const auto& cfg = std::get<loaded_config>(loaded);
  EXPECT_EQ(cfg.source, "embedded default");
  const auto* listen = cfg.table["listen"].as_array();
  ASSERT_NE(listen, nullptr);
  ASSERT_GE(listen->size(), 1u);
  EXPECT_EQ((*listen)[0].as_table()->at("address").value<std::string>(), "127.0.0.1:5060");
}

TEST(Config, SyntaxErrorNamesFileLineAndColumn) {
  const std::string path = ::testing::TempDir() + "sipring_bad_config.toml";
  {
    std::ofstream f(path);
    f << "[server]\ncpus = \"0-1\"\ndomains = [\"a.test\"\n";  // unterminated array on line 3
  }
  auto loaded = load_config(path);
  ASSERT_TRUE(std::holds_alternative<config_error>(loaded));
  const auto& msg = std::get<config_error>(loaded).message;
  EXPECT_EQ(msg.rfind(path + ":", 0), 0u) << msg;
  EXPECT_NE(msg.find(":3:"), std::string::npos) << msg;
  std::remove(path.c_str());
}

TEST(Config, MissingFileIsNamed) {
  auto loaded = load_config("/nonexistent/sipring.toml");
  ASSERT_TRUE(std::holds_alternative<config_error>(loaded));
  EXPECT_NE(std::get<config_error>(loaded).message.find("/nonexistent/sipring.toml"),
            std::string::npos);
}

}  // namespace
