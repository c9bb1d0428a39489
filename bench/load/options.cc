#include "options.h"

#include <arpa/inet.h>
#include <sched.h>
#include <unistd.h>

#include <charconv>
#include <cstring>
#include <string_view>

#include "sipring/runtime/cpu_list.h"

namespace sipring::load {

const char* name(scenario_kind s) noexcept {
  switch (s) {
    case scenario_kind::register_: return "register";
    case scenario_kind::options: return "options";
    case scenario_kind::message: return "message";
    case scenario_kind::call: return "call";
  }
  return "?";
}

const char* name(transport_kind t) noexcept {
  switch (t) {
    case transport_kind::udp: return "udp";
    case transport_kind::tcp: return "tcp";
    case transport_kind::tls: return "tls";
  }
  return "?";
}

const char* usage() noexcept {
  return "usage: sipring-load --scenario register|options|message|call --target IP:PORT\n"
         "  [--transport udp|tcp|tls] [--users N=1000] [--domain D] [--password P]\n"
         "  [--rate R | --rate-steps R1,R2,...[:STEP_SECONDS=5] | --ramp FROM:TO:SECONDS] [--concurrency C]\n"
         "  [--duration SECONDS=10] [--count N] [--cpus LIST] [--connections N=1]\n"
         "  [--new-connection-per-transaction [--tls-resume [--tls-psk-only]]] [--ca FILE] [--server-name NAME] [--local-ip 127.0.0.1]\n"
         "  [--timeout-ms 32000] [--t1-ms 500] [--json] [--quiet] [--progress]\n"
         "  [--tick-ms auto|1..20] [--coalesce-us 0] [--receive poll|events]   (batching: the turn's\n"
         "   length, auto = about 10 starts per turn within 1..5 ms; reactor completion coalescing;\n"
         "   UDP receive polled per turn or on io_uring completions)\n";
}

namespace {

bool to_double(std::string_view s, double& out) {
  if (s.empty()) return false;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc{} && r.ptr == s.data() + s.size() && out >= 0;
}

template <class T>
bool to_uint(std::string_view s, T& out) {
  if (s.empty()) return false;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc{} && r.ptr == s.data() + s.size();
}

bool parse_target(std::string_view text, sockaddr_in& out) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return false;
  const std::string ip(text.substr(0, colon));
  std::uint16_t port = 0;
  if (!to_uint(text.substr(colon + 1), port) || port == 0) return false;
  out = {};
  out.sin_family = AF_INET;
  out.sin_port = htons(port);
  return inet_pton(AF_INET, ip.c_str(), &out.sin_addr) == 1;
}

}  // namespace

parse_outcome parse_options(int argc, char** argv) {
  load_options o;
  bool have_scenario = false, have_target = false, have_domain = false;
  int rate_forms = 0;
  auto fail = [](std::string why) { return parse_outcome{std::nullopt, std::move(why)}; };
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto value = [&](std::string_view& v) {
      if (i + 1 >= argc) return false;
      v = argv[++i];
      return true;
    };
    std::string_view v;
    auto need = [&]() -> bool { return value(v); };
    if (a == "--help" || a == "-h") return fail("help");
    if (a == "--json") { o.json = true; continue; }
    if (a == "--quiet") { o.quiet = true; continue; }
    if (a == "--progress") { o.progress = true; continue; }
    if (a == "--new-connection-per-transaction") { o.new_connection_per_transaction = true; continue; }
    if (a == "--tls-resume") { o.tls_resume = true; continue; }
    if (a == "--tls-psk-only") { o.tls_psk_only = o.tls_resume = true; continue; }
    if (!a.starts_with("--")) return fail("unexpected argument '" + std::string(a) + "'");
    if (!need()) return fail(std::string(a) + " needs a value");
    const std::string bad = "bad value for " + std::string(a) + ": '" + std::string(v) + "'";
    if (a == "--scenario") {
      have_scenario = true;
      if (v == "register") o.scenario = scenario_kind::register_;
      else if (v == "options") o.scenario = scenario_kind::options;
      else if (v == "message") o.scenario = scenario_kind::message;
      else if (v == "call") o.scenario = scenario_kind::call;
      else return fail(bad + " (register, options, message or call)");
    } else if (a == "--target") {
      if (!parse_target(v, o.target)) return fail(bad + " (IPv4:PORT)");
      o.target_text = v;
      have_target = true;
    } else if (a == "--transport") {
      if (v == "udp") o.transport = transport_kind::udp;
      else if (v == "tcp") o.transport = transport_kind::tcp;
      else if (v == "tls") o.transport = transport_kind::tls;
      else return fail(bad + " (udp, tcp or tls)");
    } else if (a == "--users") {
      if (!to_uint(v, o.users) || o.users == 0) return fail(bad);
    } else if (a == "--domain") {
      o.domain = v;
      have_domain = true;
    } else if (a == "--password") {
      o.password = v;
    } else if (a == "--rate") {
      double r;
      if (!to_double(v, r) || r <= 0) return fail(bad);
      o.rate.steps = {{r, r, 0}};
      ++rate_forms;
    } else if (a == "--rate-steps") {
      std::string_view list = v;
      double seconds = 5;
      if (const auto c = list.find(':'); c != std::string_view::npos) {
        if (!to_double(list.substr(c + 1), seconds) || seconds <= 0) return fail(bad);
        list = list.substr(0, c);
      }
      o.rate.steps.clear();
      while (!list.empty()) {
        const auto comma = list.find(',');
        double r;
        if (!to_double(list.substr(0, comma), r) || r <= 0) return fail(bad);
        o.rate.steps.push_back({r, r, seconds});
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
      }
      if (o.rate.steps.empty()) return fail(bad);
      ++rate_forms;
    } else if (a == "--ramp") {
      double from, to, seconds;
      const auto c1 = v.find(':');
      const auto c2 = c1 == std::string_view::npos ? c1 : v.find(':', c1 + 1);
      if (c2 == std::string_view::npos || !to_double(v.substr(0, c1), from) ||
          !to_double(v.substr(c1 + 1, c2 - c1 - 1), to) || !to_double(v.substr(c2 + 1), seconds) || seconds < 1 ||
          (from <= 0 && to <= 0))
        return fail(bad + " (FROM:TO:SECONDS, SECONDS >= 1)");
      o.rate.steps.clear();
      const unsigned n = static_cast<unsigned>(seconds);
      for (unsigned s = 0; s < n; ++s)
        o.rate.steps.push_back({from + (to - from) * s / n, from + (to - from) * (s + 1) / n, 1});
      ++rate_forms;
    } else if (a == "--concurrency") {
      if (!to_uint(v, o.concurrency) || o.concurrency == 0) return fail(bad);
    } else if (a == "--duration") {
      if (!to_double(v, o.duration_s) || o.duration_s <= 0) return fail(bad);
    } else if (a == "--count") {
      if (!to_uint(v, o.count) || o.count == 0) return fail(bad);
    } else if (a == "--cpus") {
      std::vector<unsigned> machine;
      for (long c = 0; c < sysconf(_SC_NPROCESSORS_CONF); ++c) machine.push_back(static_cast<unsigned>(c));
      auto r = runtime::parse_cpu_list(v, machine);
      if (!r.error.empty() || r.cpus.empty()) return fail(bad + ": " + r.error);
      o.cpus = r.cpus;
    } else if (a == "--connections") {
      if (!to_uint(v, o.connections) || o.connections == 0) return fail(bad);
    } else if (a == "--ca") {
      o.ca_file = v;
      if (access(o.ca_file.c_str(), R_OK) != 0) return fail(bad + " (cannot read it)");
    } else if (a == "--server-name") {
      o.server_name = v;
    } else if (a == "--local-ip") {
      in_addr ignored;
      if (inet_pton(AF_INET, std::string(v).c_str(), &ignored) != 1) return fail(bad + " (an IPv4 address)");
      o.local_ip = v;
    } else if (a == "--timeout-ms") {
      if (!to_uint(v, o.timeout_ms) || o.timeout_ms == 0) return fail(bad);
    } else if (a == "--tick-ms") {
      if (v == "auto") o.tick_ms = 0;
      else if (!to_uint(v, o.tick_ms) || o.tick_ms == 0 || o.tick_ms > 20) return fail(bad + " (auto or 1..20)");
    } else if (a == "--coalesce-us") {
      if (!to_uint(v, o.coalesce_us) || o.coalesce_us > 10000) return fail(bad + " (0..10000)");
    } else if (a == "--receive") {
      if (v == "poll") o.poll = true;
      else if (v == "events") o.poll = false;
      else return fail(bad + " (poll or events)");
    } else if (a == "--t1-ms") {
      if (!to_uint(v, o.t1_ms) || o.t1_ms == 0) return fail(bad);
    } else {
      return fail("unknown option " + std::string(a));
    }
  }
  if (!have_scenario) return fail("--scenario is required");
  if (!have_target) return fail("--target is required");
  if (rate_forms > 1) return fail("give one of --rate, --rate-steps, --ramp");
  if (rate_forms == 1 && o.concurrency) return fail("--concurrency (closed loop) excludes --rate/--rate-steps/--ramp");
  if (rate_forms == 0 && o.concurrency == 0) return fail("give --rate, --rate-steps, --ramp or --concurrency");
  if (o.transport == transport_kind::udp && (o.connections != 1 || o.new_connection_per_transaction))
    return fail("--connections and --new-connection-per-transaction are for tcp/tls");
  if (o.new_connection_per_transaction && o.scenario == scenario_kind::call)
    return fail("--new-connection-per-transaction is for register, options and message (a call spans several "
                "transactions on one connection)");
  if (o.tls_resume && (o.transport != transport_kind::tls || !o.new_connection_per_transaction))
    return fail("--tls-resume and --tls-psk-only are for --transport tls with --new-connection-per-transaction");
  if (o.cpus.empty()) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
      for (unsigned c = 0; c < CPU_SETSIZE; ++c)
        if (CPU_ISSET(c, &set)) { o.cpus.push_back(c); break; }
    }
    if (o.cpus.empty()) o.cpus.push_back(0);
  }
  if (o.scenario == scenario_kind::message || o.scenario == scenario_kind::call) {
    if (o.users < 2 * o.cpus.size()) return fail("message/call need at least 2 users per CPU");
  }
  if (!have_domain) {
    char ip[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &o.target.sin_addr, ip, sizeof ip);
    o.domain = ip;
  }
  // A fixed rate runs for the duration; steps and ramps for their own length (capped by it only
  // when --duration was given? no: the plan's length rules, the duration bounds it).
  if (rate_forms == 1 && o.rate.steps.size() == 1 && o.rate.steps[0].seconds == 0) o.rate.steps[0].seconds = o.duration_s;
  return {std::move(o), {}};
}

}  // namespace sipring::load
