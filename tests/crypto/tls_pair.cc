#include "tls_pair.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace sipring::test {

using crypto::tls_session;

bool tls_endpoint::on_write(void* self, std::span<const char> bytes) {
  auto* e = static_cast<tls_endpoint*>(self);
  ++e->sink_calls;
  if (e->refuse) return false;
  e->outbox.append(bytes.data(), bytes.size());
  return true;
}

tls_pair::tls_pair(const crypto::tls_context& c, const crypto::tls_context& s, std::string_view server_name) {
  client.session = std::make_unique<tls_session>(c, client.sink(), server_name);
  server.session = std::make_unique<tls_session>(s, server.sink());
}

void tls_pair::deliver(tls_endpoint& to, std::string_view bytes, std::size_t chunk) {
  while (!bytes.empty()) {
    const std::size_t n = std::min(chunk, bytes.size());
    to.session->feed({bytes.data(), n});
    bytes.remove_prefix(n);
    if (!to.session->established()) {
      const auto s = to.session->handshake();
      if (s == tls_session::step::failed) return;
      if (s == tls_session::step::want_more) continue;
    }
    char buf[4096];
    for (;;) {
      const auto r = to.session->read(buf);
      if (r.status != tls_session::step::done) {
        if (r.status == tls_session::step::failed) return;
        break;
      }
      to.received.append(buf, r.size);
    }
  }
}

void tls_pair::pump(std::size_t chunk) {
  for (int rounds = 0; rounds < 100; ++rounds) {
    if (client.outbox.empty() && server.outbox.empty()) return;
    std::string to_server = std::move(client.outbox);
    client.outbox.clear();
    deliver(server, to_server, chunk);
    std::string to_client = std::move(server.outbox);
    server.outbox.clear();
    deliver(client, to_client, chunk);
  }
  ADD_FAILURE() << "the pair did not settle";
}

bool tls_pair::handshake(std::size_t chunk) {
  if (client.session->handshake() == tls_session::step::failed) return false;
  pump(chunk);
  return client.session->established() && server.session->established() &&
         client.session->error() == crypto::tls_error::none &&
         server.session->error() == crypto::tls_error::none;
}

std::unique_ptr<crypto::tls_context> make_context(const context_spec& spec) {
  crypto::tls_context_options o;
  o.role = spec.role;
  if (!spec.cert.empty()) {
    o.certificate_chain = test_pki(spec.cert + ".crt");
    o.private_key = test_pki(spec.cert + ".key");
  }
  for (const auto& ca : spec.cas) o.trusted_cas.push_back(test_pki(ca + ".crt"));
  for (const auto& crl : spec.crls) o.crls.push_back(test_pki(crl + ".crl"));
  o.verify = spec.verify;
  o.tickets = spec.tickets;
  o.resumption_without_key_exchange = spec.resumption_without_key_exchange;
  std::string error;
  auto ctx = crypto::tls_context::create(o, error);
  EXPECT_TRUE(ctx) << error;
  return ctx;
}

std::size_t count_records(std::string_view s, unsigned char type) {
  std::size_t n = 0;
  while (s.size() >= 5) {
    const std::size_t len = (static_cast<unsigned char>(s[3]) << 8) | static_cast<unsigned char>(s[4]);
    if (static_cast<unsigned char>(s[0]) == type) ++n;
    if (s.size() < 5 + len) break;
    s.remove_prefix(5 + len);
  }
  return n;
}

}  // namespace sipring::test
