#include "sipring/app/server_config.h"

#include <filesystem>
#include <initializer_list>
#include <string_view>

namespace sipring::app {

namespace {

// Reads typed keys out of one table, collecting an error (FILE:LINE:COLUMN: [table] key ...)
// for each bad one instead of stopping at the first.
class table_reader {
 public:
  table_reader(const loaded_config& config, const toml::table& table, std::string name,
               std::vector<config_error>& errors)
      : _config(config), _table(table), _name(std::move(name)), _errors(errors) {}

  /// Every key must be one of `known`.
  void only(std::initializer_list<std::string_view> known) {
    for (const auto& [key, node] : _table) {
      bool ok = false;
      for (std::string_view k : known) ok = ok || key.str() == k;
      if (!ok) fail(node, key.str(), "is not a known key");
    }
  }

  void string(std::string_view key, std::string& out, std::initializer_list<std::string_view> allowed = {}) {
    const toml::node* n = _table.get(key);
    if (n == nullptr) return;
    const auto* v = n->as_string();
    if (v == nullptr || v->get().empty()) return fail(*n, key, "must be a non-empty string");
    if (allowed.size() != 0) {
      bool ok = false;
      std::string list;
      for (std::string_view a : allowed) {
        ok = ok || v->get() == a;
        list += (list.empty() ? "" : ", ") + std::string(a);
      }
      if (!ok) return fail(*n, key, "must be one of " + list);
    }
    out = v->get();
  }

  template <class Int>
  void integer(std::string_view key, Int& out, long long lo, long long hi) {
    const toml::node* n = _table.get(key);
    if (n == nullptr) return;
    const auto* v = n->as_integer();
    if (v == nullptr || v->get() < lo || v->get() > hi)
      return fail(*n, key, "must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
    out = static_cast<Int>(v->get());
  }

  void strings(std::string_view key, std::vector<std::string>& out, bool non_empty) {
    const toml::node* n = _table.get(key);
    if (n == nullptr) return;
    const auto* a = n->as_array();
    bool ok = a != nullptr && (!non_empty || !a->empty());
    std::vector<std::string> values;
    if (ok)
      for (const auto& e : *a) {
        const auto* s = e.as_string();
        if (s == nullptr || s->get().empty()) ok = false;
        else values.push_back(s->get());
      }
    if (!ok) return fail(*n, key, non_empty ? "must be a non-empty array of non-empty strings"
                                             : "must be an array of non-empty strings");
    out = std::move(values);
  }

  void fail(const toml::node& n, std::string_view key, const std::string& what) {
    const auto& at = n.source().begin;
    _errors.push_back({_config.source + ':' + std::to_string(at.line) + ':' + std::to_string(at.column) +
                       ": " + _name + ' ' + std::string(key) + ' ' + what});
  }

  const toml::table& table() const { return _table; }

 private:
  const loaded_config& _config;
  const toml::table& _table;
  std::string _name;
  std::vector<config_error>& _errors;
};

const toml::table* table_of(const loaded_config& config, std::string_view name,
                            std::vector<config_error>& errors) {
  const toml::node* n = config.table.get(name);
  if (n == nullptr) return nullptr;
  if (const auto* t = n->as_table()) return t;
  errors.push_back({config.source + ": [" + std::string(name) + "] must be a table"});
  return nullptr;
}

void read_server(const loaded_config& config, server_config& out, std::vector<config_error>& errors) {
  const toml::table* t = table_of(config, "server", errors);
  if (t == nullptr) return;
  table_reader r(config, *t, "[server]", errors);
  r.only({"domains", "cpus", "nic", "t1_ms", "t2_ms", "t4_ms", "max_message_size", "max_headers",
          "tcp_idle_timeout_s"});
  r.strings("domains", out.domains, true);
  long long t1 = out.timers.t1.count(), t2 = out.timers.t2.count(), t4 = out.timers.t4.count();
  r.integer("t1_ms", t1, 10, 60000);
  r.integer("t2_ms", t2, 10, 600000);
  r.integer("t4_ms", t4, 10, 600000);
  out.timers = {std::chrono::milliseconds(t1), std::chrono::milliseconds(t2), std::chrono::milliseconds(t4)};
  if (t2 < t1)
    if (const toml::node* n = t->get("t2_ms")) r.fail(*n, "t2_ms", "must not be below t1_ms");
  r.integer("max_message_size", out.limits.max_message_size, 1024, 1 << 20);
  r.integer("max_headers", out.limits.max_headers, 16, 1024);
  long long idle = out.limits.tcp_idle_timeout.count();
  r.integer("tcp_idle_timeout_s", idle, 1, 86400);
  out.limits.tcp_idle_timeout = std::chrono::seconds(idle);
}

void read_listeners(const loaded_config& config, server_config& out, std::vector<config_error>& errors) {
  const toml::node* n = config.table.get("listen");
  if (n == nullptr) return;
  const auto* list = n->as_array();
  if (list == nullptr || !list->is_array_of_tables()) {
    errors.push_back({config.source + ": [[listen]] must be an array of tables"});
    return;
  }
  for (const auto& entry : *list) {
    const toml::table& t = *entry.as_table();
    table_reader r(config, t, "[[listen]]", errors);
    r.only({"transport", "address", "advertised"});
    listen_config l;
    std::string transport = "udp", address;
    r.string("transport", transport, {"udp", "tcp"});
    l.transport = transport == "tcp" ? transport_kind::tcp : transport_kind::udp;
    r.string("address", address);
    r.string("advertised", l.advertised);
    if (address.empty()) {
      if (t.get("address") == nullptr)
        errors.push_back({config.source + ':' + std::to_string(t.source().begin.line) +
                          ": [[listen]] address is missing (IPv4:port or [IPv6]:port)"});
      continue;
    }
    const auto parsed = runtime::parse_socket_address(address);
    if (!parsed) {
      r.fail(*t.get("address"), "address", "must be IPv4:port or [IPv6]:port, not '" + address + "'");
      continue;
    }
    l.address = *parsed;
    for (const listen_config& other : out.listeners)
      if (other.transport == l.transport && other.address.to_string() == l.address.to_string())
        r.fail(*t.get("address"), "address", "is listed twice for " + transport);
    out.listeners.push_back(l);
  }
}

void read_auth(const loaded_config& config, server_config& out, std::vector<config_error>& errors) {
  const toml::table* t = table_of(config, "auth", errors);
  if (t == nullptr) return;
  out.auth.enabled = true;
  table_reader r(config, *t, "[auth]", errors);
  r.only({"realm", "users_file", "methods", "nonce_lifetime_s"});
  r.string("realm", out.auth.realm);
  r.string("users_file", out.auth.users_file);
  out.auth.methods = {"REGISTER", "INVITE", "MESSAGE", "SUBSCRIBE"};
  r.strings("methods", out.auth.methods, false);
  long long lifetime = out.auth.nonce_lifetime.count();
  r.integer("nonce_lifetime_s", lifetime, 10, 86400);
  out.auth.nonce_lifetime = std::chrono::seconds(lifetime);
  if (out.auth.realm.empty() && t->get("realm") == nullptr)
    errors.push_back({config.source + ": [auth] realm is missing"});
  if (const toml::node* n = t->get("users_file"); n == nullptr) {
    errors.push_back({config.source + ": [auth] users_file is missing (htdigest format)"});
  } else if (!out.auth.users_file.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(out.auth.users_file, ec))
      r.fail(*n, "users_file", "'" + out.auth.users_file + "' is not a readable file");
  }
}

void read_registrar(const loaded_config& config, server_config& out, std::vector<config_error>& errors) {
  const toml::table* t = table_of(config, "registrar", errors);
  if (t == nullptr) return;
  table_reader r(config, *t, "[registrar]", errors);
  r.only({"default_expires", "min_expires", "max_expires"});
  auto& g = out.registrar;
  r.integer("default_expires", g.default_expires, 1, 0xffffffffLL);
  r.integer("min_expires", g.min_expires, 1, 0xffffffffLL);
  r.integer("max_expires", g.max_expires, 1, 0xffffffffLL);
  if (!(g.min_expires <= g.default_expires && g.default_expires <= g.max_expires))
    errors.push_back({config.source + ':' + std::to_string(t->source().begin.line) +
                      ": [registrar] must have min_expires <= default_expires <= max_expires"});
}

void read_log(const loaded_config& config, server_config& out, std::vector<config_error>& errors) {
  const toml::table* t = table_of(config, "log", errors);
  if (t == nullptr) return;
  table_reader r(config, *t, "[log]", errors);
  r.only({"level", "format"});
  r.string("level", out.log.level, {"error", "warn", "info", "debug", "trace"});
  r.string("format", out.log.format, {"text", "json"});
}

}  // namespace

std::variant<server_config, std::vector<config_error>> read_server_config(const loaded_config& config) {
  server_config out;
  std::vector<config_error> errors;
  for (const auto& [key, node] : config.table) {
    const std::string_view k = key.str();
    if (k != "server" && k != "listen" && k != "auth" && k != "registrar" && k != "log" && k != "runtime") {
      const auto& at = node.source().begin;
      errors.push_back({config.source + ':' + std::to_string(at.line) + ':' + std::to_string(at.column) +
                        ": [" + std::string(k) + "] is not a known table"});
    }
  }
  read_server(config, out, errors);
  read_listeners(config, out, errors);
  read_auth(config, out, errors);
  read_registrar(config, out, errors);
  read_log(config, out, errors);
  if (!errors.empty()) return errors;
  return out;
}

}  // namespace sipring::app
