#pragma once
// A set of trusted CAs (and CRLs) to check one peer's certificate against, apart from the
// handshake: federation trusts each partner's servers only through that partner's own CAs,
// while the TLS context that accepted the connection trusts every partner's CAs at once.
// One per partner and shard: checking takes no lock shared with other shards.

#include <memory>
#include <string>
#include <vector>

#include "sipring/crypto/peer_certificate.h"
#include "sipring/crypto/tls_error.h"

namespace sipring::crypto {

class trust_store {
 public:
  /// Loads PEM CA files (roots and any intermediates the partner's servers are issued by) and
  /// PEM CRL files. Null with `error` naming the file and the reason when one cannot be used.
  static std::unique_ptr<trust_store> load(const std::vector<std::string>& ca_files,
                                           const std::vector<std::string>& crl_files, std::string& error);
  ~trust_store();
  trust_store(const trust_store&) = delete;
  trust_store& operator=(const trust_store&) = delete;

  /// Checks the certificate's signature chain (the peer's intermediates included), validity
  /// dates and revocation against this store only: none, unknown_ca, expired, not_yet_valid,
  /// revoked, bad_certificate or no_certificate.
  tls_error verify(const peer_certificate& cert) const;

 private:
  trust_store() = default;
  struct state;
  std::unique_ptr<state> _state;
};

}  // namespace sipring::crypto
