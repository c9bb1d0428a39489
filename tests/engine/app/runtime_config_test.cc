#include "sipring/app/runtime_config.h"

#include <gtest/gtest.h>

namespace {

using namespace sipring::app;
using namespace std::chrono_literals;

loaded_config from_text(std::string_view text) {
  return loaded_config{"test.toml", toml::parse(text, std::string_view("test.toml"))};
}

std::string read_error(std::string_view text) {
  auto r = read_runtime_config(from_text(text));
  EXPECT_TRUE(std::holds_alternative<config_error>(r)) << text;
  return std::holds_alternative<config_error>(r) ? std::get<config_error>(r).message : "";
}

TEST(RuntimeConfig, DefaultsWithoutTheTable) {
  auto r = read_runtime_config(from_text("[server]\ncpus = \"auto\"\n"));
  ASSERT_TRUE(std::holds_alternative<sipring::runtime::shard_set_options>(r));
  const auto& o = std::get<sipring::runtime::shard_set_options>(r);
  EXPECT_EQ(o.reactor.coalesce_window, 0us) << "coalescing is off by default";
  EXPECT_EQ(o.stop_grace, 5000ms);
}

TEST(RuntimeConfig, ReadsEveryKey) {
  auto r = read_runtime_config(from_text(
      "[runtime]\nreceive_buffers = 256\nreceive_buffer_size = 2048\ncoalesce_window_us = 200\n"
      "coalesce_count = 32\nstop_grace_ms = 1500\n"));
  ASSERT_TRUE(std::holds_alternative<sipring::runtime::shard_set_options>(r)) << std::get<config_error>(r).message;
  const auto& o = std::get<sipring::runtime::shard_set_options>(r);
  EXPECT_EQ(o.reactor.receive_buffers, 256u);
  EXPECT_EQ(o.reactor.receive_buffer_size, 2048u);
  EXPECT_EQ(o.reactor.coalesce_window, 200us);
  EXPECT_EQ(o.reactor.coalesce_count, 32u);
  EXPECT_EQ(o.stop_grace, 1500ms);
}

TEST(RuntimeConfig, ErrorsNameFileLineAndKey) {
  EXPECT_EQ(read_error("[runtime]\nreceive_buffers = 1000\n"),
            "test.toml:2:19: [runtime] receive_buffers must be an integer from 16 to 32768, a power of two");
  EXPECT_EQ(read_error("[runtime]\ncoalesce_window_us = \"200\"\n"),
            "test.toml:2:22: [runtime] coalesce_window_us must be an integer from 0 to 10000");
  EXPECT_EQ(read_error("[runtime]\nstop_grace = 5\n"), "test.toml:2:14: [runtime] stop_grace is not a known key");
  EXPECT_EQ(read_error("runtime = 3\n"), "test.toml: [runtime] must be a table");
}

}  // namespace
