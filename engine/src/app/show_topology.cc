#include "sipring/app/show_topology.h"

#include <ostream>

#include "sipring/app/config.h"
#include "sipring/app/placement_config.h"
#include "sipring/runtime/cpu_choice.h"
#include "sipring/runtime/topology.h"
#include "sipring/runtime/topology_report.h"

namespace sipring::app {

int run_show_topology(const std::string& config_path, std::ostream& out, std::ostream& err) {
  auto loaded = load_config(config_path);
  if (auto* e = std::get_if<config_error>(&loaded)) {
    err << "sipring: configuration error: " << e->message << "\n";
    return 1;
  }
  const auto& config = std::get<loaded_config>(loaded);
  auto placed = place_shards(config);
  if (auto* e = std::get_if<config_error>(&placed)) {
    err << "sipring: configuration error: " << e->message << "\n";
    return 1;
  }
  const auto& [settings, machine, choice] = std::get<shard_placement>(placed);
  out << "configuration (" << config.source << ")\n"
      << runtime::describe_topology(machine, settings.cpus, settings.nic, choice);
  return 0;
}

}  // namespace sipring::app
