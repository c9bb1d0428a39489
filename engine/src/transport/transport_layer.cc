#include "sipring/transport/transport_layer.h"

#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sipring/runtime/datagram.h"
#include "sipring/runtime/log.h"
#include "stream_connection.h"

namespace sipring::transport {

using runtime::log_level;

// ---- stream_connection ----------------------------------------------------------------------

bool stream_connection::write(std::span<const iovec> message) {
  if (_closing) return false;
  if (!tls) return write_raw(message);
  if (tls->established()) {
    if (tls->write(message)) return true;
    close("TLS write failed");
    return false;
  }
  std::size_t total = _pending_plain.size();
  for (const iovec& v : message) total += v.iov_len;
  if (total > _owner->options().max_output_queue) {
    close("output queue overflow (handshake not finished)");
    return false;
  }
  for (const iovec& v : message) _pending_plain.append(static_cast<const char*>(v.iov_base), v.iov_len);
  return true;
}

bool stream_connection::tls_sink(void* self, std::span<const char> ciphertext) {
  auto* c = static_cast<stream_connection*>(self);
  iovec v{const_cast<char*>(ciphertext.data()), ciphertext.size()};
  return c->write_raw(std::span<const iovec>(&v, 1));
}

bool stream_connection::write_raw(std::span<const iovec> message) {
  if (_closing) return false;
  std::size_t total = 0;
  for (const iovec& v : message) total += v.iov_len;
  std::size_t sent = 0;
  if (_output.empty()) {
    msghdr msg{};
    msg.msg_iov = const_cast<iovec*>(message.data());
    msg.msg_iovlen = message.size();
    const ssize_t n = ::sendmsg(_fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
      close("send failed");
      return false;
    }
    sent = n > 0 ? static_cast<std::size_t>(n) : 0;
    if (sent == total) return true;
  }
  if (_output.size() + (total - sent) > _owner->options().max_output_queue) {
    close("output queue overflow (peer does not read)");
    return false;
  }
  // Queue what the socket did not take, skipping the `sent` bytes already written.
  for (const iovec& v : message) {
    const auto* p = static_cast<const char*>(v.iov_base);
    if (sent >= v.iov_len) {
      sent -= v.iov_len;
      continue;
    }
    _output.append(p + sent, v.iov_len - sent);
    sent = 0;
  }
  if (!_draining) {
    _draining = true;
    _owner->shard().loop().spawn(drain_output());
  }
  return true;
}

runtime::task<void> stream_connection::drain_output() {
  // The connection outlives this coroutine: serve() waits for _draining to clear before it
  // frees the connection.
  while (!_output.empty() && !_closing) {
    const runtime::result<int> n = co_await _owner->shard().loop().send(_fd, _output, &stop);
    if (!n.ok() || n.value() <= 0) {
      close("send failed");
      break;
    }
    _output.erase(0, static_cast<std::size_t>(n.value()));
  }
  _draining = false;
}

void stream_connection::start_deadlines(time_point now) {
  _last_traffic = now;
  auto first = now + _owner->options().idle_timeout;
  if (_handshaking)
    first = std::min(first, _handshake_started + std::chrono::duration_cast<runtime::timer_wheel::clock::duration>(
                                                     _owner->options().handshake_timeout));
  _owner->shard().loop().timers().insert(_deadline, first);
}

void stream_connection::saw_traffic(time_point now, bool partial_message) noexcept {
  _last_traffic = now;
  if (partial_message && !_partial) _partial_since = now;
  _partial = partial_message;
}

void stream_connection::close(const char* why) noexcept {
  if (_closing) return;
  _closing = true;
  _close_reason = why;
  stop.cancel();
}

void stream_connection::deadline_timer::fired(runtime::timer_entry& t) noexcept {
  static_cast<deadline_timer&>(t).owner->check_deadlines();
}

void stream_connection::check_deadlines() noexcept {
  const auto now = _owner->shard().loop().now();
  const auto& o = _owner->options();
  if (_handshaking && now - _handshake_started >= o.handshake_timeout) {
    close("TLS handshake not finished in time");
    return;
  }
  if (now - _last_traffic >= o.idle_timeout) {
    close("idle timeout");
    return;
  }
  if (_partial && now - _partial_since >= o.message_timeout) {
    close("message not finished in time");
    return;
  }
  auto next = _last_traffic + o.idle_timeout;
  if (_partial) next = std::min(next, _partial_since + o.message_timeout);
  if (_handshaking)
    next = std::min(next, _handshake_started + std::chrono::duration_cast<runtime::timer_wheel::clock::duration>(
                                                   o.handshake_timeout));
  _owner->shard().loop().timers().insert(_deadline, next);
}

// ---- transport_layer ------------------------------------------------------------------------

transport_layer::transport_layer(runtime::shard_context& shard, transport_set& set,
                                 const transport_options& options, message_sink sink)
    : _shard(shard), _set(set), _options(options), _sink(sink) {
  _udp_fds.assign(set.listeners().size(), -1);
}

transport_layer::~transport_layer() {
  if (_set.on(_shard.id()) == this) _set._layers[_shard.id()].store(nullptr, std::memory_order_release);
  for (int fd : _udp_fds)
    if (fd >= 0) ::close(fd);
}

const listener_info& transport_layer::listener(std::size_t i) const noexcept { return _set.listeners()[i]; }
std::size_t transport_layer::listener_count() const noexcept { return _set.listeners().size(); }

int transport_layer::listener_for(protocol p, int family) const noexcept {
  const auto& all = _set.listeners();
  for (std::size_t i = 0; i < all.size(); ++i)
    if (all[i].transport == p && all[i].bound.family() == family) return static_cast<int>(i);
  return -1;
}

runtime::task<void> transport_layer::run() {
  _set._layers[_shard.id()].store(this, std::memory_order_release);
  for (std::size_t i = 0; i < _set.listeners().size(); ++i) {
    const int fd = _set._sockets.take(i, _shard.id());
    if (fd < 0) continue;
    if (_set.listeners()[i].transport == protocol::udp) {
      _udp_fds[i] = fd;
      _shard.loop().spawn(receive_datagrams(i, fd));
    } else {
      _shard.loop().spawn(accept_connections(i, fd));
    }
  }
  co_return;
}

runtime::task<void> transport_layer::receive_datagrams(std::size_t listener, int fd) {
  runtime::cancel_token stop;
  _shard.cancel_at_stop(stop);
  auto rx = _shard.loop().recvmsg_multishot(fd);
  for (;;) {
    runtime::result<runtime::reactor::multishot::item> item = co_await rx->next(&stop);
    if (!item.ok()) {
      if (stop.cancelled()) break;
      // The receive ended (the next call re-arms it): the socket must keep serving.
      SIPRING_LOG(warn, "transport", "receive on UDP %s failed: %s; receiving again",
                  listener_info_text(listener).c_str(), item.err().message().c_str());
      continue;
    }
    const auto d = runtime::read_datagram(item.value().buffer.bytes(), rx->recvmsg_header());
    if (!d) {
      SIPRING_LOG(warn, "transport", "dropped a datagram on UDP %s: unreadable receive record",
                  listener_info_text(listener).c_str());
      continue;
    }
    inbound_message m;
    m.bytes = {d->payload.data(), d->payload.size()};
    m.from.transport = protocol::udp;
    m.from.shard = static_cast<std::uint16_t>(_shard.id());
    m.from.listener = static_cast<std::uint16_t>(listener);
    if (!m.from.remote.assign(d->source, d->source_length)) continue;
    m.datagram_buffer = &item.value().buffer;
    m.truncated = d->truncated;
    _sink.deliver(_sink.context, m);
  }
  _shard.forget(stop);
  rx.reset();
  // The socket stays open until the layer is destroyed: responses may still be sent during the
  // grace period.
}

runtime::task<void> transport_layer::accept_connections(std::size_t listener, int fd) {
  runtime::cancel_token stop;
  _shard.cancel_at_stop(stop);
  auto acceptor = _shard.loop().accept_multishot(fd);
  for (;;) {
    runtime::result<runtime::reactor::multishot::item> item = co_await acceptor->next(&stop);
    if (!item.ok()) {
      if (stop.cancelled()) break;
      SIPRING_LOG(warn, "transport", "accept on %s failed: %s", listener_info_text(listener).c_str(),
                  item.err().message().c_str());
      continue;
    }
    const int conn_fd = item.value().res;
    peer_address remote;
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    if (::getpeername(conn_fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0 ||
        !remote.assign(reinterpret_cast<sockaddr*>(&ss), len)) {
      ::close(conn_fd);
      continue;
    }
    const int one = 1;
    ::setsockopt(conn_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const listener_info& info = _set.listeners()[listener];
    if (info.transport == protocol::tls && _handshakes_in_progress >= _options.max_handshakes) {
      ++_tls_stats.refused_busy;
      SIPRING_LOG(warn, "tls", "refused TLS connection from %s: %u handshakes in progress on this shard (the limit); %llu refused so",
                  remote.to_string().c_str(), _handshakes_in_progress,
                  static_cast<unsigned long long>(_tls_stats.refused_busy));
      ::close(conn_fd);
      continue;
    }
    stream_connection* c = add_connection(conn_fd, listener, info.transport, remote);
    SIPRING_LOG(debug, "transport", "accepted %s connection from %s", std::string(protocol_name(info.transport)).c_str(),
                remote.to_string().c_str());
    if (info.transport == protocol::tls) {
      const crypto::tls_context* context = nullptr;
      if (_tls) context = info.federation ? _tls->federation_server.get() : _tls->clients.get();
      c->federation_link = info.federation;
      if (!start_tls(c, context, {})) c->close("no TLS credentials");
    }
    _shard.loop().spawn(serve(c));
  }
  _shard.forget(stop);
  acceptor.reset();
  (void)co_await _shard.loop().close(fd);
}

std::string transport_layer::listener_info_text(std::size_t listener) const {
  return _set.listeners()[listener].bound.to_string();
}

stream_connection* transport_layer::add_connection(int fd, std::size_t listener, protocol p,
                                                   const peer_address& remote) {
  std::uint32_t index;
  if (!_free_slots.empty()) {
    index = _free_slots.back();
    _free_slots.pop_back();
  } else {
    index = static_cast<std::uint32_t>(_slots.size());
    _slots.emplace_back();
  }
  slot& s = _slots[index];
  s.generation = s.generation % 0xFFFFFF + 1;  // 24 bits: the federation link table packs it
  flow f;
  f.transport = p;
  f.shard = static_cast<std::uint16_t>(_shard.id());
  f.listener = static_cast<std::uint16_t>(listener);
  f.connection = {index, s.generation};
  f.remote = remote;
  s.connection = std::make_unique<stream_connection>(*this, fd, f, _options.max_message_size);
  ++_open_connections;
  return s.connection.get();
}

void transport_layer::remove_connection(stream_connection* c) noexcept {
  const std::uint32_t index = c->identity().connection.slot;
  _slots[index].connection.reset();
  _free_slots.push_back(index);
  --_open_connections;
}

stream_connection* transport_layer::find(const flow& f) const noexcept {
  if (!f.connection.valid() || f.connection.slot >= _slots.size()) return nullptr;
  const slot& s = _slots[f.connection.slot];
  return s.generation == f.connection.generation ? s.connection.get() : nullptr;
}

const flow* transport_layer::find_connection(protocol p, const peer_address& remote) const noexcept {
  for (const slot& s : _slots)
    if (s.connection && s.connection->identity().transport == p && s.connection->identity().remote == remote &&
        !s.connection->_closing)
      return &s.connection->identity();
  return nullptr;
}

runtime::task<void> transport_layer::serve(stream_connection* c) {
  auto& loop = _shard.loop();
  _shard.cancel_after_grace(c->stop);
  c->start_deadlines(loop.now());
  {
    auto rx = loop.recv_multishot(c->fd());
    bool open = true;
    while (open) {
      runtime::result<runtime::reactor::multishot::item> item = co_await rx->next(&c->stop);
      if (!item.ok()) {
        if (!c->_closing) c->close(item.err().value() == ECANCELED ? "stopping" : "receive failed");
        break;
      }
      if (item.value().res == 0) {
        if (c->_handshaking) {
          c->close("closed by the peer during the TLS handshake");
          break;
        }
        if (c->framer.buffered() != 0)
          SIPRING_LOG(info, "transport", "TCP peer %s closed mid-message (%zu bytes dropped)",
                      c->identity().remote.to_string().c_str(), c->framer.buffered());
        c->close("closed by the peer");
        break;
      }
      const std::span<const char> bytes = item.value().buffer.bytes();
      open = c->tls ? receive_tls(c, bytes) : receive_plaintext(c, bytes);
      c->saw_traffic(loop.now(), c->framer.buffered() != 0);
    }
  }
  _shard.forget(c->stop);
  loop.timers().cancel(c->_deadline);
  if (c->tls) {
    if (c->_handshaking) {
      --_handshakes_in_progress;
      if (!c->_refusal_logged) {
        const bool timeout = c->close_reason() != nullptr && std::string_view(c->close_reason()).find("in time") != std::string_view::npos;
        refuse_tls(c, timeout ? crypto::tls_error::handshake_timeout : crypto::tls_error::peer_closed);
      }
    } else if (c->partner >= 0 && _federation != nullptr) {
      _federation->link_down(c->partner, c->identity());
    }
  }
  c->_closing = true;
  c->stop.cancel();
  while (c->_draining) (void)co_await loop.sleep_for(std::chrono::milliseconds(1));
  SIPRING_LOG(debug, "transport", "TCP connection from %s closed: %s", c->identity().remote.to_string().c_str(),
              c->close_reason() ? c->close_reason() : "");
  const flow f = c->identity();
  const int fd = c->fd();
  remove_connection(c);
  if (_sink.closed) _sink.closed(_sink.context, f);
  (void)co_await loop.close(fd);
}

bool transport_layer::receive_plaintext(stream_connection* c, std::span<const char> bytes) {
  while (!bytes.empty()) {
    bytes = bytes.subspan(c->framer.append(bytes));
    for (;;) {
      const parser::framer_event ev = c->framer.next();
      if (ev.what == parser::framer_event::kind::need_more) break;
      if (ev.what == parser::framer_event::kind::ping) {
        static constexpr char pong[] = "\r\n";
        iovec v{const_cast<char*>(pong), 2};
        c->write({&v, 1});
        continue;
      }
      if (ev.what == parser::framer_event::kind::error) {
        SIPRING_LOG(warn, "transport", "closing %s connection from %s: %s",
                    std::string(protocol_name(c->identity().transport)).c_str(),
                    c->identity().remote.to_string().c_str(), std::string(parser::reason_phrase(ev.error)).c_str());
        c->close("unframeable stream");
        return false;
      }
      inbound_message m;
      m.bytes = ev.message;
      m.from = c->identity();
      m.partner = c->partner;
      _sink.deliver(_sink.context, m);
      if (c->_closing) return false;
    }
  }
  return true;
}

bool transport_layer::receive_tls(stream_connection* c, std::span<const char> bytes) {
  crypto::tls_session& tls = *c->tls;
  tls.feed(bytes);
  if (!tls.established()) {
    switch (tls.handshake()) {
      case crypto::tls_session::step::want_more:
        return true;
      case crypto::tls_session::step::failed:
        refuse_tls(c, tls.error());
        c->close("TLS handshake refused");
        return false;
      case crypto::tls_session::step::done:
        if (!handshake_finished(c)) return false;
        break;
    }
  }
  char plain[16384];
  for (;;) {
    const crypto::tls_session::read_result r = tls.read(plain);
    if (r.status == crypto::tls_session::step::want_more) break;
    if (r.status == crypto::tls_session::step::failed) {
      if (tls.error() == crypto::tls_error::peer_closed) {
        c->close("closed by the peer (close_notify)");
      } else {
        SIPRING_LOG(warn, "tls", "closing TLS connection with %s: %s (wolfSSL error %d)",
                    c->identity().remote.to_string().c_str(), std::string(crypto::describe(tls.error())).c_str(),
                    tls.library_error());
        c->close("TLS record error");
      }
      return false;
    }
    if (!receive_plaintext(c, {plain, r.size})) return false;
  }
  // A link we opened: keep its session (a TLS 1.3 ticket comes after the handshake, with the
  // first records) to resume the next link to the same partner.
  if (c->partner >= 0 && !c->_resumption_saved && c->_client_side) {
    crypto::tls_resumption r = tls.resumption();
    if (!r.empty()) {
      if (_partner_resumption.size() <= static_cast<std::size_t>(c->partner))
        _partner_resumption.resize(static_cast<std::size_t>(c->partner) + 1);
      _partner_resumption[static_cast<std::size_t>(c->partner)] = std::move(r);
      c->_resumption_saved = true;
    }
  }
  return true;
}

bool transport_layer::start_tls(stream_connection* c, const crypto::tls_context* context,
                                std::string_view server_name) {
  if (context == nullptr) {
    SIPRING_LOG(error, "tls", "no TLS credentials for the connection with %s", c->identity().remote.to_string().c_str());
    return false;
  }
  c->tls_credentials_used = _tls;
  c->tls = std::make_unique<crypto::tls_session>(*context, crypto::tls_output_sink{c, &stream_connection::tls_sink},
                                                 server_name);
  if (c->federation_link) c->tls->set_peer_check({c, &transport_layer::check_partner});
  c->start_handshake(_shard.loop().now());
  ++_handshakes_in_progress;
  return true;
}

crypto::tls_error transport_layer::check_partner(void* connection, const crypto::peer_certificate& cert) {
  auto* c = static_cast<stream_connection*>(connection);
  const transport_layer& self = *c->_owner;
  if (self._federation == nullptr || !c->tls_credentials_used) {
    c->refusal_detail = "no federation partners are configured";
    return crypto::tls_error::untrusted_server;
  }
  const auto& trust = c->tls_credentials_used->partner_trust;
  const partner_verdict v = c->partner >= 0 ? self._federation->confirm(c->partner, cert, trust)
                                            : self._federation->identify(cert, trust);
  if (v.error != crypto::tls_error::none) {
    c->refusal_detail = v.detail;
    return v.error;
  }
  c->partner = v.partner;
  return crypto::tls_error::none;
}

bool transport_layer::handshake_finished(stream_connection* c) {
  crypto::tls_session& tls = *c->tls;
  c->_handshaking = false;
  --_handshakes_in_progress;
  ++_tls_stats.established;
  if (tls.resumed()) ++_tls_stats.resumed;
  if (c->federation_link && c->partner < 0) {
    // The policy hook runs in every handshake that verified a certificate; a resumed session
    // or a missing hook must not slip through as a partner link.
    c->refusal_detail = "the link did not authenticate as a partner";
    refuse_tls(c, crypto::tls_error::untrusted_server);
    c->close("TLS handshake refused");
    return false;
  }
  SIPRING_LOG(debug, "tls", "TLS with %s established: %s %s%s, certificate %s%s%s",
              c->identity().remote.to_string().c_str(), std::string(tls.version()).c_str(),
              std::string(tls.cipher()).c_str(), tls.resumed() ? " (resumed)" : "",
              std::string(tls.peer().display_name()).c_str(), c->partner >= 0 ? ", partner " : "",
              c->partner >= 0 && _federation ? _federation->partners()[static_cast<std::size_t>(c->partner)].domain.c_str() : "");
  if (c->partner >= 0 && _federation != nullptr) _federation->link_up(c->partner, c->identity());
  if (!c->_pending_plain.empty()) {
    std::string pending = std::move(c->_pending_plain);
    c->_pending_plain = std::string();
    iovec v{pending.data(), pending.size()};
    if (!c->write(std::span<const iovec>(&v, 1))) return false;
  }
  return true;
}

void transport_layer::refuse_tls(stream_connection* c, crypto::tls_error why) {
  if (c->_refusal_logged) return;
  c->_refusal_logged = true;
  ++_tls_stats.refused;
  ++_tls_stats.by_reason[static_cast<std::size_t>(why)];
  const crypto::tls_session* tls = c->tls.get();
  const std::string name = tls != nullptr ? std::string(tls->peer().display_name()) : std::string("(none)");
  SIPRING_LOG(warn, "tls", "TLS handshake %s %s refused: %s%s%s (certificate: %s; wolfSSL error %d); %llu refused on this shard, %llu for this reason",
              c->_client_side ? "to" : "from", c->identity().remote.to_string().c_str(),
              std::string(crypto::describe(why)).c_str(), c->refusal_detail.empty() ? "" : ": ",
              c->refusal_detail.c_str(), name.c_str(), tls != nullptr ? tls->library_error() : 0,
              static_cast<unsigned long long>(_tls_stats.refused),
              static_cast<unsigned long long>(_tls_stats.by_reason[static_cast<std::size_t>(why)]));
}

bool transport_layer::send(const flow& to, std::span<const iovec> message) {
  if (to.transport == protocol::udp) return send_udp(to, message);
  if (to.shard != _shard.id()) {
    std::string copy;
    for (const iovec& v : message) copy.append(static_cast<const char*>(v.iov_base), v.iov_len);
    _shard.loop().spawn(send_elsewhere(to, std::move(copy)));
    return true;
  }
  stream_connection* c = find(to);
  if (c == nullptr) return false;
  return c->write(message);
}

runtime::task<void> transport_layer::send_elsewhere(flow to, std::string bytes) {
  transport_set* set = &_set;
  const bool ok = co_await _set.shards().invoke_on(to.shard, [set, &to, &bytes]() {
    transport_layer* there = set->on(to.shard);
    return there != nullptr && there->send(to, std::string_view(bytes));
  });
  if (!ok)
    SIPRING_LOG(info, "transport", "message to %s over a %s connection of shard %u not sent: the connection is gone",
                to.remote.to_string().c_str(), std::string(protocol_name(to.transport)).c_str(),
                static_cast<unsigned>(to.shard));
}

bool transport_layer::send_udp(const flow& to, std::span<const iovec> message) {
  int index = to.listener < _udp_fds.size() && _udp_fds[to.listener] >= 0 &&
                      _set.listeners()[to.listener].bound.family() == to.remote.family()
                  ? to.listener
                  : listener_for(protocol::udp, to.remote.family());
  if (index < 0 || _udp_fds[static_cast<std::size_t>(index)] < 0) return false;
  msghdr msg{};
  msg.msg_name = const_cast<sockaddr*>(to.remote.get());
  msg.msg_namelen = to.remote.length();
  msg.msg_iov = const_cast<iovec*>(message.data());
  msg.msg_iovlen = message.size();
  const ssize_t n = ::sendmsg(_udp_fds[static_cast<std::size_t>(index)], &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
  if (n < 0) {
    SIPRING_LOG(info, "transport", "UDP send to %s failed: %s", to.remote.to_string().c_str(), std::strerror(errno));
    return false;
  }
  return true;
}

runtime::task<runtime::result<flow>> transport_layer::connect(peer_address to) {
  const int listener = listener_for(protocol::tcp, to.family());
  const int fd = ::socket(to.family(), SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) co_return runtime::error(errno);
  runtime::cancel_token stop;
  _shard.cancel_at_stop(stop);
  const runtime::result<int> r = co_await _shard.loop().connect(fd, to.get(), to.length(), &stop);
  _shard.forget(stop);
  if (!r.ok()) {
    ::close(fd);
    co_return r.err();
  }
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  stream_connection* c = add_connection(fd, listener < 0 ? 0 : static_cast<std::size_t>(listener), protocol::tcp, to);
  const flow f = c->identity();
  _shard.loop().spawn(serve(c));
  co_return f;
}

runtime::task<runtime::result<flow>> transport_layer::link_to_partner(int partner) {
  if (_federation == nullptr || partner < 0 || static_cast<std::size_t>(partner) >= _federation->partners().size())
    co_return runtime::error(EINVAL);
  if (const std::optional<flow> live = _federation->find_link(partner, _shard.id())) co_return *live;
  const federation_partner& p = _federation->partners()[static_cast<std::size_t>(partner)];
  // Our Via and Record-Route name a federation port of ours (any TLS port when none is marked).
  int listener = -1;
  for (std::size_t i = 0; i < _set.listeners().size(); ++i) {
    const listener_info& l = _set.listeners()[i];
    if (l.transport != protocol::tls || l.bound.family() != p.address.family()) continue;
    if (listener < 0 || l.federation) listener = static_cast<int>(i);
  }
  if (listener < 0 || !_tls || !_tls->federation_client) co_return runtime::error(EAFNOSUPPORT);
  const int fd = ::socket(p.address.family(), SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) co_return runtime::error(errno);
  runtime::cancel_token stop;
  _shard.cancel_at_stop(stop);
  const runtime::result<int> r = co_await _shard.loop().connect(fd, p.address.get(), p.address.length(), &stop);
  _shard.forget(stop);
  if (!r.ok()) {
    ::close(fd);
    co_return r.err();
  }
  // Another request may have opened a link while this one connected: use one link.
  if (const std::optional<flow> live = _federation->find_link(partner, _shard.id())) {
    ::close(fd);
    co_return *live;
  }
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  stream_connection* c = add_connection(fd, static_cast<std::size_t>(listener), protocol::tls, p.address);
  c->federation_link = true;
  c->partner = partner;
  c->_client_side = true;
  if (!start_tls(c, _tls->federation_client.get(), p.server_name)) {
    c->close("no TLS credentials");
  } else {
    if (static_cast<std::size_t>(partner) < _partner_resumption.size() &&
        !_partner_resumption[static_cast<std::size_t>(partner)].empty())
      c->tls->resume(_partner_resumption[static_cast<std::size_t>(partner)]);
    if (c->tls->handshake() == crypto::tls_session::step::failed) {  // sends the ClientHello
      refuse_tls(c, c->tls->error());
      c->close("TLS handshake refused");
    }
  }
  const flow f = c->identity();
  _shard.loop().spawn(serve(c));
  co_return f;
}

// ---- transport_set --------------------------------------------------------------------------

transport_set::transport_set(runtime::shard_set& shards, unsigned shard_count, listener_sockets sockets)
    : _shards(shards), _sockets(std::move(sockets)), _count(shard_count),
      _layers(new std::atomic<transport_layer*>[shard_count]) {
  for (unsigned i = 0; i < shard_count; ++i) _layers[i].store(nullptr, std::memory_order_relaxed);
}

}  // namespace sipring::transport
