#pragma once
// A TLS configuration for one role (server or client) and one shard: our certificate chain and
// key, the CAs we trust, CRLs, and whether the peer must present a certificate. TLS 1.2 and 1.3
// only; AES-GCM suites first, then ChaCha20-Poly1305; ECDHE over X25519 and P-256; ECDSA and
// RSA certificates. Built from files when the server starts and again on reload; sessions keep
// the context they were made from alive (wolfSSL counts references), so replacing a context
// never disturbs an established connection.

#include <memory>
#include <string>
#include <vector>

#include "sipring/crypto/session_ticket_keys.h"

namespace sipring::crypto {

enum class tls_role { server, client };

/// How the peer's certificate is treated.
enum class peer_verification {
  none,      ///< not asked for (server) / not checked (client: never use outside tests)
  optional,  ///< server: asked for; verified when presented; a client without one is accepted
  required,  ///< verified, and a peer without a certificate is refused
};

struct tls_context_options {
  tls_role role = tls_role::server;
  std::string certificate_chain;  ///< PEM: our certificate, then intermediates ("" = none, client only)
  std::string private_key;        ///< PEM, ECDSA or RSA
  std::vector<std::string> trusted_cas;  ///< PEM files of CAs that may vouch for the peer
  std::vector<std::string> crls;         ///< PEM CRL files, checked for every certificate of the chain
  peer_verification verify = peer_verification::none;
  /// Server: seal session tickets with these keys (null: no tickets, every handshake is full).
  std::shared_ptr<const session_ticket_keys> tickets;
  /// Client, TLS 1.3: when resuming, offer the ticket for psk_ke only (resumption without a
  /// new key exchange) instead of psk_ke and psk_dhe_ke. A wolfSSL server then skips the
  /// (EC)DHE exchange, about two thirds of its resumed handshake: some 3x the resumed
  /// handshakes per second (bench/README.md, "TLS handshakes"). The price: the resumed session
  /// has no forward secrecy of its own; its keys derive from the ticket's secret alone, so
  /// whoever later obtains the server's session_ticket_keys, or this client's saved ticket, can
  /// decrypt every session resumed from it. A server that insists on (EC)DHE (OpenSSL without
  /// SSL_OP_ALLOW_NO_DHE_KEX) answers with a full handshake instead. Full handshakes are unaffected.
  ///
  /// Ignored by a server context. A wolfSSL server resumes without (EC)DHE whenever a client
  /// offers psk_ke only, and cannot be made to choose psk_ke for a client offering both modes:
  /// wolfSSL 5.5.4 clients (sipring's own without this field) offer both and fail that
  /// handshake (bad record), so the choice has to stay with the client.
  bool resumption_without_key_exchange = false;
};

class tls_context {
 public:
  /// Null with `error` naming the file and what is wrong with it ("certificate.pem: no
  /// certificate in the file", "key.pem: the key does not match the certificate", ...).
  static std::unique_ptr<tls_context> create(const tls_context_options& options, std::string& error);
  ~tls_context();
  tls_context(const tls_context&) = delete;
  tls_context& operator=(const tls_context&) = delete;

  tls_role role() const noexcept { return _role; }
  peer_verification verification() const noexcept { return _verify; }
  /// The WOLFSSL_CTX, for tls_session only.
  void* native() const noexcept { return _ctx; }

 private:
  tls_context() = default;
  void* _ctx = nullptr;
  tls_role _role = tls_role::server;
  peer_verification _verify = peer_verification::none;
  bool _resume_without_key_exchange = false;  ///< client: offer psk_ke only
  std::shared_ptr<const session_ticket_keys> _tickets;  ///< kept alive for the ticket callback
  friend class tls_session;
  struct ticket_state;  ///< the AES-GCM key schedule and nonce counter that seal tickets (server)
  /// Shared with the server sessions made from this context: a session in its handshake may
  /// outlive the tls_context (wolfSSL keeps the WOLFSSL_CTX) and still seal a ticket.
  std::shared_ptr<ticket_state> _ticket_state;
};

}  // namespace sipring::crypto
