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
  auto placement = read_placement_config(config);
  if (auto* e = std::get_if<config_error>(&placement)) {
    err << "sipring: configuration error: " << e->message << "\n";
    return 1;
  }
  const auto& settings = std::get<placement_config>(placement);

  const auto machine = runtime::read_topology();
  if (!machine.error.empty()) {
    err << "sipring: " << machine.error << "\n";
    return 1;
  }
  const auto choice = runtime::choose_cpus(machine.topology, settings.cpus, settings.nic);
  if (!choice.error.empty()) {
    err << "sipring: configuration error: " << settings.cpus_location << ": " << choice.error
        << "\n";
    return 1;
  }
  out << "configuration (" << config.source << ")\n"
      << runtime::describe_topology(machine.topology, settings.cpus, settings.nic, choice);
  return 0;
}

}  // namespace sipring::app
