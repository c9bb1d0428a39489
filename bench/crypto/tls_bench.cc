// BM_TlsHandshake/{full,resumed}: TLS 1.3 handshakes between an in-memory client and server
// (ECDSA P-256 certificates from tests/support/make_test_pki, X25519). items/s counts whole
// handshakes (both sides on this core); the server_hs/s counter is the server's share alone,
// timed around its handshake() calls; server_new_us is the server session's construction
// (wolfSSL_new, with its own RNG), not counted in server_hs/s.
// BM_TlsHandshake/resumed_psk_only: resumed as above, the client offering psk_ke only
// (resumption_without_key_exchange: no (EC)DHE, no forward secrecy of its own); same server.
// BM_TlsHandshake/resumed_tls12: a TLS 1.2 client resuming from a ticket (abbreviated handshake).
// BM_TlsRecord/<size>: one record sealed by the client and opened by the server, bytes/s.
// BM_TlsIdleSession: heap held per established idle session (mallinfo2 around 1000 pairs).

#include <benchmark/benchmark.h>
#include <malloc.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <wolfssl/options.h>
#include <wolfssl/ssl.h>

#include "sipring/crypto/session_ticket_keys.h"
#include "sipring/crypto/tls_context.h"
#include "sipring/crypto/tls_session.h"
#include "test_pki.h"

namespace {

using namespace sipring::crypto;
using clock_type = std::chrono::steady_clock;

struct end {
  std::string outbox;
  std::unique_ptr<tls_session> session;
  double handshake_seconds = 0;
  static bool sink(void* self, std::span<const char> b) {
    static_cast<end*>(self)->outbox.append(b.data(), b.size());
    return true;
  }
};

enum class variant { tls13, tls13_psk_only, tls12 };

struct contexts {
  std::unique_ptr<tls_context> server, client, client_psk_only, client_tls12;
  static contexts& get() {
    static contexts c = [] {
      contexts x;
      std::string error;
      tls_context_options s;
      s.certificate_chain = sipring::test::test_pki("sip.a.test.crt");
      s.private_key = sipring::test::test_pki("sip.a.test.key");
      s.tickets = session_ticket_keys::generate();
      x.server = tls_context::create(s, error);
      tls_context_options co;
      co.role = tls_role::client;
      co.trusted_cas = {sipring::test::test_pki("ca-a.crt")};
      co.verify = peer_verification::required;
      x.client = tls_context::create(co, error);
      x.client_tls12 = tls_context::create(co, error);
      co.resumption_without_key_exchange = true;
      x.client_psk_only = tls_context::create(co, error);
      if (!x.server || !x.client || !x.client_psk_only || !x.client_tls12) throw std::runtime_error(error);
      wolfSSL_CTX_set_max_proto_version(static_cast<WOLFSSL_CTX*>(x.client_tls12->native()), TLS1_2_VERSION);
      return x;
    }();
    return c;
  }
  const tls_context& client_for(variant v) const {
    return v == variant::tls12 ? *client_tls12 : v == variant::tls13_psk_only ? *client_psk_only : *client;
  }
};

/// Feeds `bytes` to `to`: handshake (timed), then reads until want_more.
bool deliver(end& to, std::string& bytes) {
  if (bytes.empty()) return true;
  to.session->feed(bytes);
  if (!to.session->established()) {
    const auto t0 = clock_type::now();
    const auto s = to.session->handshake();
    to.handshake_seconds += std::chrono::duration<double>(clock_type::now() - t0).count();
    if (s == tls_session::step::failed) return false;
    if (s == tls_session::step::want_more) {
      bytes.clear();
      return true;
    }
  }
  char buf[16384];
  for (;;) {
    const auto r = to.session->read(buf);
    if (r.status == tls_session::step::failed) return false;
    if (r.status == tls_session::step::want_more) break;
  }
  bytes.clear();
  return true;
}

struct pair {
  end client, server;
  double server_new_seconds = 0;
  explicit pair(variant v = variant::tls13) {
    auto& c = contexts::get();
    client.session = std::make_unique<tls_session>(c.client_for(v), tls_output_sink{&client, &end::sink}, "sip.a.test");
    const auto t0 = clock_type::now();
    server.session = std::make_unique<tls_session>(*c.server, tls_output_sink{&server, &end::sink});
    server_new_seconds = std::chrono::duration<double>(clock_type::now() - t0).count();
  }
  bool run(const tls_resumption* resume = nullptr) {
    if (resume) client.session->resume(*resume);
    if (client.session->handshake() == tls_session::step::failed) return false;
    for (int i = 0; i < 10 && !(client.outbox.empty() && server.outbox.empty()); ++i)
      if (!deliver(server, client.outbox) || !deliver(client, server.outbox)) return false;
    return client.session->established() && server.session->established();
  }
};

void handshake(benchmark::State& state, bool resumed, variant v) {
  tls_resumption ticket;
  {
    pair p(v);
    if (!p.run()) state.SkipWithError("handshake failed");
    ticket = p.client.session->resumption();
    if (resumed && ticket.empty()) state.SkipWithError("no ticket");
  }
  double server_seconds = 0, server_new_seconds = 0;
  std::size_t resumed_count = 0;
  for (auto _ : state) {
    pair p(v);
    if (!p.run(resumed ? &ticket : nullptr)) {
      state.SkipWithError("handshake failed");
      break;
    }
    server_seconds += p.server.handshake_seconds;
    server_new_seconds += p.server_new_seconds;
    resumed_count += p.server.session->resumed();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["server_hs/s"] = server_seconds > 0 ? static_cast<double>(state.iterations()) / server_seconds : 0;
  state.counters["server_new_us"] = server_new_seconds * 1e6 / static_cast<double>(state.iterations());
  state.counters["resumed"] = static_cast<double>(resumed_count) / static_cast<double>(state.iterations());
}

void record(benchmark::State& state, std::size_t size) {
  pair p;
  if (!p.run()) state.SkipWithError("handshake failed");
  deliver(p.client, p.server.outbox);
  std::string payload(size, 'x');
  std::vector<char> buf(16384);
  for (auto _ : state) {
    if (!p.client.session->write(payload)) state.SkipWithError("write failed");
    p.server.session->feed(p.client.outbox);
    std::size_t got = 0;
    for (;;) {
      const auto r = p.server.session->read(buf);
      if (r.status != tls_session::step::done) break;
      got += r.size;
    }
    if (got != size) state.SkipWithError("short read");
    p.client.outbox.clear();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * size));
}

void idle_session(benchmark::State& state) {
  constexpr int n = 1000;
  for (auto _ : state) {
    malloc_trim(0);
    const auto before = mallinfo2().uordblks;
    std::vector<std::unique_ptr<pair>> pairs;
    for (int i = 0; i < n; ++i) {
      pairs.push_back(std::make_unique<pair>());
      if (!pairs.back()->run()) state.SkipWithError("handshake failed");
      deliver(pairs.back()->client, pairs.back()->server.outbox);  // the ticket
      pairs.back()->client.outbox.clear();
    }
    const auto with_both = mallinfo2().uordblks;
    for (auto& p : pairs) p->client.session.reset();
    const auto servers_only = mallinfo2().uordblks;
    const double pair_bytes = static_cast<double>(sizeof(pair));
    state.counters["server_B"] = static_cast<double>(servers_only - before) / n - pair_bytes;
    state.counters["client_B"] = static_cast<double>(with_both - servers_only) / n;
    state.counters["sizeof"] = static_cast<double>(sizeof(tls_session));
  }
}

BENCHMARK_CAPTURE(handshake, full, false, variant::tls13)->Name("BM_TlsHandshake/full")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(handshake, resumed, true, variant::tls13)->Name("BM_TlsHandshake/resumed")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(handshake, resumed_psk_only, true, variant::tls13_psk_only)
    ->Name("BM_TlsHandshake/resumed_psk_only")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(handshake, resumed_tls12, true, variant::tls12)
    ->Name("BM_TlsHandshake/resumed_tls12")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(record, 64, 64)->Name("BM_TlsRecord/64");
BENCHMARK_CAPTURE(record, 512, 512)->Name("BM_TlsRecord/512");
BENCHMARK_CAPTURE(record, 1500, 1500)->Name("BM_TlsRecord/1500");
BENCHMARK_CAPTURE(record, 16384, 16384)->Name("BM_TlsRecord/16384");
BENCHMARK(idle_session)->Name("BM_TlsIdleSession")->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
