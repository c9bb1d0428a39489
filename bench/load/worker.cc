#include "worker.h"

#include <arpa/inet.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <new>

#include "sipring/parser/cseq.h"
#include "sipring/parser/name_addr.h"
#include "sipring/parser/parse.h"
#include "sipring/parser/response_builder.h"
#include "sipring/runtime/datagram.h"

namespace sipring::load {

using namespace std::chrono_literals;
using runtime::timer_wheel;

namespace {

double thread_cpu_s() {
  rusage u{};
  getrusage(RUSAGE_THREAD, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

}  // namespace

struct worker::uas_timer : runtime::timer_entry {
  uas_timer() : runtime::timer_entry(&worker::on_uas_timer) {}
  slot* owner = nullptr;
};

struct worker::slot : runtime::timer_entry {
  slot() : runtime::timer_entry(&worker::on_timer) {}

  worker* owner = nullptr;
  std::uint32_t index = 0, generation = 0;
  phase state = phase::free;
  bool setup = false;        ///< a receiver's registration, not measured
  bool unregister = false;   ///< setup: Expires 0 (the receivers leave at the end)
  bool provisional = false;  ///< a provisional response stopped Timer A
  bool authed = false;
  bool own_conn = false;  ///< --new-connection-per-transaction: `conn` is this transaction's own
  bool uas_answered = false, uas_acked = false;
  std::uint32_t user = 0, peer = 0, cseq = 1, branch = 0;
  int conn = -1;
  unsigned step = 0;
  std::uint64_t start_ns = 0;
  std::uint64_t deadline_ns = 0, retransmit_ns = 0;
  std::uint32_t interval_ms = 0;
  std::uint32_t uas_interval_ms = 0;
  std::uint64_t uas_deadline_ns = 0;
  uas_timer uas;
  std::uint16_t length = 0, ack_length = 0, uas_length = 0, auth_length = 0;
  char message[1536];  ///< the request in progress (for retransmissions)
  char ack[768];       ///< the 2xx ACK (resent when the 200 is)
  char uas_200[1024];  ///< the answering side's 200 to INVITE (resent until the ACK)
  char auth[512];      ///< the Authorization line after a challenge

  transaction_id id() const noexcept { return {index, generation}; }
  request_args args() const noexcept {
    request_args a;
    a.id = id();
    a.user = user;
    a.peer = peer;
    a.cseq = cseq;
    a.branch = branch;
    a.authorization = std::string_view(auth, auth_length);
    return a;
  }
};

worker::worker(const load_options& o, unsigned shard, unsigned shards, shard_stats& stats,
               const crypto::tls_context* tls)
    : _o(o), _shard(shard), _shards(shards), _stats(stats), _tls(tls) {
  _user_begin = 1 + static_cast<std::uint32_t>(std::uint64_t{o.users} * shard / shards);
  _user_end = 1 + static_cast<std::uint32_t>(std::uint64_t{o.users} * (shard + 1) / shards);
  _next_user = _user_begin;
  // The table: enough for the closed loop's share, or the open loop's peak rate over a timeout.
  std::uint64_t want;
  if (o.concurrency) {
    _concurrency = o.concurrency / shards + (shard < o.concurrency % shards ? 1 : 0);
    want = _concurrency + 64;
  } else {
    double peak = 0;
    for (const auto& s : o.rate.steps) peak = std::max({peak, s.rate, s.rate_end});
    want = static_cast<std::uint64_t>(peak / shards * (o.timeout_ms / 1000.0 + 1.0)) + 256;
    want = std::min<std::uint64_t>(want, 16384);
  }
  want = std::max<std::uint64_t>(want, 256);
  _slot_limit = static_cast<std::uint32_t>(want);
  _free.reserve(_slot_limit);
  grow();
  // As many header lines as the parser allows by default (a 200 to REGISTER lists every binding).
  _headers.resize(parser::parse_limits{}.max_headers);
  const std::size_t steps = o.concurrency ? 1 : std::max<std::size_t>(1, o.rate.steps.size());
  _stats.steps.resize(steps);
}

worker::slot& worker::at(std::uint32_t i) noexcept {
  return std::launder(reinterpret_cast<slot*>(_chunks[i / chunk_size].get()))[i % chunk_size];
}

worker::~worker() {
  for (std::uint32_t i = 0; i < _slot_count; ++i) {
    if (_loop) {
      _loop->timers().cancel(at(i));
      _loop->timers().cancel(at(i).uas);
    }
    at(i).~slot();
  }
  if (_udp_fd >= 0) ::close(_udp_fd);
}

std::chrono::milliseconds worker::turn_length() const noexcept {
  double rate = 0;  // this shard's planned starts per second now (0: closed loop or draining)
  if (_starting && !_concurrency) {
    const auto& st = _o.rate.steps[_step];
    rate = std::max(st.rate, st.rate_end) / _shards;
  }
  if (!_poll) {
    // Receive wakes the shard anyway: sleep until the next start is due (1..20 ms).
    if (rate <= 0) return 20ms;
    const auto floor = std::chrono::milliseconds(_o.tick_ms ? _o.tick_ms : 1);
    return std::clamp(std::chrono::milliseconds(static_cast<long>(1000.0 / rate)), floor, 20ms);
  }
  if (_o.tick_ms) return std::chrono::milliseconds(_o.tick_ms);
  // Polled UDP, automatic tick: each wake-up costs more than a datagram on a virtual machine, so
  // wake once per ~10 starts, but at least every 5 ms (latency resolution, retransmissions) and
  // at most every 1 ms. The closed loop polls every 1 ms: it starts a transaction per response.
  if (_concurrency || rate <= 0) return _concurrency ? 1ms : 5ms;
  constexpr double starts_per_turn = 10;
  return std::clamp(std::chrono::milliseconds(std::lround(starts_per_turn * 1000.0 / rate)), 1ms, 5ms);
}

std::uint64_t worker::now_ns() const noexcept {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(_loop->now().time_since_epoch()).count());
}

bool worker::grow() {
  // One slot at a time, in storage taken a chunk at a time: a slot's pages are touched when it is
  // first used, so a table sized for the peak costs nothing until the peak comes.
  static_assert(alignof(slot) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__, "slots live in new std::byte[]");
  if (_slot_count >= _slot_limit) return false;
  if (_slot_count % chunk_size == 0) _chunks.emplace_back(new std::byte[chunk_size * sizeof(slot)]);
  slot* s = new (_chunks.back().get() + (_slot_count % chunk_size) * sizeof(slot)) slot();
  s->owner = this;
  s->index = _slot_count;
  s->uas.owner = s;
  _free.push_back(_slot_count++);
  return true;
}

// ---- transactions ------------------------------------------------------------------------------

void worker::write_request(slot& s) {
  sip_writer w(s.message, sizeof s.message);
  request_args a = s.args();
  a.contact_port = _port;
  a.unregister = s.unregister;
  if (s.setup || _o.scenario == scenario_kind::register_) _factory->register_request(w, a);
  else if (_o.scenario == scenario_kind::options) _factory->options_request(w, a);
  else if (_o.scenario == scenario_kind::message) _factory->message_request(w, a);
  else _factory->invite_request(w, a);
  s.length = static_cast<std::uint16_t>(w.size());
}

bool worker::start_transaction(bool setup, std::uint32_t user) {
  if (_free.empty() && !grow()) return false;
  slot& s = at(_free.back());
  _free.pop_back();
  ++s.generation;
  s.setup = setup;
  s.unregister = setup && _unregistering;
  s.state = (!setup && _o.scenario == scenario_kind::call) ? phase::invite : phase::request;
  s.provisional = s.authed = s.uas_answered = s.uas_acked = false;
  s.user = user;
  s.peer = user + 1 < _user_end ? user + 1 : _user_begin;
  s.cseq = 1;
  s.branch = ++_branch;
  s.auth_length = 0;
  s.step = _step;
  s.own_conn = !setup && _o.new_connection_per_transaction;
  s.conn = _persistent == 0 ? -1 : static_cast<int>(user % _persistent);
  s.start_ns = now_ns();
  if (s.own_conn) {
    std::string why;
    s.conn = open_own_connection(why);
  }
  write_request(s);
  if (setup) {
    ++_setup_in_flight;
  } else {
    ++_in_flight;
    ++_started;
    ++_stats.steps[s.step].started;
    _stats.started.store(_started, std::memory_order_relaxed);
    _stats.in_flight.store(_in_flight, std::memory_order_relaxed);
  }
  if (s.own_conn) {
    // The request goes out once connected (and the handshake done); the deadline runs now.
    s.deadline_ns = s.start_ns + std::uint64_t{_o.timeout_ms} * 1000000;
    if (s.conn < 0) {
      // No socket (descriptors exhausted?): a transport failure at the next tick, not here
      // (finish() may start the next transaction, and this one would recurse).
      _loop->timers().insert(s, timer_wheel::clock::time_point(std::chrono::nanoseconds(s.start_ns)));
      return true;
    }
    arm(s);
    ++_receivers;
    _loop->spawn(own_connection(s.index, s.generation, s.conn));
    return true;
  }
  send_request(s);
  return true;
}

void worker::send_request(slot& s) {
  const std::uint64_t now = now_ns();
  s.interval_ms = _o.t1_ms;
  s.retransmit_ns = now + std::uint64_t{_o.t1_ms} * 1000000;
  s.deadline_ns = now + std::uint64_t{_o.timeout_ms} * 1000000;
  s.provisional = false;
  send_to_server(std::string_view(s.message, s.length), s.conn);
  if (shared_connection_lost(s)) {
    // A transport failure at the next turn, not a timeout later (and not here: finish() may
    // start the next transaction, and this one would recurse).
    _loop->timers().insert(s, timer_wheel::clock::time_point(std::chrono::nanoseconds(now)));
    return;
  }
  arm(s);
}

bool worker::shared_connection_lost(const slot& s) const noexcept {
  if (s.own_conn || s.conn < 0) return false;
  const auto& c = _conns[static_cast<std::size_t>(s.conn)];
  return !c || c->failed();
}

void worker::send_to_server(std::string_view bytes, int conn) {
  if (conn < 0) {
    _udp_out.send(bytes, _o.target);
  } else {
    (void)_conns[static_cast<std::size_t>(conn)]->send(bytes);
  }
}

void worker::arm(slot& s) {
  std::uint64_t at = s.deadline_ns;
  if (s.conn < 0 && !s.provisional && s.retransmit_ns < at) at = s.retransmit_ns;
  _loop->timers().insert(s, timer_wheel::clock::time_point(std::chrono::nanoseconds(at)));
}

void worker::on_timer(runtime::timer_entry& t) noexcept {
  auto& s = static_cast<slot&>(t);
  worker& w = *s.owner;
  if (s.state == phase::free) return;
  const std::uint64_t now = w.now_ns();
  if ((s.own_conn && s.conn < 0) || w.shared_connection_lost(s)) {
    w.finish(s, outcome::transport);  // no socket for its connection, or it was lost
    return;
  }
  if (now >= s.deadline_ns) {
    w.finish(s, outcome::timeout);
    return;
  }
  if (s.conn >= 0) {
    w.arm(s);  // a stream: no retransmission (a wheel tick before the deadline)
    return;
  }
  // Timer A (INVITE: doubling) or E (non-INVITE: doubling up to T2 = 4 s).
  w.send_to_server(std::string_view(s.message, s.length), s.conn);
  s.interval_ms *= 2;
  if (s.state != phase::invite) s.interval_ms = std::min<std::uint32_t>(s.interval_ms, 4000);
  s.retransmit_ns = now + std::uint64_t{s.interval_ms} * 1000000;
  w.arm(s);
}

void worker::on_uas_timer(runtime::timer_entry& t) noexcept {
  slot& s = *static_cast<uas_timer&>(t).owner;
  worker& w = *s.owner;
  if (s.state == phase::free || s.uas_acked) return;
  const std::uint64_t now = w.now_ns();
  if (now >= s.uas_deadline_ns) return;
  w._udp_out.send(std::string_view(s.uas_200, s.uas_length), w._o.target);
  s.uas_interval_ms = std::min<std::uint32_t>(s.uas_interval_ms * 2, 4000);
  w._loop->timers().insert(s.uas, timer_wheel::clock::time_point(std::chrono::nanoseconds(
                                      now + std::uint64_t{s.uas_interval_ms} * 1000000)));
}

void worker::finish(slot& s, outcome o, std::uint16_t status) {
  _loop->timers().cancel(s);
  _loop->timers().cancel(s.uas);
  if (s.own_conn && s.conn >= 0) {
    // Its connection closes: wake its coroutine if it waits (it checks the generation).
    if (auto* t = _conn_stop[static_cast<std::size_t>(s.conn)]) t->cancel();
  }
  const bool setup = s.setup;
  s.state = phase::free;
  ++s.generation;
  _free.push_back(s.index);
  if (setup) {
    --_setup_in_flight;
    if (o != outcome::completed) ++_setup_failed;
    return;
  }
  --_in_flight;
  step_stats& st = _stats.steps[s.step];
  if (o == outcome::completed) {
    ++st.completed;
    _stats.completed.fetch_add(1, std::memory_order_relaxed);
  } else {
    ++st.failed;
    _stats.failed.fetch_add(1, std::memory_order_relaxed);
    if (o == outcome::timeout) ++_stats.failed_timeout;
    else if (o == outcome::transport) ++_stats.failed_transport;
    else {
      ++_stats.failed_status;
      if (status < _stats.statuses.size()) ++_stats.statuses[status];
    }
  }
  _stats.in_flight.store(_in_flight, std::memory_order_relaxed);
  // Closed loop: the next transaction starts now.
  if (_concurrency && _starting && _in_flight < _concurrency && (!_start_limit || _started < _start_limit)) {
    const std::uint32_t u = _next_user;
    _next_user = _next_user + 1 < _user_end ? _next_user + 1 : _user_begin;
    (void)start_transaction(false, u);
  }
}

void worker::record_latency(slot& s) {
  if (s.setup) return;
  const std::uint64_t end = _rx_ns ? _rx_ns : now_ns();
  const std::uint64_t us = end > s.start_ns ? (end - s.start_ns) / 1000 : 0;
  _stats.latency.record(us);
  _stats.steps[s.step].latency.record(us);
  _window.record(us);
}

bool worker::answer_challenge(slot& s, const parser::message_view& m) {
  if (s.authed || _o.password.empty()) return false;
  const auto challenge =
      m.value_of(m.status_code() == 407 ? parser::header_id::proxy_authenticate : parser::header_id::www_authenticate);
  if (challenge.empty()) return false;
  char uri[256];
  sip_writer uw(uri, sizeof uri);
  request_args a = s.args();
  _factory->request_uri(uw, s.setup ? scenario_kind::register_ : _o.scenario, a);
  char user[24];
  sip_writer un(user, sizeof user);
  un.put("user").put_uint(s.user);
  std::string_view method = s.setup || _o.scenario == scenario_kind::register_ ? "REGISTER"
                            : _o.scenario == scenario_kind::options           ? "OPTIONS"
                            : _o.scenario == scenario_kind::message           ? "MESSAGE"
                                                                              : "INVITE";
  sip_writer aw(s.auth, sizeof s.auth);
  if (!write_digest_answer(aw, m.status_code(), challenge, std::string_view(user, un.size()), _o.password, method,
                           std::string_view(uri, uw.size()), a.id.packed() ^ s.branch))
    return false;
  s.auth_length = static_cast<std::uint16_t>(aw.size());
  s.authed = true;
  ++s.cseq;
  s.branch = ++_branch;
  write_request(s);
  send_request(s);
  return true;
}

// ---- messages in -------------------------------------------------------------------------------

void worker::on_message(std::string_view bytes, int conn, const sockaddr_in* source) {
  parser::parse_options po;
  po.transport = conn < 0 ? parser::transport_kind::datagram : parser::transport_kind::stream;
  const auto r = parser::parse(bytes, _headers, po);
  if (!r.ok()) {
    ++_stats.unparsed;  // counted and reported; its transaction (if any) times out
    return;
  }
  if (r.message.is_request()) on_request(r.message, conn, source);
  else on_response(r.message);
}

void worker::on_response(const parser::message_view& m) {
  transaction_id id;
  if (!decode_call_id(m.value_of(parser::header_id::call_id), id) || id.slot >= _slot_count) return;
  slot& s = at(id.slot);
  if (s.generation != id.generation || s.state == phase::free) return;
  parser::cseq cs;
  if (parser::parse_cseq(m.value_of(parser::header_id::cseq), cs) != parser::error_code::none) return;
  const std::uint16_t status = m.status_code();
  using parser::method_id;

  if (s.state == phase::bye) {
    if (cs.method == method_id::invite && status >= 200 && status < 300) {
      send_to_server(std::string_view(s.ack, s.ack_length), s.conn);  // our ACK was lost
      return;
    }
    if (cs.method != method_id::bye || cs.number != s.cseq || status < 200) return;
    if (status < 300) finish(s, outcome::completed);
    else finish(s, outcome::status, status);
    return;
  }
  if (cs.number != s.cseq) return;
  if (s.state == phase::invite) {
    if (cs.method != method_id::invite) return;
    if (status < 200) {
      if (!s.provisional) {
        s.provisional = true;
        arm(s);
      }
      return;
    }
    const std::string_view to = m.value_of(parser::header_id::to);
    if (status >= 300) {
      // ACK the final response (same branch), then retry with credentials or give up.
      char ack[768];
      sip_writer w(ack, sizeof ack);
      _factory->ack_non_2xx(w, s.args(), to);
      send_to_server(std::string_view(ack, w.size()), s.conn);
      if ((status == 401 || status == 407) && answer_challenge(s, m)) return;
      finish(s, outcome::status, status);
      return;
    }
    record_latency(s);
    // The dialog: Route set from Record-Route (reversed), remote target from Contact.
    char routes[512];
    sip_writer rw(routes, sizeof routes);
    const auto headers = m.headers();
    for (std::size_t i = headers.size(); i-- > 0;)
      if (headers[i].id == parser::header_id::record_route) rw.put("Route: ").put(m.value(headers[i])).put("\r\n");
    std::string_view target = "sip:uas@127.0.0.1";
    parser::name_addr contact;
    if (parser::parse_name_addr(m.value_of(parser::header_id::contact), contact) == parser::error_code::none)
      target = contact.uri;
    const std::string_view route_set(routes, rw.overflowed() ? 0 : rw.size());
    request_args a = s.args();
    a.branch = ++_branch;
    sip_writer aw(s.ack, sizeof s.ack);
    _factory->in_dialog(aw, "ACK", a, target, route_set, to);
    s.ack_length = static_cast<std::uint16_t>(aw.size());
    send_to_server(std::string_view(s.ack, s.ack_length), s.conn);
    s.state = phase::bye;
    ++s.cseq;
    s.branch = ++_branch;
    sip_writer bw(s.message, sizeof s.message);
    _factory->in_dialog(bw, "BYE", s.args(), target, route_set, to);
    s.length = static_cast<std::uint16_t>(bw.size());
    send_request(s);
    return;
  }
  // A non-INVITE transaction: REGISTER, OPTIONS, MESSAGE.
  if (status < 200) return;
  if (status < 300) {
    record_latency(s);
    finish(s, outcome::completed);
    return;
  }
  if ((status == 401 || status == 407) && answer_challenge(s, m)) return;
  finish(s, outcome::status, status);
}

void worker::reply(const parser::message_view& request, std::uint16_t status, std::string_view extra, int conn,
                   const sockaddr_in* source, slot* keep) {
  parser::response_options ro;
  ro.to_tag = "uas1";
  ro.extra_headers = extra;
  if (conn < 0) {
    auto room = _udp_out.space();
    const std::size_t n = parser::build_response(request, status, {}, ro, room);
    if (n == 0) return;
    if (keep && n <= sizeof keep->uas_200) {
      std::memcpy(keep->uas_200, room.data(), n);
      keep->uas_length = static_cast<std::uint16_t>(n);
    }
    _udp_out.commit(n, source ? *source : _o.target);
  } else {
    char out[2048];
    const std::size_t n = parser::build_response(request, status, {}, ro, std::span<char>(out, sizeof out));
    if (n == 0) return;
    if (keep && n <= sizeof keep->uas_200) {
      std::memcpy(keep->uas_200, out, n);
      keep->uas_length = static_cast<std::uint16_t>(n);
    }
    (void)_conns[static_cast<std::size_t>(conn)]->send(std::string_view(out, n));
  }
}

void worker::on_request(const parser::message_view& m, int conn, const sockaddr_in* source) {
  using parser::method_id;
  slot* s = nullptr;
  transaction_id id;
  if (decode_call_id(m.value_of(parser::header_id::call_id), id) && id.slot < _slot_count &&
      at(id.slot).generation == id.generation && at(id.slot).state != phase::free)
    s = &at(id.slot);
  switch (m.method()) {
    case method_id::invite:
      if (s && s->uas_answered) {
        if (conn < 0) _udp_out.send(std::string_view(s->uas_200, s->uas_length), source ? *source : _o.target);
        return;
      }
    {
      // The dialog's answer: Record-Route copied (RFC 3261 §12.1.1), Contact with our user.
      char extra[1024];
      sip_writer w(extra, sizeof extra);
      for (const auto& h : m.headers())
        if (h.id == parser::header_id::record_route) w.put("Record-Route: ").put(m.value(h)).put("\r\n");
      std::string_view user = "uas";
      const auto ruri = m.request_uri();
      if (const auto at = ruri.find('@'); ruri.starts_with("sip:") && at != std::string_view::npos)
        user = ruri.substr(4, at - 4);
      w.put("Contact: <sip:").put(user).put(_uas_contact);
      const std::string_view ex = w.overflowed() ? std::string_view{} : std::string_view(extra, w.size());
      reply(m, 180, ex, conn, source, nullptr);
      reply(m, 200, ex, conn, source, s);
    }
      if (s) {
        s->uas_answered = true;
        if (conn < 0) {
          s->uas_interval_ms = _o.t1_ms;
          const std::uint64_t now = now_ns();
          s->uas_deadline_ns = now + 64ull * _o.t1_ms * 1000000;
          _loop->timers().insert(s->uas, timer_wheel::clock::time_point(std::chrono::nanoseconds(
                                             now + std::uint64_t{_o.t1_ms} * 1000000)));
        }
      }
      return;
    case method_id::ack:
      if (s) {
        s->uas_acked = true;
        _loop->timers().cancel(s->uas);
      }
      return;
    case method_id::bye:
      if (s) {
        s->uas_acked = true;
        _loop->timers().cancel(s->uas);
      }
      reply(m, 200, {}, conn, source, nullptr);
      return;
    default:
      reply(m, 200, {}, conn, source, nullptr);
      return;
  }
}

// ---- receivers and output ----------------------------------------------------------------------

void worker::flush() {
  (void)_udp_out.flush();
  for (std::size_t c = 0; c < _conns.size(); ++c) {
    if (!_conns[c]) continue;
    auto& conn = *_conns[c];
    if (conn.failed() || !conn.pending_output()) continue;
    if (!conn.flush()) {
      // Everything on this connection fails now.
      for (std::uint32_t i = 0; i < _slot_count; ++i)
        if (at(i).state != phase::free && at(i).conn == static_cast<int>(c))
          finish(at(i), outcome::transport);
    }
  }
}

struct worker::poll_buffers {
  static constexpr unsigned batch = 64;
  static constexpr std::size_t size = 65536;  ///< any datagram fits (pages touched as written)
  char data[batch][size];
  char control[batch][64];
  sockaddr_in from[batch];
  iovec iov[batch];
  mmsghdr msgs[batch];
};

void worker::drain_udp(int fd) {
  auto& b = *_poll;
  for (int rounds = 0; rounds < 64; ++rounds) {
    for (unsigned i = 0; i < poll_buffers::batch; ++i) {
      b.iov[i] = {b.data[i], poll_buffers::size};
      auto& h = b.msgs[i].msg_hdr;
      h = {};
      h.msg_name = &b.from[i];
      h.msg_namelen = sizeof b.from[i];
      h.msg_iov = &b.iov[i];
      h.msg_iovlen = 1;
      h.msg_control = b.control[i];
      h.msg_controllen = sizeof b.control[i];
    }
    const int n = ::recvmmsg(fd, b.msgs, poll_buffers::batch, MSG_DONTWAIT, nullptr);
    if (n <= 0) break;
    for (int i = 0; i < n; ++i) {
      auto& h = b.msgs[i].msg_hdr;
      _rx_ns = 0;
      for (cmsghdr* c = CMSG_FIRSTHDR(&h); c; c = CMSG_NXTHDR(&h, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
          timespec ts;
          std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
          const std::int64_t real = std::int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
          _rx_ns = static_cast<std::uint64_t>(real - _real_minus_steady);
        }
      }
      if ((h.msg_flags & MSG_TRUNC) == 0)
        on_message(std::string_view(b.data[i], b.msgs[i].msg_len), -1, &b.from[i]);
    }
    _rx_ns = 0;
    if (n < static_cast<int>(poll_buffers::batch)) break;
  }
  _rx_ns = 0;
}

void worker::poll_now() {
  if (!_poll) return;
  drain_udp(_udp_fd);
}

runtime::task<void> worker::receive_udp(int fd) {
  auto ms = _loop->recvmsg_multishot(fd);
  runtime::cancel_token stop;
  _receiver_tokens.push_back(&stop);
  ++_receivers;
  for (;;) {
    auto item = co_await ms->next(&stop);
    if (!item.ok()) {
      if (item.err().value() == ECANCELED || stop.cancelled()) break;
      continue;
    }
    auto d = runtime::read_datagram(item.value().buffer.bytes(), ms->recvmsg_header());
    if (d && !d->truncated) {
      const sockaddr_in* src = d->source_length >= sizeof(sockaddr_in) && d->source->sa_family == AF_INET
                                   ? reinterpret_cast<const sockaddr_in*>(d->source)
                                   : nullptr;
      on_message(std::string_view(d->payload.data(), d->payload.size()), -1, src);
    }
    item.value().buffer.release();
    if (ms->queued() == 0) flush();
  }
  std::erase(_receiver_tokens, &stop);
  --_receivers;
}

runtime::task<void> worker::receive_stream(int c) {
  auto& conn = *_conns[static_cast<std::size_t>(c)];
  auto ms = _loop->recv_multishot(conn.fd());
  runtime::cancel_token stop;
  _receiver_tokens.push_back(&stop);
  ++_receivers;
  for (;;) {
    auto item = co_await ms->next(&stop);
    if (!item.ok()) {
      if (item.err().value() == ECANCELED || stop.cancelled()) break;
      conn.fail();
      break;
    }
    if (item.value().res <= 0) {
      conn.fail();
      break;
    }
    const auto bytes = item.value().buffer.bytes();
    const bool ok = conn.received(std::span<const char>(bytes.data(), bytes.size()),
                                  [&](std::string_view message) { on_message(message, c, nullptr); });
    item.value().buffer.release();
    if (!ok) {
      conn.fail();
      break;
    }
    if (ms->queued() == 0) flush();
  }
  if (conn.failed() && !stop.cancelled()) {
    for (std::uint32_t i = 0; i < _slot_count; ++i)
      if (at(i).state != phase::free && at(i).conn == c) finish(at(i), outcome::transport);
  }
  std::erase(_receiver_tokens, &stop);
  --_receivers;
}

runtime::task<bool> worker::connect_all(runtime::reactor& loop) {
  const unsigned total = _o.connections;
  const unsigned mine = std::max(1u, total / _shards + (_shard < total % _shards ? 1 : 0));
  for (unsigned i = 0; i < mine; ++i) {
    std::string why;
    const int fd = open_tcp(_o.local_ip, why);
    if (fd < 0) {
      _stats.fatal = why;
      co_return false;
    }
    auto r = co_await loop.connect(fd, reinterpret_cast<const sockaddr*>(&_o.target), sizeof _o.target);
    if (!r.ok()) {
      ::close(fd);
      _stats.fatal = "cannot connect to " + _o.target_text + ": " + std::strerror(r.err().value());
      co_return false;
    }
    _conns.push_back(std::make_unique<stream_connection>(fd, _tls, _o.server_name));
  }
  _port = local_port(_conns[0]->fd());
  _persistent = static_cast<unsigned>(_conns.size());
  _conn_stop.assign(_conns.size(), nullptr);
  co_return true;
}

int worker::open_own_connection(std::string& why) {
  const int fd = open_tcp(_o.local_ip, why);
  if (fd < 0) return -1;
  int c;
  if (!_free_conns.empty()) {
    c = _free_conns.back();
    _free_conns.pop_back();
  } else {
    c = static_cast<int>(_conns.size());
    _conns.emplace_back();
    _conn_stop.push_back(nullptr);
  }
  // A small output queue: one request and a handshake flight (256 KiB, zeroed, would be an
  // mmap + munmap per transaction).
  _conns[static_cast<std::size_t>(c)] = std::make_unique<stream_connection>(fd, _tls, _o.server_name, 8192);
  return c;
}

runtime::task<void> worker::own_connection(std::uint32_t slot_index, std::uint32_t generation, int c) {
  const auto ci = static_cast<std::size_t>(c);
  stream_connection& conn = *_conns[ci];
  slot& s = at(slot_index);
  auto alive = [&] { return s.generation == generation && s.state != phase::free; };
  runtime::cancel_token stop;
  _conn_stop[ci] = &stop;
  _receiver_tokens.push_back(&stop);
  bool connected = false, established = false;
  auto fail = [&](bool handshake) {
    if (handshake) ++_stats.handshakes_failed;
    if (alive()) finish(s, outcome::transport);
  };
  char buffer[16384];
  if (alive()) {
    auto r = co_await _loop->connect(conn.fd(), reinterpret_cast<const sockaddr*>(&_o.target), sizeof _o.target,
                                     &stop);
    if (r.ok()) {
      connected = true;
      ++_stats.connections_opened;
    } else {
      fail(false);
    }
  }
  if (connected && alive()) {
    auto send_request_now = [&] { (void)conn.send(std::string_view(s.message, s.length)); };
    if (conn.is_tls()) {
      if (_o.tls_resume && !_ticket.empty()) conn.tls()->resume(_ticket);
      if (conn.tls()->handshake() == crypto::tls_session::step::failed) fail(true);
    } else {
      send_request_now();
    }
    for (;;) {
      if (!alive()) break;
      if (conn.is_tls() && !established && conn.tls()->established()) {
        established = true;
        if (conn.tls()->resumed()) ++_stats.handshakes_resumed;
        else ++_stats.handshakes_full;
        send_request_now();
      }
      if (!conn.flush()) {
        fail(conn.is_tls() && !established);
        break;
      }
      auto r = co_await _loop->recv(conn.fd(), std::span<char>(buffer, sizeof buffer), &stop);
      if (!alive()) break;
      if (!r.ok() || r.value() <= 0) {
        fail(conn.is_tls() && !established);
        break;
      }
      _rx_ns = 0;
      const bool ok = conn.received(std::span<const char>(buffer, static_cast<std::size_t>(r.value())),
                                    [&](std::string_view message) { on_message(message, c, nullptr); });
      if (!ok) {
        fail(conn.is_tls() && !conn.tls()->established());
        break;
      }
    }
  }
  // Closing: keep the session for the next connection, say goodbye (TLS), release the entry.
  if (established) {
    if (_o.tls_resume) {
      auto next = conn.tls()->resumption();
      if (!next.empty()) _ticket = std::move(next);
    }
    conn.tls()->close();
    (void)conn.flush();
  }
  std::erase(_receiver_tokens, &stop);
  _conn_stop[ci] = nullptr;
  _conns[ci].reset();
  _free_conns.push_back(c);
  --_receivers;
}

// ---- the run -----------------------------------------------------------------------------------

runtime::task<void> worker::run(runtime::shard_context& ctx) {
  _loop = &ctx.loop();
  std::string why;
  const bool udp = _o.transport == transport_kind::udp;
  if (udp) {
    // One socket per shard for both sides (requests out, responses and the answering side's
    // requests in): one recvmmsg and one sendmmsg per tick whatever the scenario.
    _udp_fd = open_udp(_o.local_ip, _port, why);
    if (_udp_fd < 0) {
      _stats.fatal = why;
      _stats.finish();
      co_return;
    }
    _udp_out.set_fd(_udp_fd);
  } else if (!co_await connect_all(*_loop)) {
    _stats.finish();
    co_return;
  }
  std::uint32_t nonce = static_cast<std::uint32_t>(getpid()) * 2654435761u;
  _factory = std::make_unique<message_factory>(_o, _shard, nonce, _port);
  _uas_contact = "@" + _o.local_ip + ":" + std::to_string(_port) +
                 (udp ? std::string() : std::string(";transport=") + name(_o.transport)) + ">\r\n";
  if (udp && _o.poll) {
    // Polled receive: the socket is drained at each tick (recvmmsg), so the shard wakes once
    // per tick whatever the rate; latency ends at the kernel's receive timestamp.
    _poll.reset(new poll_buffers);  // not value-initialised: its pages are touched as datagrams land
    const int one = 1;
    (void)setsockopt(_udp_fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
    timespec real{};
    clock_gettime(CLOCK_REALTIME, &real);
    const auto steady = std::chrono::duration_cast<std::chrono::nanoseconds>(
                            timer_wheel::clock::now().time_since_epoch()).count();
    _real_minus_steady = (std::int64_t{real.tv_sec} * 1000000000 + real.tv_nsec) - steady;
  } else if (udp) {
    _loop->spawn(receive_udp(_udp_fd));
  } else {
    for (std::size_t c = 0; c < _conns.size(); ++c) _loop->spawn(receive_stream(static_cast<int>(c)));
    if (_tls) {
      // Handshakes: the client hellos now, the rest as the server answers.
      for (auto& c : _conns) (void)c->tls()->handshake();
      flush();
      const auto give_up = timer_wheel::clock::now() + std::chrono::milliseconds(_o.timeout_ms);
      for (;;) {
        bool all = true, failed = false;
        for (auto& c : _conns) {
          all = all && c->tls()->established();
          failed = failed || c->failed() || c->tls()->error() != crypto::tls_error::none;
        }
        if (all) break;
        if (failed || timer_wheel::clock::now() > give_up) {
          _stats.fatal = "TLS handshake with " + _o.target_text + " failed";
          break;
        }
        co_await _loop->sleep_for(1ms);
        flush();
      }
    }
  }

  // Receivers first (message, call): every user of the slice registers its answering socket.
  if (_stats.fatal.empty() && (_o.scenario == scenario_kind::message || _o.scenario == scenario_kind::call)) {
    std::uint32_t next = _user_begin;
    const auto give_up = timer_wheel::clock::now() + std::chrono::milliseconds(_o.timeout_ms) + 10s;
    while ((next < _user_end || _setup_in_flight) && timer_wheel::clock::now() < give_up) {
      poll_now();
      while (next < _user_end && _setup_in_flight < 200 && start_transaction(true, next)) ++next;
      flush();
      co_await _loop->sleep_for(1ms);
    }
    if (_setup_failed || _setup_in_flight)
      _stats.fatal = "registering the receiving users failed (" + std::to_string(_setup_failed + _setup_in_flight) +
                     " of " + std::to_string(_user_end - _user_begin) + ")";
  }

  if (_stats.fatal.empty()) {
    // First touches outside the measurement: the provided receive buffers' first pages (unused
    // when UDP is polled; a datagram rarely needs more than a page).
    auto& ring = _loop->receive_buffers();
    for (unsigned id = 0; !_poll && id < receive_buffers_for(_o).count; ++id)
      static_cast<volatile char*>(ring.buffer(static_cast<unsigned short>(id)).data())[0] = 0;
    // The measured phase.
    _stats.measuring.store(true);
    const double cpu0 = thread_cpu_s();
    const std::uint64_t t0 = now_ns();
    _t0_ns = t0;
    rate_control rate(_o.rate, 1.0 / _shards);
    const double plan_length = _o.concurrency ? _o.duration_s : std::min(rate.length(), _o.duration_s);
    if (_o.count) _start_limit = _o.count / _shards + (_shard < _o.count % _shards ? 1 : 0);
    _starting = _start_limit == 0 ? true : _start_limit > 0;
    if (_o.count && _start_limit == 0) _starting = false;
    std::uint64_t next_window = t0 + 1000000000ull;
    double stopped_at = -1;
    if (_concurrency) {
      while (_starting && _in_flight < _concurrency && (!_start_limit || _started < _start_limit)) {
        const std::uint32_t u = _next_user;
        _next_user = _next_user + 1 < _user_end ? _next_user + 1 : _user_begin;
        if (!start_transaction(false, u)) break;
      }
      flush();
    }
    for (;;) {
      poll_now();
      const std::uint64_t now = now_ns();
      const double elapsed = static_cast<double>(now - t0) * 1e-9;
      if (_starting && (elapsed >= plan_length || (_start_limit && _started >= _start_limit))) {
        _starting = false;
        stopped_at = elapsed;
        _stats.measured_s = elapsed;
      }
      if (_starting && !_concurrency) {
        _step = rate.step_at(elapsed);
        const double due = rate.due_by(elapsed);
        while (static_cast<double>(_stats.offered) + 1 <= due && (!_start_limit || _started < _start_limit)) {
          ++_stats.offered;
          const std::uint32_t u = _next_user;
          _next_user = _next_user + 1 < _user_end ? _next_user + 1 : _user_begin;
          if (!start_transaction(false, u)) break;  // table full: offered, not started
        }
      }
      flush();
      if (now >= next_window) {
        _stats.window_p99_us.store(_window.quantile(0.99), std::memory_order_relaxed);
        _window = histogram{};
        next_window += 1000000000ull;
      }
      if (!_starting) {
        if (_in_flight == 0) break;
        if (elapsed > stopped_at + _o.timeout_ms / 1000.0 + 2) break;  // bounded drain
      }
      co_await _loop->sleep_for(turn_length());
    }
    if (_stats.measured_s == 0) _stats.measured_s = static_cast<double>(now_ns() - t0) * 1e-9;
    _stats.cpu_s = thread_cpu_s() - cpu0;
    // What is still in flight after the drain timed out.
    for (std::uint32_t i = 0; i < _slot_count; ++i)
      if (at(i).state != phase::free) finish(at(i), outcome::timeout);
    // Step lengths.
    if (_o.concurrency) {
      _stats.steps[0].seconds = _stats.measured_s;
    } else {
      for (std::size_t i = 0; i < _stats.steps.size(); ++i) _stats.steps[i].seconds = _o.rate.steps[i].seconds;
    }
  }
  // The receivers leave (Expires 0), so that the next run's calls do not fork to them. Best
  // effort, bounded.
  if (_stats.measuring.load() && (_o.scenario == scenario_kind::message || _o.scenario == scenario_kind::call)) {
    _unregistering = true;
    std::uint32_t next = _user_begin;
    const auto give_up = timer_wheel::clock::now() + 3s;
    while ((next < _user_end || _setup_in_flight) && timer_wheel::clock::now() < give_up) {
      poll_now();
      while (next < _user_end && _setup_in_flight < 200 && start_transaction(true, next)) ++next;
      flush();
      co_await _loop->sleep_for(1ms);
    }
  }
  for (auto* t : _receiver_tokens) t->cancel();
  while (_receivers) co_await _loop->sleep_for(1ms);
  _conns.clear();
  _stats.finish();
}

}  // namespace sipring::load
