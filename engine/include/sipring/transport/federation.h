#pragma once
// Federation partners: the other organisations' domains we exchange SIP with over mutual TLS.
// For each partner we trust only its own CAs and only the servers on its list; requests that
// come over a partner's link may speak only for that partner's domain (the SIP layer checks).
//
// The partner list is read-only after start and shared by every shard. Live links are kept in
// a small table of atomics (one entry per partner and shard, written only by the shard owning
// the connection), so a request on any shard can reuse a link, whichever side opened it.

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sipring/crypto/peer_certificate.h"
#include "sipring/crypto/tls_error.h"
#include "sipring/transport/flow.h"

namespace sipring::crypto {
class trust_store;
}

namespace sipring::transport {

struct federation_partner {
  std::string domain;                ///< lowercase
  std::vector<std::string> ca_files;  ///< the only CAs that vouch for this partner's servers
  std::vector<std::string> crl_files;
  std::vector<std::string> servers;  ///< trusted server names (RFC 6125 reference identifiers)
  std::string server_name;           ///< the name we connect to (SNI, checked on its certificate)
  peer_address address;              ///< where we connect to reach it
};

/// Why a partner's certificate is refused, beyond the handshake's own checks.
struct partner_verdict {
  int partner = -1;  ///< the partner it authenticated as, or -1
  crypto::tls_error error = crypto::tls_error::none;
  std::string detail;  ///< for the log: "not issued by a CA of partner b.test"
};

class federation {
 public:
  federation(std::vector<federation_partner> partners, unsigned shard_count);
  federation(const federation&) = delete;
  federation& operator=(const federation&) = delete;

  const std::vector<federation_partner>& partners() const noexcept { return _partners; }
  bool empty() const noexcept { return _partners.empty(); }
  /// The partner whose domain is `domain` (case-insensitive), or -1.
  int by_domain(std::string_view domain) const noexcept;
  /// The partner we reach at `address`, or -1.
  int by_address(const peer_address& address) const noexcept;

  /// A connection a peer opened to our federation port: which partner is it? Its certificate
  /// must name one of a partner's trusted servers and verify against that partner's own CAs.
  /// `trust` holds one store per partner (the calling shard's).
  partner_verdict identify(const crypto::peer_certificate& cert,
                           const std::vector<std::unique_ptr<crypto::trust_store>>& trust) const;
  /// A link we opened to `partner`: its certificate must verify against that partner's CAs and
  /// name one of its trusted servers (the session already matched it with server_name).
  partner_verdict confirm(int partner, const crypto::peer_certificate& cert,
                          const std::vector<std::unique_ptr<crypto::trust_store>>& trust) const;

  /// Link table: called by the shard owning the connection.
  void link_up(int partner, const flow& f) noexcept;
  void link_down(int partner, const flow& f) noexcept;
  /// A live link to `partner`, preferring one owned by shard `prefer`.
  std::optional<flow> find_link(int partner, unsigned prefer) const noexcept;

 private:
  std::atomic<std::uint64_t>& entry(int partner, unsigned shard) const noexcept {
    return _links[static_cast<std::size_t>(partner) * _shards + shard];
  }
  std::vector<federation_partner> _partners;
  unsigned _shards;
  /// Per partner and shard: connection slot (24 bits), generation (24 bits), listener (16 bits).
  std::unique_ptr<std::atomic<std::uint64_t>[]> _links;
};

}  // namespace sipring::transport
