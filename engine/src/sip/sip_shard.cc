#include "sipring/sip/sip_shard.h"

#include <array>
#include <random>

#include "sipring/parser/error.h"
#include "sipring/parser/numeric_headers.h"
#include "sipring/parser/parse.h"
#include "sipring/parser/response_builder.h"
#include "sipring/parser/uri.h"
#include "sipring/runtime/log.h"
#include "proxy_context.h"
#include "sipring/parser/forward_edits.h"
#include "sipring/parser/name_addr.h"
#include "sipring/sip/aor.h"
#include "sipring/sip/federation_policy.h"
#include "sipring/sip/next_hop.h"
#include "sipring/sip/via_line.h"
#include "sipring/sip/request_checks.h"
#include "sipring/sip/stored_message.h"
#include "sipring/sip/response_flow.h"
#include "sipring/sip/salvaged_response.h"

namespace sipring::sip {

namespace {

constexpr std::string_view allow_line =
    "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, MESSAGE, SUBSCRIBE, NOTIFY, REFER, INFO, UPDATE, PRACK\r\n";

std::string_view printable_prefix(std::string_view bytes) noexcept {
  const std::size_t eol = bytes.find_first_of("\r\n");
  return bytes.substr(0, std::min<std::size_t>(eol == std::string_view::npos ? bytes.size() : eol, 120));
}

std::string source_text(const transport::flow& f) {
  return std::string(transport::protocol_name(f.transport)) + " " + f.remote.to_string();
}

}  // namespace

namespace {

transaction_env make_env(sip_shard* self, transport::transport_layer& t, const sip_settings& s,
                         bool (*send)(void*, const transport::flow&, std::span<const iovec>) noexcept) {
  transaction_env e;
  e.wheel = &t.shard().loop().timers();
  e.now = &t.shard().loop().now();
  e.send = send;
  e.send_context = self;
  e.timers.t1 = s.t1;
  e.timers.t2 = s.t2;
  e.timers.t4 = s.t4;
  return e;
}

// Runs forget_flow on shard n.
runtime::task<void> forget_flow_on(sip_shards& all, runtime::shard_set& set, unsigned n, transport::flow f) {
  co_await set.invoke_on(n, [&all, n, &f]() {
    if (sip_shard* there = all.on(n)) there->locations().forget_flow(f);
  });
}

// Hands a response to the shard owning its client transaction.
runtime::task<void> hand_response(sip_shards& all, runtime::shard_set& set, unsigned n, std::string bytes,
                                  transport::flow from) {
  co_await set.invoke_on(n, [&all, n, &bytes, &from]() {
    if (sip_shard* there = all.on(n)) there->take_response(bytes, from);
  });
}

}  // namespace

sip_shard::sip_shard(transport::transport_layer& transports, const sip_settings& settings, sip_shards& all)
    : _transports(transports), _settings(settings), _all(all),
      _transactions(make_env(this, transports, settings, &send_for_transactions)),
      _branches(static_cast<std::uint16_t>(transports.shard_id())), _registrar(_locations, settings.registrar),
      _expiry(this), _headers(settings.limits.max_headers), _out(settings.limits.max_message_size + 4096) {
  std::random_device rd;
  _tag_secret = (std::uint64_t{rd()} << 32) ^ rd();
  _all.set(transports.shard_id(), this);
}

sip_shard::~sip_shard() {
  if (_all.on(_transports.shard_id()) == this) _all.set(_transports.shard_id(), nullptr);
  // The transaction table destroys its transactions without calling their TUs, so the proxy
  // contexts they still hold (at the stop) are freed here. A context touches no transaction
  // when it is destroyed.
  while (_contexts != nullptr) delete _contexts;
}

bool sip_shard::send_for_transactions(void* self, const transport::flow& to, std::span<const iovec> bytes) noexcept {
  auto* s = static_cast<sip_shard*>(self);
  if (runtime::log_enabled(runtime::log_level::trace)) {
    std::string text;
    for (const iovec& v : bytes) text.append(static_cast<const char*>(v.iov_base), v.iov_len);
    SIPRING_LOG(trace, "sip", "transaction sends to %s: %s", to.remote.to_string().c_str(), text.c_str());
  }
  return s->_transports.send(to, bytes);
}

transport::message_sink sip_shard::sink_for(sip_shard* self) noexcept {
  return {self, &deliver, &closed};
}

void sip_shard::deliver(void* self, transport::inbound_message& m) { static_cast<sip_shard*>(self)->on_message(m); }

void sip_shard::closed(void* self, const transport::flow& f) {
  // The bindings registered over the connection live in their AoRs' partitions: every shard
  // forgets the flow.
  auto* s = static_cast<sip_shard*>(self);
  // At the stop every connection closes and the bindings go with the process: no cross-shard
  // call then (another shard may have finished already and would never answer).
  if (s->_transports.shard().stopping()) return;
  for (unsigned n = 0; n < s->_all.size(); ++n) {
    if (n == s->_transports.shard_id()) {
      s->_locations.forget_flow(f);
      continue;
    }
    s->_transports.shard().loop().spawn(forget_flow_on(s->_all, s->_transports.shard().shards(), n, f));
  }
}

void sip_shard::on_message(transport::inbound_message& m) {
  parser::parse_options options;
  options.transport = transport::is_stream(m.from.transport) ? parser::transport_kind::stream
                                                              : parser::transport_kind::datagram;
  options.limits = _settings.limits;
  if (m.truncated) {
    // Only the datagram's start arrived: the message is larger than any we accept.
    on_unparsed(m, {parser::error_code::message_too_large, 0});
    return;
  }
  const parser::parse_result r = parser::parse(m.bytes, _headers, options);
  if (!r.ok()) {
    on_unparsed(m, r.error);
    return;
  }
  if (runtime::log_enabled(runtime::log_level::debug))
    SIPRING_LOG(debug, "sip", "in from %s: %.*s", source_text(m.from).c_str(),
                static_cast<int>(m.bytes.size()), m.bytes.data());
  if (r.message.is_request()) {
    ++_stats.requests;
    on_request(m, r.message);
  } else {
    ++_stats.responses;
    on_response(m.bytes, m.from, r.message);
  }
}

void sip_shard::on_unparsed(transport::inbound_message& m, const parser::parse_error& e) {
  const std::uint16_t status = parser::response_status(e.code) != 0 ? parser::response_status(e.code) : 400;
  const std::string_view reason = parser::reason_phrase(e.code);
  // A tag from the raw bytes: retransmissions of the same bad request get the same one.
  std::uint64_t h = _tag_secret ^ 0xcbf29ce484222325ULL;
  for (const char c : m.bytes.substr(0, 512)) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  char tag[17];
  for (int i = 0; i < 16; ++i) tag[i] = "0123456789abcdef"[(h >> (4 * i)) & 15];
  const salvaged_response s =
      build_salvaged_response(m.bytes, status, reason, {tag, 16}, std::span<char>(_out.data(), _out.size()));
  if (s.size == 0) {
    ++_stats.dropped;
    SIPRING_LOG(info, "sip", "dropped a message from %s: %.*s (no answer possible: %s); starts \"%.*s\"",
                source_text(m.from).c_str(), static_cast<int>(reason.size()), reason.data(),
                m.bytes.starts_with("SIP/") ? "a response" : "no usable Via",
                static_cast<int>(printable_prefix(m.bytes).size()), printable_prefix(m.bytes).data());
    return;
  }
  ++_stats.refused;
  SIPRING_LOG(info, "sip", "refused a request from %s: %u %.*s; starts \"%.*s\"", source_text(m.from).c_str(),
              static_cast<unsigned>(status), static_cast<int>(reason.size()), reason.data(),
              static_cast<int>(printable_prefix(m.bytes).size()), printable_prefix(m.bytes).data());
  (void)_transports.send(response_flow(s.top_via, m.from), std::string_view(_out.data(), s.size));
}

std::string_view sip_shard::stateless_tag(const parser::message_view& request) noexcept {
  // FNV-1a over what identifies the request (§17.2.3 without the method's ACK mapping) and a
  // per-process secret, so a retransmission gets the same tag and nobody can predict it.
  std::uint64_t h = _tag_secret ^ 0xcbf29ce484222325ULL;
  auto mix = [&h](std::string_view s) {
    for (const char c : s) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  };
  mix(request.value_of(parser::header_id::call_id));
  mix(request.value_of(parser::header_id::from));
  mix(request.value_of(parser::header_id::cseq));
  mix(request.value_of(parser::header_id::via));
  for (int i = 0; i < 16; ++i) _tag[i] = "0123456789abcdef"[(h >> (4 * i)) & 15];
  return {_tag, 16};
}

std::size_t sip_shard::build(const parser::message_view& request, std::uint16_t status, std::string_view reason,
                             std::string_view extra) {
  parser::response_options o;
  o.to_tag = stateless_tag(request);
  o.extra_headers = extra;
  const std::size_t n = parser::build_response(request, status, reason, o, std::span<char>(_out.data(), _out.size()));
  if (n == 0)
    SIPRING_LOG(warn, "sip", "could not build a %u response to %.*s", static_cast<unsigned>(status),
                static_cast<int>(request.method_token().size()), request.method_token().data());
  else if (runtime::log_enabled(runtime::log_level::debug))
    SIPRING_LOG(debug, "sip", "answer: %.*s", static_cast<int>(n), _out.data());
  return n;
}

void sip_shard::log_refusal(const parser::message_view& request, const transport::flow& from, std::uint16_t status,
                            std::string_view reason) {
  ++_stats.refused;
  if (reason.empty()) reason = parser::default_reason(status);
  SIPRING_LOG(info, "sip", "refused %.*s %.*s from %s: %u %.*s", static_cast<int>(request.method_token().size()),
              request.method_token().data(), static_cast<int>(request.request_uri().size()),
              request.request_uri().data(), source_text(from).c_str(), static_cast<unsigned>(status),
              static_cast<int>(reason.size()), reason.data());
}

void sip_shard::answer(const parser::message_view& request, const parser::via& top, const transport::flow& from,
                       std::uint16_t status, std::string_view reason, std::string_view extra) {
  if (request.method() == parser::method_id::ack) return;  // an ACK is never answered
  const std::size_t n = build(request, status, reason, extra);
  if (n == 0) return;
  if (status >= 300) log_refusal(request, from, status, reason);
  (void)_transports.send(response_flow(top, from), std::string_view(_out.data(), n));
}

void sip_shard::on_request(transport::inbound_message& m, const parser::message_view& request) {
  // The top Via says where answers go; parse() guarantees one is present.
  parser::via top;
  bool have_top = false;
  const parser::error_code via_error = parser::for_each_via(request.value_of(parser::header_id::via), [&](const parser::via& v) {
    top = v;
    have_top = true;
    return false;
  });
  if (via_error != parser::error_code::none || !have_top) {
    ++_stats.dropped;
    SIPRING_LOG(info, "sip", "dropped %.*s from %s: the top Via does not parse (no answer possible)",
                static_cast<int>(request.method_token().size()), request.method_token().data(),
                source_text(m.from).c_str());
    return;
  }

  parser::uri ruri;
  if (parser::parse_uri(request.request_uri(), ruri) != parser::error_code::none) {
    answer(request, top, m.from, 400, "Bad Request-URI");
    return;
  }
  if (refusal r = check_request(request, ruri, _settings.identity)) {
    answer(request, top, m.from, r.status, r.reason, r.extra_headers);
    return;
  }

  const bool to_us = ruri.user.empty() && _settings.identity.is_our_domain(ruri.host);
  // §16.3 step 3: Max-Forwards 0 ends the request here, except an OPTIONS, which a proxy may
  // answer itself.
  std::uint8_t hops = 70;
  const bool has_max_forwards = request.find(parser::header_id::max_forwards) != nullptr;
  if (has_max_forwards) (void)parser::parse_max_forwards(request.value_of(parser::header_id::max_forwards), hops);
  if (has_max_forwards && hops == 0 && !(request.method() == parser::method_id::options)) {
    answer(request, top, m.from, 483, "Too Many Hops");
    return;
  }

  if (request.method() == parser::method_id::options && (to_us || hops == 0)) {
    std::string extra(allow_line);
    extra += "Accept: application/sdp\r\nSupported: path\r\n";
    answer(request, top, m.from, 200, "OK", extra);
    return;
  }
  server_key key;
  if (!server_key_of(request, key)) {
    // RFC 2543 transaction matching (a branch without the magic cookie) is not implemented.
    if (request.method() == parser::method_id::ack) {
      forward_ack(request, ruri);
      return;
    }
    answer(request, top, m.from, 400, "Via Branch Without The RFC 3261 Magic Cookie");
    return;
  }
  if (server_transaction* st = _transactions.find_server(key)) {
    // A retransmission (answered with the last response) or the ACK of a non-2xx final.
    if (!st->receive_request(request) && request.method() == parser::method_id::ack) forward_ack(request, ruri);
    return;
  }
  if (request.method() == parser::method_id::ack) {
    forward_ack(request, ruri);  // the ACK of a 2xx: its own transaction, end to end (§13.2.2.4)
    return;
  }
  if (request.method() == parser::method_id::cancel) {
    on_cancel(m, request, top, key);
    return;
  }

  if (_transports.shard().stopping()) {
    // During the stop's grace period only what is in flight finishes.
    answer(request, top, m.from, 503, "Service Unavailable (stopping)", "Retry-After: 5\r\n");
    return;
  }

  // Route pre-processing (§16.4): Routes naming this proxy are ours to remove (two of them when
  // we double record-routed a dialog across transports, RFC 5658).
  std::size_t own_routes = 0;
  bool past_ours = false;
  for (const parser::header_field& h : request.headers()) {
    if (h.id != parser::header_id::route || past_ours) continue;
    (void)parser::for_each_name_addr(request.value(h), [&](const parser::name_addr&, const parser::uri& u) {
      if (!_settings.identity.is_this_proxy(u)) {
        past_ours = true;
        return false;
      }
      ++own_routes;
      return true;
    });
  }
  bool top_route_is_us = own_routes != 0;
  // §16.4: a Request-URI that is our own Record-Route (no user, our address, lr) comes from a
  // strict router: the last Route value is the real Request-URI.
  std::string strict_request_uri;
  if (ruri.user.empty() && ruri.lr && _settings.identity.is_this_proxy(ruri)) {
    for (const parser::header_field& h : request.headers()) {
      if (h.id != parser::header_id::route) continue;
      (void)parser::for_each_name_addr(request.value(h), [&](const parser::name_addr& na, const parser::uri&) {
        strict_request_uri = std::string(na.uri);
      });
    }
    if (!strict_request_uri.empty()) {
      top_route_is_us = false;
      own_routes = 0;
    }
  }
  parser::name_addr to;
  const bool in_dialog =
      parser::parse_name_addr(request.value_of(parser::header_id::to), to) == parser::error_code::none && !to.tag.empty();
  // A request inside a dialog we record-routed follows its route set (or its Request-URI, the
  // remote target); any other request must be for one of our domains: no open relay.
  const bool follow_route = (in_dialog && top_route_is_us) || !strict_request_uri.empty();
  // Federation: who a partner's link may speak for, and requests for a partner's users.
  const federation_decision federation = check_federation(request, ruri, m.partner, _transports.partners(), follow_route);
  if (federation.status != 0) {
    answer(request, top, m.from, federation.status, federation.reason);
    return;
  }
  if (!follow_route && federation.route_to_partner < 0) {
    if (!_settings.identity.is_our_domain(ruri.host)) {
      answer(request, top, m.from, 403, "Forbidden (not relaying)");
      return;
    }
    // A partner's servers authenticated its users; its link authenticated itself.
    if (m.partner < 0 && !authenticate(request, top, m.from)) return;
    if (request.method() == parser::method_id::register_) {
      if (m.partner >= 0) {
        answer(request, top, m.from, 403, "Forbidden (partners do not register here)");
        return;
      }
      on_register(m, request, top, key);
      return;
    }
    if (ruri.user.empty()) {
      answer(request, top, m.from, 404, "Not Found");
      return;
    }
  } else if (federation.route_to_partner >= 0 && !authenticate(request, top, m.from)) {
    return;
  }

  auto stored = stored_message::copy_of(m.bytes, {transport::is_stream(m.from.transport) ? parser::transport_kind::stream
                                                                                          : parser::transport_kind::datagram,
                                                  false, _settings.limits}, request.headers().size());
  if (!stored) return;
  server_transaction* st = _transactions.create_server(key, response_flow(top, m.from), proxy_context::server_events, nullptr);
  if (st == nullptr) return;
  auto* ctx = new proxy_context(*this, st, std::move(stored), m.from, own_routes, std::move(strict_request_uri));
  _transports.shard().loop().spawn(ctx->run(follow_route, federation.route_to_partner));
}

bool sip_shard::authenticate(const parser::message_view& request, const parser::via& top, const transport::flow& from) {
  const digest_authenticator* auth = _settings.auth;
  if (auth == nullptr) return true;
  bool listed = false;
  for (const std::string& m : _settings.auth_methods) listed = listed || m == request.method_token();
  if (!listed) return true;
  const bool is_register = request.method() == parser::method_id::register_;
  // Other requests authenticate when they come from one of our users (§22.3: a proxy challenges
  // with 407); a request from another domain to our users is not ours to challenge.
  parser::name_addr who;
  parser::uri who_uri;
  const std::string_view who_header = request.value_of(is_register ? parser::header_id::to : parser::header_id::from);
  if (parser::parse_name_addr_uri(who_header, who, who_uri) != parser::error_code::none) {
    answer(request, top, from, 400, is_register ? "Bad To" : "Bad From");
    return false;
  }
  if (!is_register && !_settings.identity.is_our_domain(who_uri.host)) return true;

  const parser::header_id credentials_header = is_register ? parser::header_id::authorization : parser::header_id::proxy_authorization;
  const parser::header_id challenge_header = is_register ? parser::header_id::www_authenticate : parser::header_id::proxy_authenticate;
  const std::uint16_t challenge_status = is_register ? 401 : 407;
  const auto now = _transports.shard().loop().now();
  auto challenge = [&](bool stale) {
    char lines[1024];
    const std::size_t n = auth->write_challenges(challenge_header, now, stale, std::span<char>(lines, sizeof lines));
    if (n == 0) return;
    const std::size_t size = build(request, challenge_status, {}, std::string_view(lines, n));
    if (size != 0) (void)_transports.send(response_flow(top, from), std::string_view(_out.data(), size));
  };
  parser::credentials c;
  const credentials_search found = auth->find_credentials(request, credentials_header, c);
  if (found == credentials_search::absent) {
    challenge(false);
    return false;
  }
  if (found == credentials_search::malformed) {
    answer(request, top, from, 400, "Malformed Credentials");
    return false;
  }
  const auth_result r = auth->verify(c, request.method_token(), now);
  switch (r.status) {
    case auth_status::ok:
      break;
    case auth_status::stale_nonce:
      challenge(true);
      return false;
    case auth_status::bad_nonce:
      SIPRING_LOG(info, "auth", "%.*s from %s: nonce not ours (%.*s); challenged again",
                  static_cast<int>(request.method_token().size()), request.method_token().data(),
                  source_text(from).c_str(), static_cast<int>(r.reason.size()), r.reason.data());
      challenge(false);
      return false;
    default:
      SIPRING_LOG(warn, "auth", "authentication of user \"%.*s\" for %.*s from %s failed: %.*s",
                  static_cast<int>(c.username.size()), c.username.data(), static_cast<int>(request.method_token().size()),
                  request.method_token().data(), source_text(from).c_str(), static_cast<int>(r.reason.size()),
                  r.reason.data());
      answer(request, top, from, 403, "Forbidden (authentication failed)");
      return false;
  }
  // The authenticated user must be the one it speaks for (Kamailio's auth_check with the
  // To/From user check): a user may not register or call as someone else.
  if (c.username != who_uri.user) {
    SIPRING_LOG(warn, "auth", "user \"%.*s\" authenticated from %s but speaks for \"%.*s\": refused",
                static_cast<int>(c.username.size()), c.username.data(), source_text(from).c_str(),
                static_cast<int>(who_uri.user.size()), who_uri.user.data());
    answer(request, top, from, 403, "Forbidden (credentials of another user)");
    return false;
  }
  return true;
}

void sip_shard::on_cancel(transport::inbound_message& m, const parser::message_view& request, const parser::via& top,
                          const server_key& key) {
  server_transaction* invite = _transactions.find_cancel_target(key);
  if (invite == nullptr || invite->user() == nullptr) {
    answer(request, top, m.from, 481, "Call/Transaction Does Not Exist");
    return;
  }
  // §16.10: the CANCEL gets its own 200; the branches are cancelled and the INVITE gets its
  // final answer (487 from downstream) in the usual way.
  static const server_callbacks none = {nullptr, nullptr, nullptr};
  if (server_transaction* st = _transactions.create_server(key, response_flow(top, m.from), none, nullptr)) {
    const std::size_t n = build(request, 200, "OK");
    if (n != 0) (void)st->respond(200, std::string_view(_out.data(), n));
  }
  static_cast<proxy_context*>(invite->user())->cancel_branches();
}

void sip_shard::on_register(transport::inbound_message& m, const parser::message_view& request, const parser::via& top,
                            const server_key& key) {
  static const server_callbacks none = {nullptr, nullptr, nullptr};
  server_transaction* st = _transactions.create_server(key, response_flow(top, m.from), none, nullptr);
  if (st == nullptr) return;
  std::string aor;
  const unsigned owner = register_aor_key(request, aor) ? owner_shard(aor, _all.size()) : _transports.shard_id();
  if (owner == _transports.shard_id()) {
    std::string extra;
    const register_outcome outcome = register_here(request, m.from, extra);
    finish_register(st, request, outcome, extra);
    return;
  }
  auto stored = stored_message::copy_of(m.bytes, {transport::is_stream(m.from.transport) ? parser::transport_kind::stream
                                                                                          : parser::transport_kind::datagram,
                                                  false, _settings.limits}, request.headers().size());
  if (!stored) return;
  _transports.shard().loop().spawn(register_elsewhere(owner, std::move(stored), m.from, st));
}

runtime::task<void> sip_shard::register_elsewhere(unsigned owner, std::unique_ptr<stored_message> request,
                                                  transport::flow from, server_transaction* st) {
  std::string extra;
  sip_shards* all = &_all;
  const parser::message_view& view = request->view();
  const register_outcome outcome = co_await _transports.shard().shards().invoke_on(owner, [all, owner, &view, &from, &extra]() {
    return all->on(owner)->register_here(view, from, extra);
  });
  finish_register(st, view, outcome, extra);
}

register_outcome sip_shard::register_here(const parser::message_view& request, const transport::flow& from,
                                          std::string& extra) {
  const register_outcome outcome = _registrar.process(request, from, _transports.shard().loop().now(), extra);
  arm_expiry();
  return outcome;
}

void sip_shard::finish_register(server_transaction* st, const parser::message_view& request,
                                const register_outcome& outcome, const std::string& extra) {
  const std::size_t n = build(request, outcome.status, outcome.reason, extra);
  if (n == 0) return;
  if (outcome.status >= 300) log_refusal(request, st->flow(), outcome.status, outcome.reason);
  (void)st->respond(outcome.status, std::string_view(_out.data(), n));
}

void sip_shard::arm_expiry() noexcept {
  const auto next = _locations.next_expiry();
  if (!next) {
    _transports.shard().loop().timers().cancel(_expiry);
    return;
  }
  // Re-armed for the earliest deadline (a second later at most, so a burst of refreshes does
  // not move the timer on every REGISTER).
  _transports.shard().loop().timers().insert(_expiry, *next + std::chrono::milliseconds(1));
}

void sip_shard::expiry_fired(runtime::timer_entry& t) noexcept {
  sip_shard* s = static_cast<expiry_timer&>(t).shard;
  const std::size_t gone = s->_locations.expire(s->_transports.shard().loop().now());
  if (gone != 0) SIPRING_LOG(debug, "registrar", "%zu bindings expired", gone);
  s->arm_expiry();
}

void sip_shard::forward_ack(const parser::message_view& request, const parser::uri& ruri) {
  // Stateless forwarding (§16.11) along the Route set: ours popped (two when we double
  // record-routed), then the next Route or the Request-URI.
  std::size_t own = 0;
  std::string next;
  for (const parser::header_field& h : request.headers()) {
    if (h.id != parser::header_id::route || !next.empty()) continue;
    (void)parser::for_each_name_addr(request.value(h), [&](const parser::name_addr& na, const parser::uri& u) {
      if (next.empty() && _settings.identity.is_this_proxy(u)) {
        ++own;
        return true;
      }
      next = std::string(na.uri);
      return false;
    });
  }
  const bool drop = own != 0;
  if (!drop && !_settings.identity.is_our_domain(ruri.host)) {
    SIPRING_LOG(debug, "sip", "dropped an ACK for %.*s: not routed through this proxy",
                static_cast<int>(request.request_uri().size()), request.request_uri().data());
    return;
  }
  parser::uri target;
  if (next.empty()) target = ruri;
  else if (parser::parse_uri(next, target) != parser::error_code::none) return;
  const char* why = nullptr;
  const auto hop = resolve_next_hop(target, _transports, why);
  if (!hop || hop->needs_connect) {
    SIPRING_LOG(info, "sip", "dropped an ACK for %.*s: %s", static_cast<int>(request.request_uri().size()),
                request.request_uri().data(), hop ? "no open connection to the next hop" : why);
    return;
  }
  const branch_id id = _branches.next();
  const std::string via = via_line(hop->flow.transport, _transports.listener(hop->flow.listener).sent_by, id.view());
  parser::forward_edits fe(request);
  std::uint8_t hops = 70;
  if (request.find(parser::header_id::max_forwards) != nullptr)
    (void)parser::parse_max_forwards(request.value_of(parser::header_id::max_forwards), hops);
  if (!fe.insert_via(via) || !fe.set_max_forwards(hops > 0 ? static_cast<std::uint8_t>(hops - 1) : 0) ||
      (drop && !fe.drop_top_routes(own)))
    return;
  std::array<iovec, parser::forward_edits::max_segments> iov{};
  const std::size_t n = fe.to_iovec(iov);
  (void)_transports.send(hop->flow, std::span<const iovec>(iov.data(), n));
}

void sip_shard::on_response(std::string_view bytes, const transport::flow& from, const parser::message_view& response) {
  client_key key;
  if (!client_key_of(response, key)) {
    ++_stats.dropped;
    SIPRING_LOG(info, "sip", "dropped a %u response from %s: no usable top Via branch or CSeq",
                static_cast<unsigned>(response.status_code()), source_text(from).c_str());
    return;
  }
  const std::optional<unsigned> owner = shard_of_branch(key.branch);
  if (!owner || *owner >= _all.size()) {
    ++_stats.dropped;
    SIPRING_LOG(info, "sip", "dropped a %u response from %s: its top Via is not ours",
                static_cast<unsigned>(response.status_code()), source_text(from).c_str());
    return;
  }
  if (*owner != _transports.shard_id()) {
    if (_transports.shard().stopping()) return;  // the owner may have finished: no cross-shard call

    // The kernel gave it to this shard; the transaction lives on another: one hop there.
    _transports.shard().loop().spawn(hand_response(_all, _transports.shard().shards(), *owner, std::string(bytes), from));
    return;
  }
  client_transaction* ct = _transactions.find_client(key);
  if (ct == nullptr) {
    ++_stats.dropped;
    SIPRING_LOG(debug, "sip", "dropped a %u response from %s: no transaction (late or stray)",
                static_cast<unsigned>(response.status_code()), source_text(from).c_str());
    return;
  }
  ct->receive_response(response);
}

void sip_shard::take_response(std::string_view bytes, const transport::flow& from) {
  parser::parse_options options;
  options.transport = transport::is_stream(from.transport) ? parser::transport_kind::stream
                                                            : parser::transport_kind::datagram;
  options.limits = _settings.limits;
  const parser::parse_result r = parser::parse(bytes, _headers, options);
  if (r.ok()) on_response(bytes, from, r.message);
}

}  // namespace sipring::sip
