#include "sipring/app/server_config.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string_view>

namespace sipring::app {

namespace {

bool readable_file(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec) && ::access(path.c_str(), R_OK) == 0;
}

std::string lowercase(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// A lowercase DNS name: labels of letters, digits and hyphens, 1 to 63 bytes, no hyphen at
// either end of a label; 253 bytes at most, no trailing dot.
bool is_dns_name(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = name.find('.', start);
    const std::string_view label = name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label)
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

// "*.example.com": the wildcard is the whole left-most label, over a DNS name of two labels or
// more (RFC 6125 §6.4.3; "*.com" would vouch for a whole top-level domain).
bool is_wildcard_name(std::string_view name) {
  if (!name.starts_with("*.")) return false;
  const std::string_view rest = name.substr(2);
  return is_dns_name(rest) && rest.find('.') != std::string_view::npos;
}

// RFC 6125 §6.4: a lowercase presented name (a trusted-server entry) against a lowercase host.
bool name_matches(std::string_view presented, std::string_view host) {
  if (!presented.starts_with("*.")) return presented == host;
  const std::size_t dot = host.find('.');
  return dot != std::string_view::npos && dot > 0 && host.substr(dot) == presented.substr(1);
}

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

  void boolean(std::string_view key, bool& out) {
    const toml::node* n = _table.get(key);
    if (n == nullptr) return;
    const auto* v = n->as_boolean();
    if (v == nullptr) return fail(*n, key, "must be true or false");
    out = v->get();
  }

  /// A string naming a file that must exist and be readable now.
  void file(std::string_view key, std::string& out) {
    string(key, out);
    if (!out.empty() && !readable_file(out)) fail(*_table.get(key), key, "'" + out + "' is not a readable file");
  }

  /// An array of strings naming files that must exist and be readable now; each bad one is
  /// reported at its own position.
  void files(std::string_view key, std::vector<std::string>& out, bool non_empty) {
    strings(key, out, non_empty);
    const toml::node* n = _table.get(key);
    if (n == nullptr || n->as_array() == nullptr) return;
    for (const auto& e : *n->as_array())
      if (const auto* s = e.as_string(); s != nullptr && !s->get().empty() && !readable_file(s->get()))
        fail(e, key, "'" + s->get() + "' is not a readable file");
  }

  /// A required key that is absent, reported at the table's position.
  void missing(std::string_view key, std::string_view hint) {
    const auto& at = _table.source().begin;
    _errors.push_back({_config.source + ':' + std::to_string(at.line) + ':' + std::to_string(at.column) + ": " +
                       _name + ' ' + std::string(key) + " is missing" + (hint.empty() ? "" : " ") +
                       std::string(hint)});
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
    r.only({"transport", "address", "advertised", "federation"});
    listen_config l;
    std::string transport = "udp", address;
    r.string("transport", transport, {"udp", "tcp", "tls"});
    l.transport = transport == "tcp" ? transport_kind::tcp : transport == "tls" ? transport_kind::tls : transport_kind::udp;
    r.string("address", address);
    r.string("advertised", l.advertised);
    r.boolean("federation", l.federation);
    if (l.federation && l.transport != transport_kind::tls)
      r.fail(*t.get("federation"), "federation", "needs transport = \"tls\" (federation is mutual TLS only)");
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
    for (const listen_config& other : out.listeners) {
      if (other.address.to_string() != l.address.to_string()) continue;
      if (other.transport == l.transport)
        r.fail(*t.get("address"), "address", "is listed twice for " + transport);
      else if (other.transport != transport_kind::udp && l.transport != transport_kind::udp)
        r.fail(*t.get("address"), "address", "is listed for both tcp and tls (one TCP port serves one)");
    }
    out.listeners.push_back(l);
  }
}

void read_tls(const loaded_config& config, server_config& out, std::vector<config_error>& errors) {
  const toml::table* t = table_of(config, "tls", errors);
  if (t == nullptr) return;
  out.tls.enabled = true;
  table_reader r(config, *t, "[tls]", errors);
  r.only({"certificate", "private_key", "ca", "crl", "client_certificates", "handshake_timeout_ms", "max_handshakes",
          "session_tickets"});
  auto& g = out.tls;
  r.file("certificate", g.certificate);
  r.file("private_key", g.private_key);
  r.files("ca", g.ca, false);
  r.files("crl", g.crl, false);
  std::string mode = "none";
  r.string("client_certificates", mode, {"none", "optional", "required"});
  g.client_certificates = mode == "required"   ? client_certificate_mode::required
                          : mode == "optional" ? client_certificate_mode::optional
                                               : client_certificate_mode::none;
  const toml::node* ca = t->get("ca");
  if (g.client_certificates != client_certificate_mode::none && g.ca.empty() &&
      (ca == nullptr || (ca->as_array() != nullptr && ca->as_array()->empty())))
    r.fail(*t->get("client_certificates"), "client_certificates",
           "\"" + mode + "\" needs a non-empty ca (the CAs that issue client certificates)");
  long long timeout = g.handshake_timeout.count();
  r.integer("handshake_timeout_ms", timeout, 100, 120000);
  g.handshake_timeout = std::chrono::milliseconds(timeout);
  r.integer("max_handshakes", g.max_handshakes, 1, 100000);
  r.boolean("session_tickets", g.session_tickets);
}

// "IPv4[:port]" or "[IPv6][:port]", the port 5061 (SIP over TLS) when omitted.
std::optional<runtime::socket_address> parse_tls_address(const std::string& text) {
  const bool has_port = text.starts_with('[') ? !text.ends_with(']') : text.find(':') != std::string::npos;
  return runtime::parse_socket_address(has_port ? text : text + ":5061");
}

void read_federation(const loaded_config& config, server_config& out, std::vector<config_error>& errors) {
  const toml::node* n = config.table.get("federation");
  if (n == nullptr) return;
  const auto* list = n->as_array();
  if (list == nullptr || !list->is_array_of_tables()) {
    errors.push_back({config.source + ": [[federation]] must be an array of tables"});
    return;
  }
  std::vector<std::string> ours;
  for (const std::string& d : out.domains) ours.push_back(lowercase(d));
  for (const auto& entry : *list) {
    const toml::table& t = *entry.as_table();
    table_reader r(config, t, "[[federation]]", errors);
    r.only({"domain", "ca", "crl", "servers", "address", "server_name"});
    federation_config f;

    r.string("domain", f.domain);
    if (const toml::node* d = t.get("domain"); d == nullptr) {
      r.missing("domain", "(the partner's DNS domain)");
    } else if (!f.domain.empty()) {
      f.domain = lowercase(f.domain);
      if (!is_dns_name(f.domain)) {
        r.fail(*d, "domain", "must be a DNS name, not '" + f.domain + "'");
      } else if (std::find(ours.begin(), ours.end(), f.domain) != ours.end()) {
        r.fail(*d, "domain", "'" + f.domain + "' is one of [server] domains (ours, not a partner's)");
      } else {
        for (const federation_config& other : out.federation)
          if (other.domain == f.domain) r.fail(*d, "domain", "'" + f.domain + "' is listed twice");
      }
    }

    r.files("ca", f.ca, true);
    if (t.get("ca") == nullptr) r.missing("ca", "(PEM files of the only CAs trusted for this partner)");
    r.files("crl", f.crl, false);

    r.strings("servers", f.servers, true);
    bool servers_ok = !f.servers.empty();
    if (t.get("servers") == nullptr) r.missing("servers", "(the DNS names of the partner's servers)");
    if (servers_ok) {
      std::size_t i = 0;
      for (const auto& e : *t.get("servers")->as_array()) {
        std::string& name = f.servers[i++];
        name = lowercase(name);
        if (!is_dns_name(name) && !is_wildcard_name(name)) {
          r.fail(e, "servers", "'" + name + "' must be a DNS name, a wildcard only as the whole left-most label (\"*.example.com\")");
          servers_ok = false;
        }
      }
    }

    std::string address;
    r.string("address", address);
    if (const toml::node* a = t.get("address"); a == nullptr) {
      r.missing("address", "(IPv4[:port] or [IPv6][:port] of the partner's servers)");
    } else if (!address.empty()) {
      if (const auto parsed = parse_tls_address(address)) f.address = *parsed;
      else r.fail(*a, "address", "must be IPv4[:port] or [IPv6][:port], not '" + address + "'");
    }

    r.string("server_name", f.server_name);
    if (const toml::node* s = t.get("server_name"); s != nullptr) {
      if (!f.server_name.empty()) {
        f.server_name = lowercase(f.server_name);
        if (!is_dns_name(f.server_name)) {
          r.fail(*s, "server_name", "must be a DNS name, not '" + f.server_name + "'");
        } else if (servers_ok && std::none_of(f.servers.begin(), f.servers.end(), [&](const std::string& p) {
                     return name_matches(p, f.server_name);
                   })) {
          r.fail(*s, "server_name", "'" + f.server_name + "' matches none of servers");
        }
      }
    } else if (servers_ok) {
      if (is_wildcard_name(f.servers.front()))
        r.missing("server_name", "(the first of servers, '" + f.servers.front() + "', is a wildcard)");
      else
        f.server_name = f.servers.front();
    }
    out.federation.push_back(std::move(f));
  }
}

// A tls listener or a [[federation]] entry needs our certificate and key.
void require_certificate(const loaded_config& config, server_config& out, std::vector<config_error>& errors) {
  const toml::node* user = nullptr;
  std::string what;
  if (const toml::array* list = config.table["listen"].as_array())
    for (const auto& e : *list)
      if (const toml::table* t = e.as_table(); t != nullptr && user == nullptr)
        if (const toml::node* tr = t->get("transport"); tr != nullptr && tr->value<std::string>() == "tls") {
          user = tr;
          what = "[[listen]] transport \"tls\"";
        }
  if (user == nullptr)
    if (const toml::array* list = config.table["federation"].as_array(); list != nullptr && !list->empty()) {
      user = &(*list)[0];
      what = "[[federation]]";
    }
  if (user == nullptr) return;
  const auto& at = user->source().begin;
  const std::string where = config.source + ':' + std::to_string(at.line) + ':' + std::to_string(at.column) + ": ";
  if (!out.tls.enabled) {
    errors.push_back({where + what + " needs a [tls] table with certificate and private_key"});
    return;
  }
  const toml::table& t = *config.table["tls"].as_table();
  table_reader r(config, t, "[tls]", errors);
  if (t.get("certificate") == nullptr) r.missing("certificate", "(needed by " + what + " at line " + std::to_string(at.line) + ")");
  if (t.get("private_key") == nullptr) r.missing("private_key", "(needed by " + what + " at line " + std::to_string(at.line) + ")");
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
  r.only({"default_expires", "min_expires", "max_expires", "max_contacts"});
  auto& g = out.registrar;
  r.integer("default_expires", g.default_expires, 1, 0xffffffffLL);
  r.integer("min_expires", g.min_expires, 1, 0xffffffffLL);
  r.integer("max_expires", g.max_expires, 1, 0xffffffffLL);
  r.integer("max_contacts", g.max_contacts, 0, 1000000);
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
    if (k != "server" && k != "listen" && k != "auth" && k != "registrar" && k != "log" && k != "runtime" &&
        k != "tls" && k != "federation") {
      const auto& at = node.source().begin;
      errors.push_back({config.source + ':' + std::to_string(at.line) + ':' + std::to_string(at.column) +
                        ": [" + std::string(k) + "] is not a known table"});
    }
  }
  read_server(config, out, errors);
  read_listeners(config, out, errors);
  read_tls(config, out, errors);
  read_federation(config, out, errors);
  require_certificate(config, out, errors);
  read_auth(config, out, errors);
  read_registrar(config, out, errors);
  read_log(config, out, errors);
  if (!errors.empty()) return errors;
  return out;
}

}  // namespace sipring::app
