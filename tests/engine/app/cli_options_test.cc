#include "sipring/app/cli_options.h"

#include <gtest/gtest.h>

namespace {

using namespace sipring::app;

TEST(CliOptions, NoArgumentsRunsTheEmbeddedDefault) {
  const auto o = parse_cli({});
  EXPECT_EQ(o.command, cli_command::run);
  EXPECT_TRUE(o.config_path.empty());
  EXPECT_TRUE(o.error.empty());
}

TEST(CliOptions, ConfigTakesAFileInBothSpellings) {
  EXPECT_EQ(parse_cli({"--config", "a.toml"}).config_path, "a.toml");
  EXPECT_EQ(parse_cli({"--config=b.toml"}).config_path, "b.toml");
}

TEST(CliOptions, ConfigWithoutAFileIsAnError) {
  EXPECT_FALSE(parse_cli({"--config"}).error.empty());
  EXPECT_FALSE(parse_cli({"--config="}).error.empty());
}

TEST(CliOptions, VersionAndHelp) {
  EXPECT_EQ(parse_cli({"--version"}).command, cli_command::version);
  EXPECT_EQ(parse_cli({"--help"}).command, cli_command::help);
  EXPECT_EQ(parse_cli({"-h"}).command, cli_command::help);
}

TEST(CliOptions, ShowTopologyTakesAConfig) {
  auto o = parse_cli({"--show-topology"});
  EXPECT_EQ(o.command, cli_command::show_topology);
  EXPECT_TRUE(o.config_path.empty());
  o = parse_cli({"--show-topology", "--config", "a.toml"});
  EXPECT_EQ(o.command, cli_command::show_topology);
  EXPECT_EQ(o.config_path, "a.toml");
  EXPECT_TRUE(o.error.empty());
  EXPECT_EQ(parse_cli({"--config=b.toml", "--show-topology"}).command, cli_command::show_topology);
}

TEST(CliOptions, UnknownOptionIsNamedInTheError) {
  const auto o = parse_cli({"--frobnicate"});
  EXPECT_NE(o.error.find("--frobnicate"), std::string::npos);
}

TEST(CliOptions, ParseCommandTakesAFileStdinAndStream) {
  auto o = parse_cli({"parse", "msg.sip"});
  EXPECT_EQ(o.command, cli_command::parse);
  EXPECT_EQ(o.parse_path, "msg.sip");
  EXPECT_FALSE(o.parse_stream);
  o = parse_cli({"parse"});
  EXPECT_EQ(o.command, cli_command::parse);
  EXPECT_TRUE(o.parse_path.empty());
  o = parse_cli({"parse", "--stream", "-"});
  EXPECT_TRUE(o.parse_stream);
  EXPECT_EQ(o.parse_path, "-");
  EXPECT_TRUE(o.error.empty());
  EXPECT_FALSE(parse_cli({"parse", "a", "b"}).error.empty());
  EXPECT_NE(parse_cli({"parse", "--json"}).error.find("--json"), std::string::npos);
}

TEST(CliOptions, UsageListsEveryOption) {
  for (const char* opt : {"--config", "--version", "--help", "--show-topology", "SIPRING_SIMD", "parse",
                          "--stream"})
    EXPECT_NE(usage_text().find(opt), std::string_view::npos) << opt;
}

}  // namespace
