// UDP and TCP echo servers on a two-shard set (each shard with its own SO_REUSEPORT listener on
// the same port), driven over loopback by 1,000 concurrent clients; then a graceful stop with
// the connections still open.

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>

#include "sipring/runtime/datagram.h"
#include "sipring/runtime/listen_socket.h"
#include "sipring/runtime/shard_set.h"
#include "sipring/runtime/when_all.h"
#include "sipring/runtime/with_timeout.h"

namespace sipring::runtime {
namespace {

using namespace std::chrono_literals;

struct counters {
  std::atomic<int> accepted[2] = {0, 0};
  std::atomic<int> datagrams[2] = {0, 0};
  std::atomic<int> connections_closed{0};
};

task<void> tcp_connection(shard_context& ctx, int fd, counters& c) {
  cancel_token token;
  ctx.cancel_after_grace(token);
  {
    auto rx = ctx.loop().recv_multishot(fd);
    for (;;) {
      result<reactor::multishot::item> item = co_await rx->next(&token);
      if (!item.ok() || item.value().res == 0) break;
      const auto bytes = item.value().buffer.bytes();
      std::size_t off = 0;
      while (off < bytes.size()) {
        const result<int> sent = co_await ctx.loop().send(fd, bytes.subspan(off), &token);
        if (!sent.ok()) break;
        off += static_cast<std::size_t>(sent.value());
      }
      if (off < bytes.size()) break;
    }
  }
  ctx.forget(token);
  (void)co_await ctx.loop().close(fd);
  ++c.connections_closed;
}

task<void> tcp_server(shard_context& ctx, socket_address address, counters& c) {
  const result<int> fd = open_listener(socket_kind::tcp, address, {});
  if (!fd.ok()) {
    ADD_FAILURE() << "tcp listener: " << fd.err().message();
    co_return;
  }
  cancel_token stop;
  ctx.cancel_at_stop(stop);
  auto acceptor = ctx.loop().accept_multishot(fd.value());
  for (;;) {
    result<reactor::multishot::item> item = co_await acceptor->next(&stop);
    if (!item.ok()) break;
    ++c.accepted[ctx.id()];
    ctx.loop().spawn(tcp_connection(ctx, item.value().res, c));
  }
  ctx.forget(stop);
  acceptor.reset();
  (void)co_await ctx.loop().close(fd.value());
}

task<void> udp_server(shard_context& ctx, socket_address address, counters& c) {
  const result<int> fd = open_listener(socket_kind::udp, address, {});
  if (!fd.ok()) {
    ADD_FAILURE() << "udp socket: " << fd.err().message();
    co_return;
  }
  cancel_token stop;
  ctx.cancel_at_stop(stop);
  auto rx = ctx.loop().recvmsg_multishot(fd.value());
  for (;;) {
    result<reactor::multishot::item> item = co_await rx->next(&stop);
    if (!item.ok()) break;
    const auto d = read_datagram(item.value().buffer.bytes(), rx->recvmsg_header());
    if (!d) continue;
    ++c.datagrams[ctx.id()];
    iovec iov{d->payload.data(), d->payload.size()};
    const msghdr msg = reply_header(*d, {&iov, 1});
    (void)co_await ctx.loop().sendmsg(fd.value(), &msg);
  }
  ctx.forget(stop);
  rx.reset();
  (void)co_await ctx.loop().close(fd.value());
}

// A port free on loopback for both TCP and UDP (bound to 0, read back, released).
socket_address free_loopback_address() {
  socket_address a = *parse_socket_address("127.0.0.1:0");
  const result<int> fd = open_listener(socket_kind::tcp, a, {});
  EXPECT_TRUE(fd.ok());
  socket_address bound = *local_address(fd.value());
  ::close(fd.value());
  return bound;
}

// Client side, on its own reactor in its own thread: `n` TCP connections, each sends `rounds`
// lines and reads them back; `n` UDP sockets likewise. Connections stay open until `release`.
struct client_results {
  std::atomic<int> tcp_ok{0}, udp_ok{0};
  std::vector<int> open_fds;
};

task<void> tcp_client(reactor& r, socket_address server, int rounds, client_results& out) {
  const int fd = ::socket(server.family(), SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (!(co_await r.connect(fd, server.get(), server.length)).ok()) {
    ::close(fd);
    co_return;
  }
  out.open_fds.push_back(fd);
  char buf[128];
  int ok = 0;
  for (int i = 0; i < rounds; ++i) {
    const std::string line = "REGISTER " + std::to_string(i) + "\r\n";
    if (!(co_await r.send(fd, line)).ok()) co_return;
    std::size_t got = 0;
    while (got < line.size()) {
      const result<int> n = co_await r.recv(fd, std::span<char>(buf + got, sizeof buf - got));
      if (!n.ok() || n.value() == 0) co_return;
      got += static_cast<std::size_t>(n.value());
    }
    if (std::string(buf, got) == line) ++ok;
  }
  if (ok == rounds) ++out.tcp_ok;
}

task<result<int>> receive(reactor& r, int fd, std::span<char> into, cancel_token& t) {
  co_return co_await r.recv(fd, into, &t);
}

task<void> udp_client(reactor& r, socket_address server, int rounds, client_results& out) {
  const int fd = ::socket(server.family(), SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (::connect(fd, server.get(), server.length) != 0) co_return;
  char buf[128];
  int ok = 0;
  for (int i = 0; i < rounds; ++i) {
    const std::string text = "OPTIONS " + std::to_string(i);
    // UDP may drop under a burst of 1,000 clients: retransmit, as a SIP client does (Timer A).
    for (int attempt = 0; attempt < 8; ++attempt) {
      if (!(co_await r.send(fd, text)).ok()) break;
      const result<int> n = co_await with_timeout(r, 250ms, [&r, fd, &buf](cancel_token& t) {
        return receive(r, fd, std::span<char>(buf), t);
      });
      if (n.ok() && std::string(buf, static_cast<std::size_t>(n.value())) == text) {
        ++ok;
        break;
      }
    }
  }
  ::close(fd);
  if (ok == rounds) ++out.udp_ok;
}

// Runs `clients` TCP and UDP clients concurrently on a reactor of this (new) thread.
void run_clients(socket_address server, int clients, int rounds, client_results& out) {
  std::string why;
  auto r = reactor::create(reactor_options{}, why);
  ASSERT_TRUE(r) << why;
  for (int i = 0; i < clients; ++i) {
    r->spawn(tcp_client(*r, server, rounds, out));
    r->spawn(udp_client(*r, server, rounds, out));
  }
  r->stop();
  r->run();
}

TEST(Echo, ThousandConcurrentClientsOverTcpAndUdpThenAGracefulStop) {
  const socket_address server = free_loopback_address();
  shard_set_options options;
  options.count = 2;
  options.stop_grace = 300ms;
  counters c;
  shard_set shards(options);
  ASSERT_EQ(shards.start([&c, server](shard_context& ctx) -> task<void> {
    ctx.loop().spawn(tcp_server(ctx, server, c));
    ctx.loop().spawn(udp_server(ctx, server, c));
    co_return;
  }), "");
  std::this_thread::sleep_for(20ms);  // listeners up (the clients would also retry... they do not)

  client_results results;
  std::thread clients([&] { run_clients(server, 1000, 5, results); });
  clients.join();
  EXPECT_EQ(results.tcp_ok.load(), 1000);
  EXPECT_EQ(results.udp_ok.load(), 1000);
  // SO_REUSEPORT spread the work over both shards.
  EXPECT_GT(c.accepted[0] + 0, 0);
  EXPECT_GT(c.accepted[1] + 0, 0);
  EXPECT_EQ(c.accepted[0] + c.accepted[1], 1000);
  EXPECT_GT(c.datagrams[0] + 0, 0);
  EXPECT_GT(c.datagrams[1] + 0, 0);

  // The 1,000 TCP connections are still open: stop closes the listeners at once and the
  // connections when the grace period ends; every shard must end, with no frame left.
  const auto start = std::chrono::steady_clock::now();
  shards.request_stop();
  shards.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_EQ(c.connections_closed.load(), 1000);
  EXPECT_EQ(shards.frames_left(), 0u);
  for (int fd : results.open_fds) ::close(fd);
}

}  // namespace
}  // namespace sipring::runtime
