#pragma once
// The SIP server's configuration keys ([server], [[listen]], [auth], [registrar], [log]), read
// and checked in one pass that reports every error, each naming the file, line, column and key.
// docs/configuration.md describes them; config/sipring.example.toml sets every one.

#include <chrono>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "sipring/app/config.h"
#include "sipring/runtime/listen_socket.h"

namespace sipring::app {

enum class transport_kind { udp, tcp };

struct listen_config {
  transport_kind transport = transport_kind::udp;
  runtime::socket_address address;
  std::string advertised;  ///< host[:port] put in Via / Record-Route; empty: the address
};

/// RFC 3261 §17 timer base values.
struct sip_timers {
  std::chrono::milliseconds t1{500}, t2{4000}, t4{5000};
};

struct server_limits {
  std::uint32_t max_message_size = 65536;  ///< bytes (answered with 513 beyond)
  std::uint32_t max_headers = 256;
  std::chrono::seconds tcp_idle_timeout{600};  ///< an idle TCP connection is closed after this
};

struct auth_config {
  bool enabled = false;  ///< an [auth] table is present
  std::string realm;
  std::string users_file;            ///< htdigest format: user:realm:HA1
  std::vector<std::string> methods;  ///< requests that must authenticate
  std::chrono::seconds nonce_lifetime{300};
};

struct registrar_config {
  std::uint32_t default_expires = 3600, min_expires = 60, max_expires = 86400;
};

struct log_config {
  std::string level = "info";  ///< error, warn, info, debug, trace
  std::string format = "text";  ///< text or json
};

struct server_config {
  std::vector<std::string> domains;
  sip_timers timers;
  server_limits limits;
  std::vector<listen_config> listeners;
  auth_config auth;
  registrar_config registrar;
  log_config log;
};

/// Reads and checks every key above; on failure every error found (not only the first).
std::variant<server_config, std::vector<config_error>> read_server_config(const loaded_config& config);

}  // namespace sipring::app
