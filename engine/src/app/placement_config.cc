#include "sipring/app/placement_config.h"

#include <optional>
#include <string_view>

namespace sipring::app {

namespace {

std::string location(const std::string& source, const toml::node& node, std::string_view key) {
  const auto& where = node.source().begin;
  return source + ':' + std::to_string(where.line) + ':' + std::to_string(where.column) + ": " +
         std::string(key);
}

// Reads an optional string key of [server] into `value`; an error names the file, line and key.
std::optional<config_error> read_string(const loaded_config& config, const toml::table& server,
                                        std::string_view key, std::string_view expected,
                                        std::string& value, std::string* where) {
  const toml::node* node = server.get(key);
  const std::string name = "[server] " + std::string(key);
  if (node == nullptr) return std::nullopt;
  if (where) *where = location(config.source, *node, name);
  const auto* text = node->as_string();
  if (text == nullptr || text->get().empty())
    return config_error{location(config.source, *node, name) + " must be " + std::string(expected)};
  value = text->get();
  return std::nullopt;
}

}  // namespace

std::variant<placement_config, config_error> read_placement_config(const loaded_config& config) {
  placement_config out;
  out.cpus_location = config.source + ": [server] cpus";
  const toml::node* server_node = config.table.get("server");
  if (server_node == nullptr) return out;
  const toml::table* server = server_node->as_table();
  if (server == nullptr)
    return config_error{location(config.source, *server_node, "[server]") + " must be a table"};
  if (auto err = read_string(config, *server, "cpus",
                             "a string: \"auto\" or a CPU list such as \"0-3,8\"", out.cpus,
                             &out.cpus_location))
    return *err;
  if (auto err = read_string(config, *server, "nic", "a network interface name such as \"eth0\"",
                             out.nic, nullptr))
    return *err;
  return out;
}

std::variant<shard_placement, config_error> place_shards(const loaded_config& config) {
  auto settings = read_placement_config(config);
  if (auto* e = std::get_if<config_error>(&settings)) return *e;
  shard_placement out;
  out.settings = std::get<placement_config>(settings);
  auto machine = runtime::read_topology();
  if (!machine.error.empty()) return config_error{"cannot read the machine's topology: " + machine.error};
  out.machine = std::move(machine.topology);
  out.choice = runtime::choose_cpus(out.machine, out.settings.cpus, out.settings.nic);
  if (!out.choice.error.empty()) return config_error{out.settings.cpus_location + ": " + out.choice.error};
  return out;
}

}  // namespace sipring::app
