#include "sipring/app/runtime_config.h"

#include <optional>
#include <string>
#include <string_view>

namespace sipring::app {

namespace {

std::string where(const loaded_config& config, const toml::node& node, std::string_view key) {
  const auto& at = node.source().begin;
  return config.source + ':' + std::to_string(at.line) + ':' + std::to_string(at.column) +
         ": [runtime] " + std::string(key);
}

// An optional integer key in [lo, hi]; `power_of_two` adds that constraint.
std::optional<config_error> read_int(const loaded_config& config, const toml::table& t,
                                     std::string_view key, long long lo, long long hi,
                                     bool power_of_two, long long& value) {
  const toml::node* node = t.get(key);
  if (node == nullptr) return std::nullopt;
  const auto* v = node->as_integer();
  const bool ok = v != nullptr && v->get() >= lo && v->get() <= hi &&
                  (!power_of_two || (v->get() & (v->get() - 1)) == 0);
  if (!ok)
    return config_error{where(config, *node, key) + " must be an integer from " + std::to_string(lo) +
                        " to " + std::to_string(hi) + (power_of_two ? ", a power of two" : "")};
  value = v->get();
  return std::nullopt;
}

}  // namespace

std::variant<runtime::shard_set_options, config_error> read_runtime_config(const loaded_config& config) {
  runtime::shard_set_options out;
  const toml::node* node = config.table.get("runtime");
  if (node == nullptr) return out;
  const toml::table* t = node->as_table();
  if (t == nullptr) return config_error{config.source + ": [runtime] must be a table"};
  for (const auto& [key, value] : *t) {
    const std::string_view k = key.str();
    if (k != "receive_buffers" && k != "receive_buffer_size" && k != "coalesce_window_us" &&
        k != "coalesce_count" && k != "stop_grace_ms")
      return config_error{where(config, value, k) + " is not a known key"};
  }
  long long buffers = out.reactor.receive_buffers, size = out.reactor.receive_buffer_size;
  long long window = 0, count = out.reactor.coalesce_count, grace = out.stop_grace.count();
  if (auto e = read_int(config, *t, "receive_buffers", 16, 32768, true, buffers)) return *e;
  if (auto e = read_int(config, *t, "receive_buffer_size", 512, 65536, false, size)) return *e;
  if (auto e = read_int(config, *t, "coalesce_window_us", 0, 10000, false, window)) return *e;
  if (auto e = read_int(config, *t, "coalesce_count", 1, 4096, false, count)) return *e;
  if (auto e = read_int(config, *t, "stop_grace_ms", 0, 600000, false, grace)) return *e;
  out.reactor.receive_buffers = static_cast<unsigned>(buffers);
  out.reactor.receive_buffer_size = static_cast<unsigned>(size);
  out.reactor.coalesce_window = std::chrono::microseconds(window);
  out.reactor.coalesce_count = static_cast<unsigned>(count);
  out.stop_grace = std::chrono::milliseconds(grace);
  return out;
}

}  // namespace sipring::app
