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

TEST(CliOptions, UnknownOptionIsNamedInTheError) {
  const auto o = parse_cli({"--frobnicate"});
  EXPECT_NE(o.error.find("--frobnicate"), std::string::npos);
}

TEST(CliOptions, UsageListsEveryOption) {
  for (const char* opt : {"--config", "--version", "--help", "SIPRING_SIMD"})
    EXPECT_NE(usage_text().find(opt), std::string_view::npos) << opt;
}

}  // namespace
