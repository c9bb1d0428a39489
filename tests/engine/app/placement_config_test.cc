#include "sipring/app/placement_config.h"

#include <gtest/gtest.h>

namespace {

using namespace sipring::app;

loaded_config from_text(std::string_view text) {
  return loaded_config{"test.toml", toml::parse(text, std::string_view("test.toml"))};
}

placement_config read_ok(std::string_view text) {
  auto r = read_placement_config(from_text(text));
  EXPECT_TRUE(std::holds_alternative<placement_config>(r)) << std::get<config_error>(r).message;
  return std::holds_alternative<placement_config>(r) ? std::get<placement_config>(r)
                                                     : placement_config{};
}

std::string read_error(std::string_view text) {
  auto r = read_placement_config(from_text(text));
  EXPECT_TRUE(std::holds_alternative<config_error>(r)) << text;
  return std::holds_alternative<config_error>(r) ? std::get<config_error>(r).message : "";
}

TEST(PlacementConfig, EmbeddedDefaultIsAutoWithoutNic) {
  auto loaded = load_config("");
  ASSERT_TRUE(std::holds_alternative<loaded_config>(loaded));
  auto r = read_placement_config(std::get<loaded_config>(loaded));
  ASSERT_TRUE(std::holds_alternative<placement_config>(r));
  EXPECT_EQ(std::get<placement_config>(r).cpus, "auto");
  EXPECT_EQ(std::get<placement_config>(r).nic, "");
}

TEST(PlacementConfig, ReadsCpusAndNicWithTheirLocation) {
  const auto p = read_ok("[server]\nnic = \"eth1\"\ncpus = \"0-3,8\"\n");
  EXPECT_EQ(p.cpus, "0-3,8");
  EXPECT_EQ(p.nic, "eth1");
  EXPECT_EQ(p.cpus_location, "test.toml:3:8: [server] cpus");
}

TEST(PlacementConfig, MissingKeysTakeTheDefaults) {
  for (const char* text : {"", "[server]\n", "[log]\nlevel = \"info\"\n"}) {
    const auto p = read_ok(text);
    EXPECT_EQ(p.cpus, "auto");
    EXPECT_EQ(p.nic, "");
    EXPECT_EQ(p.cpus_location, "test.toml: [server] cpus");
  }
}

TEST(PlacementConfig, WrongTypesNameFileLineAndKey) {
  EXPECT_EQ(read_error("[server]\n\ncpus = 4\n"),
            "test.toml:3:8: [server] cpus must be a string: \"auto\" or a CPU list such as \"0-3,8\"");
  EXPECT_EQ(read_error("[server]\nnic = [\"eth0\"]\n").rfind("test.toml:2:7: [server] nic must be", 0),
            0u);
  EXPECT_NE(read_error("[server]\ncpus = \"\"\n").find("test.toml:2:8: [server] cpus must be"),
            std::string::npos);
  EXPECT_NE(read_error("server = 1\n").find("test.toml:1:10: [server] must be a table"),
            std::string::npos);
}

}  // namespace
