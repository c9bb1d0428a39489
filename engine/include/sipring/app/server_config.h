#pragma once
// The SIP server's configuration keys ([server], [[listen]], [tls], [[federation]], [auth],
// [registrar], [log]), read
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

enum class transport_kind { udp, tcp, tls };

struct listen_config {
  transport_kind transport = transport_kind::udp;
  runtime::socket_address address;
  std::string advertised;  ///< host[:port] put in Via / Record-Route; empty: the address
  /// tls only: the port serves federation partners only (mutual TLS, each peer checked against
  /// its partner's CAs and trusted-server list).
  bool federation = false;
};

/// Whether a TLS listener asks clients for a certificate ([tls] client_certificates).
enum class client_certificate_mode { none, optional, required };

/// [tls]: our certificate and what we accept from clients. Every file named here existed and
/// was readable when the configuration was read.
struct tls_config {
  bool enabled = false;             ///< a [tls] table is present
  std::string certificate;          ///< PEM: our certificate, then intermediates
  std::string private_key;          ///< PEM
  std::vector<std::string> ca;      ///< PEM files of CAs for client certificates
  std::vector<std::string> crl;     ///< PEM CRL files
  client_certificate_mode client_certificates = client_certificate_mode::none;
  std::chrono::milliseconds handshake_timeout{10000};
  std::uint32_t max_handshakes = 256;  ///< per shard, in progress at once
  bool session_tickets = true;
};

/// One [[federation]] partner: a domain we exchange requests with over mutual TLS.
struct federation_config {
  std::string domain;                ///< lowercase, not one of ours
  std::vector<std::string> ca;       ///< PEM files: the only CAs trusted for this partner
  std::vector<std::string> crl;      ///< PEM CRL files
  std::vector<std::string> servers;  ///< lowercase DNS names, "*.x" as the whole left-most label
  runtime::socket_address address;   ///< where requests for the domain are sent
  std::string server_name;           ///< lowercase; SNI and the name the certificate must match
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
  std::uint32_t max_contacts = 0;  ///< bindings per AoR (0: no limit)
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
  tls_config tls;
  std::vector<federation_config> federation;
  auth_config auth;
  registrar_config registrar;
  log_config log;
};

/// Reads and checks every key above; on failure every error found (not only the first).
std::variant<server_config, std::vector<config_error>> read_server_config(const loaded_config& config);

}  // namespace sipring::app
