#pragma once
// In-memory TLS client/server pairs for the crypto tests: each side's ciphertext goes to an
// outbox and is fed to the other side by pump().

#include <cstddef>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sipring/crypto/tls_context.h"
#include "sipring/crypto/tls_session.h"
#include "test_pki.h"

namespace sipring::test {

struct tls_endpoint {
  std::string outbox;    ///< ciphertext produced, not yet delivered
  std::string received;  ///< plaintext read
  std::size_t sink_calls = 0;
  bool refuse = false;  ///< the sink refuses (connection gone)
  std::unique_ptr<crypto::tls_session> session;
  crypto::tls_output_sink sink() { return {this, &tls_endpoint::on_write}; }
  static bool on_write(void* self, std::span<const char> bytes);
};

struct tls_pair {
  tls_endpoint client, server;
  tls_pair(const crypto::tls_context& c, const crypto::tls_context& s, std::string_view server_name = {});
  /// Runs the handshake, delivering at most `chunk` bytes per feed; true when both ends are
  /// established and neither failed.
  bool handshake(std::size_t chunk = std::numeric_limits<std::size_t>::max());
  /// Delivers everything pending both ways until quiet.
  void pump(std::size_t chunk = std::numeric_limits<std::size_t>::max());
  /// Feeds `bytes` to `to` (handshake, then reads).
  static void deliver(tls_endpoint& to, std::string_view bytes, std::size_t chunk);
};

struct context_spec {
  crypto::tls_role role = crypto::tls_role::server;
  std::string cert;  ///< PKI name without extension ("sip.a.test"), "" for none
  std::vector<std::string> cas;  ///< PKI names ("ca-a")
  std::vector<std::string> crls;
  crypto::peer_verification verify = crypto::peer_verification::none;
  std::shared_ptr<const crypto::session_ticket_keys> tickets;
  bool resumption_without_key_exchange = false;
};
/// Builds a context from the test PKI; fails the test (and returns null) on error.
std::unique_ptr<crypto::tls_context> make_context(const context_spec& spec);

/// Counts the TLS records (by type) in a ciphertext stream.
std::size_t count_records(std::string_view stream, unsigned char type);

}  // namespace sipring::test
