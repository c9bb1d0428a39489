#pragma once
// One shard's TLS contexts and per-partner trust stores, built from the [tls] and [[federation]]
// files when the server starts and again on SIGHUP. A connection keeps the credentials it was
// made with (shared_ptr), so a reload changes what new handshakes see and never disturbs an
// established connection.

#include <memory>
#include <string>
#include <vector>

#include "sipring/crypto/session_ticket_keys.h"
#include "sipring/crypto/tls_context.h"
#include "sipring/crypto/trust_store.h"
#include "sipring/transport/federation.h"

namespace sipring::transport {

/// The [tls] settings, in the transport's terms.
struct tls_settings {
  std::string certificate;   ///< PEM chain
  std::string private_key;
  std::vector<std::string> client_cas;  ///< CAs for client certificates
  std::vector<std::string> crls;
  crypto::peer_verification client_certificates = crypto::peer_verification::none;
  bool session_tickets = true;
};

struct tls_credentials {
  /// Client-facing TLS listeners: our certificate; client certificates per [tls].
  std::unique_ptr<crypto::tls_context> clients;
  /// Federation listeners: certificates required, trusting every partner's CAs (which partner
  /// a peer is, and so which of those CAs may vouch for it, is decided by federation::identify).
  std::unique_ptr<crypto::tls_context> federation_server;
  /// Links we open to partners: our certificate, every partner's CAs, server name checked.
  std::unique_ptr<crypto::tls_context> federation_client;
  /// One per partner, in federation::partners() order.
  std::vector<std::unique_ptr<crypto::trust_store>> partner_trust;
};

/// Loads one shard's credentials; null with `error` naming the file and what is wrong.
std::shared_ptr<const tls_credentials> load_tls_credentials(
    const tls_settings& settings, const federation& partners,
    const std::shared_ptr<const crypto::session_ticket_keys>& tickets, std::string& error);

}  // namespace sipring::transport
