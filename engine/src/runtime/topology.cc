#include "sipring/runtime/topology.h"

#include <hwloc.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace sipring::runtime {

namespace {

// Owns one hwloc topology for the duration of a read.
class hwloc_handle {
 public:
  hwloc_handle() { _ok = hwloc_topology_init(&_t) == 0; }
  ~hwloc_handle() {
    if (_ok) hwloc_topology_destroy(_t);
  }
  hwloc_handle(const hwloc_handle&) = delete;
  hwloc_handle& operator=(const hwloc_handle&) = delete;
  bool ok() const { return _ok; }
  hwloc_topology_t get() const { return _t; }

 private:
  hwloc_topology_t _t{};
  bool _ok = false;
};

std::vector<unsigned> bitmap_members(hwloc_const_bitmap_t set) {
  std::vector<unsigned> out;
  for (int i = hwloc_bitmap_first(set); i >= 0; i = hwloc_bitmap_next(set, i))
    out.push_back(static_cast<unsigned>(i));
  return out;
}

// The object's NUMA node when its nodeset names exactly one; several (or none) means it is
// not local to any one node.
int single_numa_node(hwloc_const_bitmap_t nodeset) {
  if (nodeset == nullptr || hwloc_bitmap_weight(nodeset) != 1) return no_numa_node;
  return hwloc_bitmap_first(nodeset);
}

physical_core core_from(hwloc_topology_t t, hwloc_obj_t obj) {
  physical_core core;
  if (auto* pkg = hwloc_get_ancestor_obj_by_type(t, HWLOC_OBJ_PACKAGE, obj))
    core.package = pkg->logical_index;
  core.numa_node = single_numa_node(obj->nodeset);
  core.pus = bitmap_members(obj->cpuset);  // cpusets hold OS indices: Linux CPU numbers
  return core;
}

// Network interfaces hwloc lists as OS devices, with the NUMA node of the nearest CPU-side
// object (a PCI bus attached to the whole machine of a multi-node host has no single node).
void add_hwloc_nics(hwloc_topology_t t, machine_topology& topo) {
  for (hwloc_obj_t dev = hwloc_get_next_osdev(t, nullptr); dev != nullptr;
       dev = hwloc_get_next_osdev(t, dev)) {
    if (dev->attr->osdev.type != HWLOC_OBJ_OSDEV_NETWORK || dev->name == nullptr) continue;
    const hwloc_obj_t where = hwloc_get_non_io_ancestor_obj(t, dev);
    topo.nic_numa_nodes[dev->name] = where ? single_numa_node(where->nodeset) : no_numa_node;
  }
}

topology_result load(hwloc_handle& h, bool with_nics) {
  topology_result out;
  hwloc_topology_t t = h.get();
  if (with_nics) hwloc_topology_set_io_types_filter(t, HWLOC_TYPE_FILTER_KEEP_IMPORTANT);
  if (hwloc_topology_load(t) != 0) {
    out.error = "hwloc could not read the machine's topology: " +
                std::error_code(errno, std::generic_category()).message();
    return out;
  }
  auto& topo = out.topology;
  topo.packages = static_cast<unsigned>(std::max(hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_PACKAGE), 0));
  for (hwloc_obj_t n = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_NUMANODE, nullptr); n != nullptr;
       n = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_NUMANODE, n))
    topo.numa_nodes.push_back(n->os_index);
  std::sort(topo.numa_nodes.begin(), topo.numa_nodes.end());

  // Some virtual machines expose no cores: each PU then stands for its own core.
  const hwloc_obj_type_t core_type =
      hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_CORE) > 0 ? HWLOC_OBJ_CORE : HWLOC_OBJ_PU;
  for (hwloc_obj_t c = hwloc_get_next_obj_by_type(t, core_type, nullptr); c != nullptr;
       c = hwloc_get_next_obj_by_type(t, core_type, c)) {
    auto core = core_from(t, c);
    if (core.pus.empty()) continue;
    topo.pus.insert(topo.pus.end(), core.pus.begin(), core.pus.end());
    topo.cores.push_back(std::move(core));
  }
  std::sort(topo.cores.begin(), topo.cores.end(),
            [](const physical_core& a, const physical_core& b) { return a.pus[0] < b.pus[0]; });
  std::sort(topo.pus.begin(), topo.pus.end());
  if (topo.cores.empty()) out.error = "hwloc found no usable CPUs";

  if (with_nics) {
    add_hwloc_nics(t, topo);
    for (auto& [name, node] : read_sysfs_nic_numa_nodes("/sys/class/net"))
      topo.nic_numa_nodes.try_emplace(name, node);  // hwloc's view wins where it has one
  }
  return out;
}

}  // namespace

topology_result read_topology() {
  hwloc_handle h;
  if (!h.ok()) return {{}, "hwloc could not start"};
  return load(h, true);
}

topology_result read_synthetic_topology(std::string_view description) {
  hwloc_handle h;
  if (!h.ok()) return {{}, "hwloc could not start"};
  if (hwloc_topology_set_synthetic(h.get(), std::string(description).c_str()) != 0)
    return {{}, "hwloc rejected the synthetic topology '" + std::string(description) + "'"};
  return load(h, false);
}

std::map<std::string, int, std::less<>> read_sysfs_nic_numa_nodes(
    const std::string& sys_class_net) {
  std::map<std::string, int, std::less<>> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(sys_class_net, ec)) {
    int node = no_numa_node;
    std::ifstream in(entry.path() / "device" / "numa_node");
    if (!(in >> node) || node < 0) node = no_numa_node;
    out[entry.path().filename().string()] = node;
  }
  return out;
}

}  // namespace sipring::runtime
