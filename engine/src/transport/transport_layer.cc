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
  _owner->shard().loop().timers().insert(_deadline, now + _owner->options().idle_timeout);
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
    stream_connection* c = add_connection(conn_fd, listener, _set.listeners()[listener].transport, remote);
    SIPRING_LOG(debug, "transport", "accepted TCP connection from %s", remote.to_string().c_str());
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
  if (++s.generation == 0) s.generation = 1;
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
        if (c->framer.buffered() != 0)
          SIPRING_LOG(info, "transport", "TCP peer %s closed mid-message (%zu bytes dropped)",
                      c->identity().remote.to_string().c_str(), c->framer.buffered());
        c->close("closed by the peer");
        break;
      }
      std::span<const char> bytes = item.value().buffer.bytes();
      while (open && !bytes.empty()) {
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
            SIPRING_LOG(warn, "transport", "closing TCP connection from %s: %s",
                        c->identity().remote.to_string().c_str(), std::string(parser::reason_phrase(ev.error)).c_str());
            c->close("unframeable stream");
            open = false;
            break;
          }
          inbound_message m;
          m.bytes = ev.message;
          m.from = c->identity();
          _sink.deliver(_sink.context, m);
          if (c->_closing) {
            open = false;
            break;
          }
        }
      }
      c->saw_traffic(loop.now(), c->framer.buffered() != 0);
    }
  }
  _shard.forget(c->stop);
  loop.timers().cancel(c->_deadline);
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

// ---- transport_set --------------------------------------------------------------------------

transport_set::transport_set(runtime::shard_set& shards, unsigned shard_count, listener_sockets sockets)
    : _shards(shards), _sockets(std::move(sockets)), _count(shard_count),
      _layers(new std::atomic<transport_layer*>[shard_count]) {
  for (unsigned i = 0; i < shard_count; ++i) _layers[i].store(nullptr, std::memory_order_relaxed);
}

}  // namespace sipring::transport
