#include "proxy_context.h"

#include <array>

#include "sipring/parser/forward_edits.h"
#include "sipring/parser/header_values.h"
#include "sipring/parser/name_addr.h"
#include "sipring/parser/numeric_headers.h"
#include "sipring/parser/response_builder.h"
#include "sipring/runtime/log.h"
#include "sipring/sip/ack_cancel.h"
#include "sipring/sip/aor.h"
#include "sipring/sip/next_hop.h"
#include "sipring/sip/via_line.h"

namespace sipring::sip {

namespace {

// §16.7 step 6: a 6xx beats everything; otherwise the lowest class wins, the first of a class
// staying.
bool better(std::uint16_t candidate, std::uint16_t best) noexcept {
  if (best == 0) return true;
  const bool c6 = candidate >= 600, b6 = best >= 600;
  if (c6 != b6) return c6;
  return candidate / 100 < best / 100;
}

/// "Record-Route: <sip:host:port;lr;transport=tls>\r\n" for one of our listeners.
std::string record_route_line(const std::string& sent_by, transport::protocol p) {
  std::string line = "Record-Route: <sip:" + sent_by + ";lr";
  if (p == transport::protocol::tcp) line += ";transport=tcp";
  else if (p == transport::protocol::tls) line += ";transport=tls";
  return line + ">\r\n";
}

bool creates_dialog(parser::method_id m) noexcept {
  return m == parser::method_id::invite || m == parser::method_id::subscribe || m == parser::method_id::refer;
}

// The URI inside a name-addr ("<sip:p1;lr>" -> "sip:p1;lr"), or the text itself.
std::string_view uri_of(std::string_view name_addr) noexcept {
  const std::size_t open = name_addr.find('<');
  const std::size_t close = name_addr.rfind('>');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open)
    return name_addr.substr(open + 1, close - open - 1);
  return parser::trim_lws(name_addr);
}

std::string gather(std::span<const iovec> iov, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out.append(static_cast<const char*>(iov[i].iov_base), iov[i].iov_len);
  return out;
}

}  // namespace

const server_callbacks proxy_context::server_events = {&server_ack_timeout, nullptr, &server_terminated};
const client_callbacks proxy_context::client_events = {&client_response, &client_timeout, &client_transport_error,
                                                       &client_timer_c, &client_terminated};

proxy_context::proxy_context(sip_shard& shard, server_transaction* st, std::unique_ptr<stored_message> request,
                             transport::flow from, std::size_t own_routes, std::string strict_request_uri)
    : _shard(shard), _server(st), _request(std::move(request)), _from(from), _own_routes(own_routes),
      _strict_request_uri(std::move(strict_request_uri)),
      _invite(_request->view().method() == parser::method_id::invite) {
  _server->set_user(this);
  _next = _shard._contexts;
  if (_next != nullptr) _next->_prev = this;
  _shard._contexts = this;
  if (_invite) answer(100);  // §16.2: the proxy sends 100 Trying itself
}

proxy_context::~proxy_context() {
  if (_prev != nullptr) _prev->_next = _next;
  else _shard._contexts = _next;
  if (_next != nullptr) _next->_prev = _prev;
}

void proxy_context::release() noexcept {
  if (--_refs == 0) delete this;
}

runtime::task<void> proxy_context::run(bool follow_route, int partner) {
  hold();
  const parser::message_view& req = _request->view();
  std::vector<proxy_target> targets;
  _from_location = !follow_route && partner < 0;
  if (partner >= 0) {
    // A user of a federation partner's domain: the partner's servers locate it.
    proxy_target t;
    t.partner = partner;
    t.next_hop_uri = std::string(req.request_uri());
    targets.push_back(std::move(t));
  } else if (follow_route) {
    // The next hop: the first Route element left after ours (and before the one a strict
    // router's fix takes), else the Request-URI.
    proxy_target t;
    std::vector<std::string_view> route;
    for (const parser::header_field& h : req.headers()) {
      if (h.id != parser::header_id::route) continue;
      parser::list_splitter elements(req.value(h));
      for (std::string_view e; elements.next(e);) route.push_back(uri_of(e));
    }
    std::size_t first = std::min(_own_routes, route.size()), end = route.size();
    if (!_strict_request_uri.empty() && end > first) --end;
    if (first < end) t.next_hop_uri = std::string(route[first]);
    else if (!_strict_request_uri.empty()) t.next_hop_uri = _strict_request_uri;
    else t.next_hop_uri = std::string(req.request_uri());
    targets.push_back(std::move(t));
  } else {
    std::string key;
    if (!make_aor_key(req.request_uri(), key)) {
      answer(404, "Not Found");
      release();
      co_return;
    }
    sip_shards& all = _shard._all;
    const unsigned owner = owner_shard(key, all.size());
    targets = co_await _shard._transports.shard().shards().invoke_on(owner, [&all, owner, &key]() {
      std::vector<proxy_target> found;
      sip_shard* s = all.on(owner);
      for (const binding& b : s->_locations.lookup(key, s->_transports.shard().loop().now())) {
        proxy_target t;
        t.request_uri = b.contact;
        t.routes = b.path;
        if (!b.path.empty()) {
          t.next_hop_uri = std::string(uri_of(b.path.front()));
        } else {
          t.next_hop_uri = b.contact;
          // A contact registered over a stream is reached over that connection (§18 connection
          // reuse); one registered over UDP from an address that is not the contact's (a NAT)
          // is reached at the address the REGISTER came from when the contact is no address.
          if (transport::is_stream(b.flow.transport) && b.flow.connection.valid()) {
            t.flow = b.flow;
            t.has_flow = true;
          } else if (b.flow.transport == transport::protocol::udp) {
            parser::uri u;
            const char* why = nullptr;
            if (parser::parse_uri(b.contact, u) != parser::error_code::none ||
                !resolve_next_hop(u, s->_transports, why)) {
              t.flow = b.flow;
              t.has_flow = true;
            }
          }
        }
        found.push_back(std::move(t));
      }
      return found;
    });
    if (targets.empty()) {
      answer(404, "Not Found");
      _targets_known = true;
      _final_sent = true;
      forget_request_when_done();
      release();
      co_return;
    }
  }
  if (_cancelled) {
    answer(487);
  } else {
    forward_to(targets);
    if (_branches.empty() && _pending_connects == 0) answer(_from_location ? 480 : 404, _from_location ? "Temporarily Unavailable" : "No Route To The Next Hop");
  }
  _targets_known = true;
  maybe_finish();
  release();
}

void proxy_context::forward_to(const std::vector<proxy_target>& targets) {
  for (const proxy_target& t : targets) {
    if (t.has_flow) {
      start_branch(t, t.flow);
      continue;
    }
    if (t.partner >= 0) {
      ++_pending_connects;
      hold();
      _shard._transports.shard().loop().spawn(forward_after_connect(t));
      continue;
    }
    parser::uri u;
    const char* why = "the URI does not parse";
    std::optional<next_hop> hop;
    if (parser::parse_uri(t.next_hop_uri, u) == parser::error_code::none)
      hop = resolve_next_hop(u, _shard._transports, why);
    if (!hop) {
      SIPRING_LOG(info, "proxy", "cannot forward %.*s to %s: %s", static_cast<int>(_request->view().method_token().size()),
                  _request->view().method_token().data(), t.next_hop_uri.c_str(), why);
      continue;
    }
    if (hop->needs_connect) {
      ++_pending_connects;
      proxy_target copy = t;
      copy.flow = hop->flow;
      copy.partner = hop->partner;
      hold();
      _shard._transports.shard().loop().spawn(forward_after_connect(std::move(copy)));
      continue;
    }
    start_branch(t, hop->flow);
  }
}

runtime::task<void> proxy_context::forward_after_connect(proxy_target target) {
  const runtime::result<transport::flow> f = target.partner >= 0
                                                ? co_await _shard._transports.link_to_partner(target.partner)
                                                : co_await _shard._transports.connect(target.flow.remote);
  --_pending_connects;
  if (!f.ok()) {
    if (target.partner >= 0)
      SIPRING_LOG(warn, "proxy", "cannot reach federation partner %s: %s",
                  _shard._transports.partners()->partners()[static_cast<std::size_t>(target.partner)].domain.c_str(),
                  f.err().message().c_str());
    else
      SIPRING_LOG(info, "proxy", "cannot connect to %s: %s", target.flow.remote.to_string().c_str(),
                  f.err().message().c_str());
  } else if (!_cancelled && !_final_sent) {
    start_branch(target, f.value());
  }
  if (_branches.empty() && _pending_connects == 0 && _targets_known && !_final_sent) answer(480, "Temporarily Unavailable");
  maybe_finish();
  release();
}

bool proxy_context::start_branch(const proxy_target& target, const transport::flow& flow) {
  const parser::message_view& req = _request->view();
  const branch_id id = _shard._branches.next();
  const transport::listener_info& out_listener = _shard._transports.listener(flow.listener);
  const std::string via = via_line(flow.transport, out_listener.sent_by, id.view());

  parser::forward_edits fe(req);
  bool ok = fe.insert_via(via);
  std::uint8_t hops = 70;
  if (req.find(parser::header_id::max_forwards) != nullptr)
    (void)parser::parse_max_forwards(req.value_of(parser::header_id::max_forwards), hops);
  ok = ok && fe.set_max_forwards(hops > 0 ? static_cast<std::uint8_t>(hops - 1) : 0);
  std::string record_route;
  const bool initial = [&] {
    parser::name_addr to;
    return parser::parse_name_addr(req.value_of(parser::header_id::to), to) == parser::error_code::none && to.tag.empty();
  }();
  std::string record_route_out;
  if (initial && creates_dialog(req.method())) {
    // One Record-Route naming the port the request came in on; a second one on top naming the
    // port it leaves by when the two differ (RFC 5658: a UDP client's dialog bridged onto a
    // partner's TLS link is reached over UDP on one side and over TLS on the other).
    const transport::listener_info& in_listener = _shard._transports.listener(_from.listener);
    record_route = record_route_line(in_listener.sent_by, _from.transport);
    if (flow.listener != _from.listener || flow.transport != _from.transport) {
      record_route_out = record_route_line(out_listener.sent_by, flow.transport);
      ok = ok && fe.insert_record_route(record_route_out);
    }
    ok = ok && fe.insert_record_route(record_route);
  }
  if (_own_routes != 0) ok = ok && fe.drop_top_routes(_own_routes);
  if (!_strict_request_uri.empty()) ok = ok && fe.drop_last_route() && fe.replace_request_uri(_strict_request_uri);
  if (!target.request_uri.empty()) ok = ok && fe.replace_request_uri(target.request_uri);
  std::vector<std::string> routes;
  routes.reserve(target.routes.size());
  for (const std::string& r : target.routes) {
    routes.push_back("Route: " + r + "\r\n");
    ok = ok && fe.add_header(routes.back());
  }
  if (!ok) {
    SIPRING_LOG(warn, "proxy", "cannot edit %.*s for forwarding (too many edits or a malformed header)",
                static_cast<int>(req.method_token().size()), req.method_token().data());
    return false;
  }
  std::array<iovec, parser::forward_edits::max_segments> iov{};
  const std::size_t n = fe.to_iovec(iov);
  client_options o;
  o.method = req.method_token();
  o.branch = id.view();
  o.to = flow;
  o.timer_c = _invite;
  client_transaction* ct = _shard._transactions.create_client(std::span<const iovec>(iov.data(), n), o, client_events, this);
  if (runtime::log_enabled(runtime::log_level::debug)) {
    const std::string bytes = gather(iov, n);
    SIPRING_LOG(debug, "sip", "out to %s %s: %s", std::string(transport::protocol_name(flow.transport)).c_str(),
                flow.remote.to_string().c_str(), bytes.c_str());
  }
  hold();
  _branches.push_back({ct});
  return true;
}

proxy_context::branch* proxy_context::find(const client_transaction& ct) noexcept {
  for (branch& b : _branches)
    if (b.ct == &ct) return &b;
  return nullptr;
}

void proxy_context::relay(const parser::message_view& response) {
  if (_server == nullptr) return;
  parser::forward_edits fe(response);
  if (!fe.drop_top_via()) return;
  std::array<iovec, parser::forward_edits::max_segments> iov{};
  const std::size_t n = fe.to_iovec(iov);
  (void)_server->respond(response.status_code(), std::span<const iovec>(iov.data(), n));
}

void proxy_context::answer(std::uint16_t status, std::string_view reason) {
  if (_server == nullptr || !_request) return;
  const std::size_t n = _shard.build(_request->view(), status, reason);
  if (n == 0) return;
  if (status >= 300) _shard.log_refusal(_request->view(), _from, status, reason);
  (void)_server->respond(status, std::string_view(_shard._out.data(), n));
  if (status >= 200) _final_sent = true;
}

void proxy_context::on_response(client_transaction& ct, const parser::message_view& response) {
  branch* b = find(ct);
  if (b == nullptr) return;
  const std::uint16_t status = response.status_code();
  if (status < 200) {
    b->provisional = true;
    if (b->cancel_wanted) cancel(*b);
    if (status > 100 && !_final_sent) relay(response);
    return;
  }
  b->final_status = status;
  if (status < 300) {
    relay(response);  // every 2xx goes upstream (RFC 6026: retransmissions too)
    _final_sent = true;
    cancel_others(&ct);
    forget_request_when_done();
    return;
  }
  if (status >= 600) cancel_others(&ct);
  if (better(status, _best_status)) {
    _best_status = status;
    parser::forward_edits fe(response);
    _best_response.clear();
    if (fe.drop_top_via()) {
      std::array<iovec, parser::forward_edits::max_segments> iov{};
      _best_response = gather(iov, fe.to_iovec(iov));
    }
  }
  maybe_finish();
}

void proxy_context::on_branch_failed(client_transaction& ct, std::uint16_t status) {
  branch* b = find(ct);
  if (b == nullptr || b->final_status != 0) return;
  b->final_status = status;
  if (better(status, _best_status)) {
    _best_status = status;
    _best_response.clear();  // made here, from the request
  }
  maybe_finish();
}

void proxy_context::maybe_finish() {
  if (_final_sent) {
    forget_request_when_done();
    return;
  }
  if (!_targets_known || _pending_connects != 0) return;
  for (const branch& b : _branches)
    if (b.final_status == 0) return;
  if (_branches.empty()) return;
  _final_sent = true;
  if (_server == nullptr) return;
  if (_best_status == 503) {
    answer(500, "Service Unavailable Downstream");  // §16.7 step 6: a 503 is not forwarded
  } else if (!_best_response.empty()) {
    (void)_server->respond(_best_status, _best_response);
    if (_best_status >= 300 && _request) _shard.log_refusal(_request->view(), _from, _best_status, "from downstream");
  } else if (_best_status == 408 && _from_location) {
    // Every registered contact stayed silent: the user is there but does not answer.
    answer(480, "Temporarily Unavailable");
  } else {
    answer(_best_status == 0 ? 480 : _best_status);
  }
  forget_request_when_done();
}

void proxy_context::forget_request_when_done() noexcept {
  // The request is needed to start branches and to answer; once the final answer is out and
  // every branch has its own, only the transactions' timers keep this context alive (32 s for
  // UDP): the request, the biggest part of it, goes now.
  if (!_request || !_targets_known || _pending_connects != 0) return;
  for (const branch& b : _branches)
    if (b.final_status == 0) return;
  _request.reset();
  _best_response.clear();
  _best_response.shrink_to_fit();
}

void proxy_context::cancel(branch& b) {
  if (!_invite || b.cancelled || b.final_status != 0 || b.ct == nullptr) return;
  if (!b.provisional) {
    b.cancel_wanted = true;  // §9.1: only once a provisional came
    return;
  }
  std::string text;
  if (!build_cancel(b.ct->request(), text)) return;
  client_options o;
  o.method = "CANCEL";
  o.branch = b.ct->branch();
  o.to = b.ct->flow();
  static const client_callbacks ignore = {nullptr, nullptr, nullptr, nullptr, nullptr};
  (void)_shard._transactions.create_client(text, o, ignore, nullptr);
  b.cancelled = true;
}

void proxy_context::cancel_others(const client_transaction* except) {
  for (branch& b : _branches)
    if (b.ct != except) cancel(b);
}

void proxy_context::cancel_branches() noexcept {
  _cancelled = true;
  cancel_others(nullptr);
}

void proxy_context::server_terminated(void* user, server_transaction&) noexcept {
  auto* self = static_cast<proxy_context*>(user);
  self->_server = nullptr;
  self->release();
}

void proxy_context::server_ack_timeout(void* user, server_transaction&) noexcept {
  auto* self = static_cast<proxy_context*>(user);
  SIPRING_LOG(info, "proxy", "no ACK came for the %u answer to an INVITE from %s", static_cast<unsigned>(self->_best_status),
              self->_from.remote.to_string().c_str());
}

void proxy_context::client_response(void* user, client_transaction& ct, const parser::message_view& r) noexcept {
  static_cast<proxy_context*>(user)->on_response(ct, r);
}

void proxy_context::client_timeout(void* user, client_transaction& ct) noexcept {
  static_cast<proxy_context*>(user)->on_branch_failed(ct, 408);
}

void proxy_context::client_transport_error(void* user, client_transaction& ct) noexcept {
  auto* self = static_cast<proxy_context*>(user);
  SIPRING_LOG(info, "proxy", "a branch to %s failed: transport error", ct.flow().remote.to_string().c_str());
  self->on_branch_failed(ct, 408);
}

void proxy_context::client_timer_c(void* user, client_transaction& ct) noexcept {
  auto* self = static_cast<proxy_context*>(user);
  branch* b = self->find(ct);
  if (b == nullptr) return;
  if (ct.state() == client_state::proceeding) self->cancel(*b);  // §16.8: Timer C with a provisional
  else self->on_branch_failed(ct, 408);
}

void proxy_context::client_terminated(void* user, client_transaction& ct) noexcept {
  auto* self = static_cast<proxy_context*>(user);
  if (branch* b = self->find(ct)) {
    if (b->final_status == 0) {
      b->final_status = 408;
      if (better(408, self->_best_status)) {
        self->_best_status = 408;
        self->_best_response.clear();
      }
    }
    b->ct = nullptr;
  }
  self->maybe_finish();
  self->release();
}

}  // namespace sipring::sip
