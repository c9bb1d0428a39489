#include "sipring/app/server.h"

#include <malloc.h>
#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <ostream>
#include <variant>

#include "sipring/app/check_config.h"
#include "sipring/app/placement_config.h"
#include "sipring/app/runtime_config.h"
#include "sipring/app/server_config.h"
#include "sipring/crypto/backend_info.h"
#include "sipring/runtime/cpu_list.h"
#include "sipring/runtime/log.h"
#include "sipring/runtime/shard_set.h"
#include "sipring/sip/sip_shard.h"
#include "sipring/transport/transport_layer.h"
#include "sipring_version.h"

namespace sipring::app {

namespace {

// Blocks the signals the server handles so that they are only ever taken by sigwaitinfo on
// the main thread, never by an asynchronous handler; the shard threads inherit the mask.
sigset_t block_server_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

// What one shard serves with: its transports and its SIP layer. Owned by the server, not by
// the shard's coroutine, because connections and transactions outlive shard_main's body.
struct shard_services {
  std::unique_ptr<transport::transport_layer> transports;
  std::unique_ptr<sip::sip_shard> sip;
};

struct server_state {
  const server_config* config = nullptr;
  transport::transport_set* transports = nullptr;
  transport::federation* partners = nullptr;
  /// Each shard's TLS credentials at start (null without [tls]); SIGHUP posts new ones.
  std::vector<std::shared_ptr<const transport::tls_credentials>> tls;
  const sip::sip_settings* sip = nullptr;
  sip::sip_shards* sips = nullptr;
  std::vector<shard_services> shards;
};

// A shard's life: it builds its transports and SIP layer, starts receiving, and waits for the
// stop (cancelled at once when the stop begins).
runtime::task<void> shard_main(server_state& state, runtime::shard_context& ctx) {
  shard_services& mine = state.shards[ctx.id()];
  transport::transport_options options;
  options.max_message_size = state.config->limits.max_message_size;
  options.idle_timeout = state.config->limits.tcp_idle_timeout;
  options.handshake_timeout = state.config->tls.handshake_timeout;
  options.max_handshakes = state.config->tls.max_handshakes;
  mine.transports = std::make_unique<transport::transport_layer>(ctx, *state.transports, options);
  mine.transports->set_tls(state.tls[ctx.id()]);
  if (!state.partners->empty()) mine.transports->set_federation(state.partners);
  mine.sip = std::make_unique<sip::sip_shard>(*mine.transports, *state.sip, *state.sips);
  mine.transports->set_sink(sip::sip_shard::sink_for(mine.sip.get()));
  co_await mine.transports->run();

  runtime::cancel_token stop;
  ctx.cancel_at_stop(stop);
  while (!stop.cancelled()) (void)co_await ctx.loop().sleep_for(std::chrono::hours(1), &stop);
  ctx.forget(stop);
  const transport::tls_counters& tls = mine.transports->tls_stats();
  if (tls.established + tls.refused + tls.refused_busy != 0)
    SIPRING_LOG(info, "tls", "shard %u: %llu TLS handshakes (%llu resumed), %llu refused, %llu turned away (handshake limit)",
                ctx.id(), static_cast<unsigned long long>(tls.established), static_cast<unsigned long long>(tls.resumed),
                static_cast<unsigned long long>(tls.refused), static_cast<unsigned long long>(tls.refused_busy));
}

transport::protocol protocol_of(transport_kind k) {
  switch (k) {
    case transport_kind::udp: return transport::protocol::udp;
    case transport_kind::tcp: return transport::protocol::tcp;
    case transport_kind::tls: return transport::protocol::tls;
  }
  return transport::protocol::udp;
}

transport::tls_settings tls_settings_of(const tls_config& c) {
  transport::tls_settings s;
  s.certificate = c.certificate;
  s.private_key = c.private_key;
  s.client_cas = c.ca;
  s.crls = c.crl;
  s.client_certificates = c.client_certificates == client_certificate_mode::required ? crypto::peer_verification::required
                          : c.client_certificates == client_certificate_mode::optional
                              ? crypto::peer_verification::optional
                              : crypto::peer_verification::none;
  s.session_tickets = c.session_tickets;
  return s;
}

std::vector<transport::federation_partner> partners_of(const server_config& c) {
  std::vector<transport::federation_partner> out;
  for (const federation_config& f : c.federation) {
    transport::federation_partner p;
    p.domain = f.domain;
    p.ca_files = f.ca;
    p.crl_files = f.crl;
    p.servers = f.servers;
    p.server_name = f.server_name;
    p.address.assign(f.address.get(), f.address.length);
    out.push_back(std::move(p));
  }
  return out;
}

/// Every shard's credentials, loaded from the files (each shard has its own contexts: nothing
/// is shared or locked on the data path); empty with `error` when a file cannot be used.
std::vector<std::shared_ptr<const transport::tls_credentials>> load_all_tls(
    const server_config& c, const transport::federation& partners,
    const std::shared_ptr<const crypto::session_ticket_keys>& tickets, unsigned shards, std::string& error) {
  std::vector<std::shared_ptr<const transport::tls_credentials>> out(shards);
  if (!c.tls.enabled) return out;
  const transport::tls_settings settings = tls_settings_of(c.tls);
  for (auto& slot : out) {
    slot = transport::load_tls_credentials(settings, partners, tickets, error);
    if (!slot) return {};
  }
  return out;
}

// Many idle TLS and TCP connections need many descriptors: take the hard limit.
void raise_descriptor_limit() {
  rlimit r{};
  if (::getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
    r.rlim_cur = r.rlim_max;
    (void)::setrlimit(RLIMIT_NOFILE, &r);
  }
}

std::vector<transport::listener_spec> listener_specs(const server_config& c) {
  std::vector<transport::listener_spec> out;
  for (const listen_config& l : c.listeners) {
    transport::listener_spec spec;
    spec.transport = protocol_of(l.transport);
    spec.address = l.address;
    spec.advertised = l.advertised;
    spec.federation = l.federation;
    out.push_back(std::move(spec));
  }
  return out;
}

}  // namespace

int run_server(const loaded_config& config, std::ostream& out, std::ostream& err) {
  const sigset_t signals = block_server_signals();

  // Every configuration error stops the start, all of them reported at once.
  if (const auto errors = check_config(config); !errors.empty()) {
    for (const auto& e : errors) err << "sipring: configuration error: " << e.message << "\n";
    return 1;
  }
  auto placed = place_shards(config);
  if (auto* e = std::get_if<config_error>(&placed)) {
    err << "sipring: configuration error: " << e->message << "\n";
    return 1;
  }
  const runtime::cpu_choice& choice = std::get<shard_placement>(placed).choice;
  auto options = read_runtime_config(config);
  if (auto* e = std::get_if<config_error>(&options)) {
    err << "sipring: configuration error: " << e->message << "\n";
    return 1;
  }
  auto& shard_options = std::get<runtime::shard_set_options>(options);
  shard_options.cpus = choice.cpus;
  // SIP timers (retransmissions from T1 = 500 ms, 32 s clean-ups) do not need millisecond
  // precision: letting those due within 5 ms share a wake-up keeps a loaded shard from waking
  // every millisecond for its transactions' timers.
  shard_options.reactor.timer_slack = std::chrono::milliseconds(5);
  // Transactions live for 32 s on UDP, so a loaded shard's heap grows and shrinks with the
  // load: keep freed memory in the process instead of giving it back to the kernel at every
  // dip and faulting it in again (each fault is a VM exit on a virtual machine).
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  mallopt(M_TOP_PAD, 16 << 20);
  auto read = read_server_config(config);
  if (auto* errors = std::get_if<std::vector<config_error>>(&read)) {
    for (const auto& e : *errors) err << "sipring: configuration error: " << e.message << "\n";
    return 1;
  }
  const server_config& sc = std::get<server_config>(read);
  runtime::log_level level = runtime::log_level::info;
  (void)runtime::parse_log_level(sc.log.level, level);
  runtime::set_log_options(level, sc.log.format == "json" ? runtime::log_format::json : runtime::log_format::text);

  const auto shard_count = static_cast<unsigned>(choice.cpus.size());
  raise_descriptor_limit();
  transport::federation partners(partners_of(sc), shard_count);
  const auto tickets = crypto::session_ticket_keys::generate();
  std::string tls_error;
  auto tls = load_all_tls(sc, partners, tickets, shard_count, tls_error);
  if (sc.tls.enabled && tls.empty()) {
    err << "sipring: configuration error: [tls]: " << tls_error << "\n";
    return 1;
  }
  std::string why;
  auto sockets = transport::open_listeners(listener_specs(sc), shard_count, {}, why);
  if (!sockets.ok()) {
    err << "sipring: " << why << "\n";
    return 1;
  }

  const auto crypto = crypto::probe_backend();
  out << "sipring " SIPRING_VERSION " starting (pid " << getpid() << ")\n"
      << "wolfSSL " << crypto.wolfssl_version << ", AES-NI in use: " << (crypto.aesni_in_use ? "yes" : "no")
      << "\n"
      << "configuration (" << config.source << "):\n"
      << config.table << "\n\n"
      << "shards: " << choice.cpus.size() << ", on CPUs " << runtime::format_cpu_list(choice.cpus)
      << " (" << choice.how << ")\n";
  for (const auto& note : choice.notes) out << "note: " << note << "\n";
  out << std::flush;

  for (const auto& l : sockets.value().info)
    out << "listening on " << transport::protocol_name(l.transport) << " " << l.bound.to_string() << " (sent-by "
        << l.sent_by << ")\n";

  runtime::shard_set shards(shard_options);
  transport::transport_set transports(shards, shard_count, std::move(sockets.value()));
  sip::sip_settings sip_settings(sip::local_identity(sc.domains, transports.listeners()));
  sip_settings.limits.max_message_size = sc.limits.max_message_size;
  sip_settings.limits.max_headers = static_cast<std::uint16_t>(sc.limits.max_headers);
  sip_settings.t1 = sc.timers.t1;
  sip_settings.t2 = sc.timers.t2;
  sip_settings.t4 = sc.timers.t4;
  sip_settings.server_name = "sipring " SIPRING_VERSION;
  sip_settings.registrar.default_expires = sc.registrar.default_expires;
  sip_settings.registrar.min_expires = sc.registrar.min_expires;
  sip_settings.registrar.max_expires = sc.registrar.max_expires;
  sip_settings.registrar.max_contacts = sc.registrar.max_contacts;
  // Half the largest message (and datagram) for the 200's Contact lines: the rest is what it
  // copies from the REGISTER (Via, From, To, Call-ID, CSeq, Path), so the 200 can always be
  // built and sent.
  sip_settings.registrar.max_contact_bytes = std::min<std::uint32_t>(sc.limits.max_message_size, 65507) / 2;
  sip::sip_shards sips(shard_count);
  std::unique_ptr<sip::digest_authenticator> authenticator;
  if (sc.auth.enabled) {
    auto users = sip::user_directory::load(sc.auth.users_file);
    if (auto* errors = std::get_if<std::vector<std::string>>(&users)) {
      for (const auto& e : *errors) err << "sipring: configuration error: [auth] users_file: " << e << "\n";
      return 1;
    }
    authenticator = std::make_unique<sip::digest_authenticator>(std::move(std::get<sip::user_directory>(users)),
                                                                sc.auth.realm, sc.auth.nonce_lifetime);
    sip_settings.auth = authenticator.get();
    sip_settings.auth_methods = sc.auth.methods;
    out << "digest authentication: realm \"" << sc.auth.realm << "\", " << authenticator->users().size()
        << " users, for " << sc.auth.methods.size() << " methods\n";
  }
  if (sc.tls.enabled)
    out << "TLS: certificate " << sc.tls.certificate << ", client certificates "
        << (sc.tls.client_certificates == client_certificate_mode::none       ? "not asked for"
            : sc.tls.client_certificates == client_certificate_mode::optional ? "optional"
                                                                               : "required")
        << ", session tickets " << (sc.tls.session_tickets ? "on" : "off") << "; " << partners.partners().size()
        << " federation partners\n";
  server_state state;
  state.config = &sc;
  state.transports = &transports;
  state.partners = &partners;
  state.tls = tls;
  state.sip = &sip_settings;
  state.sips = &sips;
  state.shards.resize(shard_count);
  if (const std::string failed = shards.start([&state](runtime::shard_context& ctx) { return shard_main(state, ctx); });
      !failed.empty()) {
    err << "sipring: cannot start the shards: " << failed << "\n";
    return 1;
  }
  out << "sipring: running; SIGINT or SIGTERM stops it, SIGHUP is passed to every shard\n" << std::flush;
  for (;;) {
    siginfo_t info{};
    const int sig = sigwaitinfo(&signals, &info);
    if (sig == SIGHUP) {
      // Certificates, keys, CAs and CRLs are read again (the same files); new handshakes use
      // them, established connections keep what they were made with. A file that cannot be
      // used keeps the old credentials and says why.
      if (!sc.tls.enabled) {
        out << "sipring: SIGHUP: nothing to reload (no [tls])\n" << std::flush;
        continue;
      }
      std::string reload_error;
      auto fresh = std::make_shared<std::vector<std::shared_ptr<const transport::tls_credentials>>>(
          load_all_tls(sc, partners, tickets, shard_count, reload_error));
      if (fresh->empty()) {
        SIPRING_LOG(error, "tls", "SIGHUP: TLS credentials not reloaded, the old ones stay: %s", reload_error.c_str());
        continue;
      }
      shards.post_to_all([&state, fresh](runtime::shard_context& ctx) {
        state.shards[ctx.id()].transports->set_tls((*fresh)[ctx.id()]);
      });
      SIPRING_LOG(info, "tls", "SIGHUP: TLS credentials reloaded for %u shards", shard_count);
      continue;
    }
    if (sig == SIGINT || sig == SIGTERM) {
      out << "sipring: " << (sig == SIGINT ? "SIGINT" : "SIGTERM") << " received, stopping\n" << std::flush;
      shards.request_stop();
      shards.join();
      const std::size_t leaked = shards.frames_left();
      if (leaked != 0)
        err << "sipring: stopped, but " << leaked << " coroutine frames were left (a leak)\n";
      else
        out << "sipring: stopped cleanly\n";
      out << std::flush;
      return leaked == 0 ? 0 : 1;
    }
  }
}

}  // namespace sipring::app
