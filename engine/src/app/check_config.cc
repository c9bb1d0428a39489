#include "sipring/app/check_config.h"

#include <ostream>
#include <variant>

#include "sipring/app/placement_config.h"
#include "sipring/app/runtime_config.h"
#include "sipring/app/server_config.h"
#include "sipring/runtime/cpu_list.h"

namespace sipring::app {

std::vector<config_error> check_config(const loaded_config& config) {
  std::vector<config_error> errors;
  if (auto p = place_shards(config); std::holds_alternative<config_error>(p))
    errors.push_back(std::get<config_error>(p));
  if (auto r = read_runtime_config(config); std::holds_alternative<config_error>(r))
    errors.push_back(std::get<config_error>(r));
  if (auto s = read_server_config(config); std::holds_alternative<std::vector<config_error>>(s))
    for (auto& e : std::get<std::vector<config_error>>(s)) errors.push_back(std::move(e));
  return errors;
}

int run_check_config(const std::string& path, std::ostream& out, std::ostream& err) {
  auto loaded = load_config(path);
  if (auto* e = std::get_if<config_error>(&loaded)) {
    err << e->message << "\n";
    return 1;
  }
  const auto& config = std::get<loaded_config>(loaded);
  const auto errors = check_config(config);
  for (const auto& e : errors) err << e.message << "\n";
  if (!errors.empty()) return 1;
  const auto placed = std::get<shard_placement>(place_shards(config));
  const auto server = std::get<server_config>(read_server_config(config));
  out << config.source << ": configuration OK (" << server.listeners.size() << " listeners, "
      << placed.choice.cpus.size() << " shards on CPUs " << runtime::format_cpu_list(placed.choice.cpus)
      << ")\n";
  return 0;
}

}  // namespace sipring::app
