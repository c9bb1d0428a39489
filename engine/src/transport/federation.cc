#include "sipring/transport/federation.h"

#include <strings.h>

#include "sipring/crypto/trust_store.h"

namespace sipring::transport {

namespace {

constexpr std::uint64_t pack(const flow& f) noexcept {
  return (static_cast<std::uint64_t>(f.connection.slot & 0xFFFFFF) << 40) |
         (static_cast<std::uint64_t>(f.connection.generation & 0xFFFFFF) << 16) | f.listener;
}

bool names_a_server(const federation_partner& p, const crypto::peer_certificate& cert) {
  for (const std::string& s : p.servers)
    if (cert.matches(s)) return true;
  return false;
}

}  // namespace

federation::federation(std::vector<federation_partner> partners, unsigned shard_count)
    : _partners(std::move(partners)), _shards(shard_count),
      _links(new std::atomic<std::uint64_t>[_partners.size() * shard_count + 1]) {
  for (std::size_t i = 0; i < _partners.size() * shard_count; ++i) _links[i].store(0, std::memory_order_relaxed);
}

int federation::by_domain(std::string_view domain) const noexcept {
  for (std::size_t i = 0; i < _partners.size(); ++i)
    if (_partners[i].domain.size() == domain.size() &&
        ::strncasecmp(_partners[i].domain.data(), domain.data(), domain.size()) == 0)
      return static_cast<int>(i);
  return -1;
}

int federation::by_address(const peer_address& address) const noexcept {
  for (std::size_t i = 0; i < _partners.size(); ++i)
    if (_partners[i].address == address) return static_cast<int>(i);
  return -1;
}

partner_verdict federation::identify(const crypto::peer_certificate& cert,
                                     const std::vector<std::unique_ptr<crypto::trust_store>>& trust) const {
  partner_verdict v;
  if (!cert.present) {
    v.error = crypto::tls_error::no_certificate;
    v.detail = "a federation peer must present a certificate";
    return v;
  }
  std::string named;
  crypto::tls_error last = crypto::tls_error::none;
  for (std::size_t i = 0; i < _partners.size(); ++i) {
    if (!names_a_server(_partners[i], cert)) continue;
    last = trust[i]->verify(cert);
    if (last == crypto::tls_error::none) {
      v.partner = static_cast<int>(i);
      return v;
    }
    named += (named.empty() ? "" : ", ") + _partners[i].domain;
  }
  if (named.empty()) {
    v.error = crypto::tls_error::untrusted_server;
    v.detail = "the certificate names no trusted server of any partner";
  } else {
    // A certificate that would be fine for another CA: partner A's CA never vouches for B.
    v.error = last == crypto::tls_error::unknown_ca ? crypto::tls_error::unknown_ca : last;
    v.detail = "checked against the CAs of partner " + named;
  }
  return v;
}

partner_verdict federation::confirm(int partner, const crypto::peer_certificate& cert,
                                    const std::vector<std::unique_ptr<crypto::trust_store>>& trust) const {
  partner_verdict v;
  const federation_partner& p = _partners[static_cast<std::size_t>(partner)];
  if (const crypto::tls_error e = trust[static_cast<std::size_t>(partner)]->verify(cert); e != crypto::tls_error::none) {
    v.error = e;
    v.detail = "checked against the CAs of partner " + p.domain;
    return v;
  }
  if (!names_a_server(p, cert)) {
    v.error = crypto::tls_error::untrusted_server;
    v.detail = "the certificate names no trusted server of partner " + p.domain;
    return v;
  }
  v.partner = partner;
  return v;
}

void federation::link_up(int partner, const flow& f) noexcept {
  entry(partner, f.shard).store(pack(f), std::memory_order_release);
}

void federation::link_down(int partner, const flow& f) noexcept {
  std::uint64_t expected = pack(f);
  entry(partner, f.shard).compare_exchange_strong(expected, 0, std::memory_order_acq_rel);
}

std::optional<flow> federation::find_link(int partner, unsigned prefer) const noexcept {
  for (unsigned k = 0; k < _shards; ++k) {
    const unsigned s = (prefer + k) % _shards;
    const std::uint64_t v = entry(partner, s).load(std::memory_order_acquire);
    if (v == 0) continue;
    flow f;
    f.transport = protocol::tls;
    f.shard = static_cast<std::uint16_t>(s);
    f.listener = static_cast<std::uint16_t>(v & 0xFFFF);
    f.connection = {static_cast<std::uint32_t>(v >> 40), static_cast<std::uint32_t>((v >> 16) & 0xFFFFFF)};
    f.remote = _partners[static_cast<std::size_t>(partner)].address;
    return f;
  }
  return std::nullopt;
}

}  // namespace sipring::transport
