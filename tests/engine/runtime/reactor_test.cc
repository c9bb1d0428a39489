// The reactor on the test thread, over real sockets (socketpairs and loopback).

#include "sipring/runtime/reactor.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "sipring/runtime/datagram.h"

namespace sipring::runtime {
namespace {

using namespace std::chrono_literals;

class Reactor : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    r = reactor::create(reactor_options{}, why);
    if (!r) GTEST_SKIP() << "no reactor on this kernel: " << why;
  }
  std::unique_ptr<reactor> r;
};

// A connected pair of stream sockets, closed at the end.
struct socket_pair {
  int fd[2] = {-1, -1};
  socket_pair() { EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fd), 0); }
  ~socket_pair() {
    for (int f : fd)
      if (f >= 0) ::close(f);
  }
};

task<void> sleeper(reactor& r, std::chrono::milliseconds d, int id, std::vector<int>& log) {
  const result<void> slept = co_await r.sleep_for(d);
  EXPECT_TRUE(slept.ok());
  log.push_back(id);
}

TEST_F(Reactor, SleepsWakeInDeadlineOrderAndRunReturnsWhenAllFinished) {
  std::vector<int> log;
  const auto start = timer_wheel::clock::now();
  r->spawn(sleeper(*r, 30ms, 3, log));
  r->spawn(sleeper(*r, 10ms, 1, log));
  r->spawn(sleeper(*r, 20ms, 2, log));
  EXPECT_EQ(r->live_tasks(), 3u);
  r->stop();  // returns once the spawned tasks are done
  r->run();
  EXPECT_EQ(log, (std::vector<int>{1, 2, 3}));
  EXPECT_GE(timer_wheel::clock::now() - start, 30ms);
  EXPECT_EQ(r->live_tasks(), 0u);
}

TEST(ReactorTimerSlack, TimersDueWithinTheSlackShareOneWakeUpInDeadlineOrder) {
  // With 40 ms of slack, sleeps of 10, 20 and 30 ms all end at the first wake-up, about 50 ms
  // in; none ends early and the order of deadlines is kept.
  reactor_options o;
  o.timer_slack = 40ms;
  std::string why;
  auto r = reactor::create(o, why);
  if (!r) GTEST_SKIP() << why;
  std::vector<int> log;
  const auto start = timer_wheel::clock::now();
  r->spawn(sleeper(*r, 30ms, 3, log));
  r->spawn(sleeper(*r, 10ms, 1, log));
  r->spawn(sleeper(*r, 20ms, 2, log));
  r->stop();
  r->run();
  const auto took = timer_wheel::clock::now() - start;
  EXPECT_EQ(log, (std::vector<int>{1, 2, 3}));
  EXPECT_GE(took, 50ms);  // the first deadline (10 ms) plus the slack
}

task<void> cancelled_sleep(reactor& r, cancel_token& token, result<void>& out) {
  out = co_await r.sleep_for(10s, &token);
}

task<void> cancel_after(reactor& r, cancel_token& token, std::chrono::milliseconds d) {
  (void)co_await r.sleep_for(d);
  token.cancel();
}

TEST_F(Reactor, CancellingASleepWakesItWithEcanceled) {
  cancel_token token;
  result<void> out;
  const auto start = timer_wheel::clock::now();
  r->spawn(cancelled_sleep(*r, token, out));
  r->spawn(cancel_after(*r, token, 5ms));
  r->stop();
  r->run();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.err(), error(ECANCELED));
  EXPECT_LT(timer_wheel::clock::now() - start, 5s);
}

task<void> receive(reactor& r, int fd, std::string& got, cancel_token* token, result<int>& res) {
  char buf[64];
  res = co_await r.recv(fd, buf, token);
  if (res.ok()) got.assign(buf, static_cast<std::size_t>(res.value()));
}

task<void> send_text(reactor& r, int fd, std::string text) {
  const result<int> sent = co_await r.send(fd, text);
  EXPECT_TRUE(sent.ok());
  if (sent.ok()) {
    EXPECT_EQ(sent.value(), static_cast<int>(text.size()));
  }
}

TEST_F(Reactor, RecvAndSendOverASocketPair) {
  socket_pair p;
  std::string got;
  result<int> res = error(EINVAL);
  r->spawn(receive(*r, p.fd[0], got, nullptr, res));
  r->spawn(send_text(*r, p.fd[1], "INVITE"));
  r->stop();
  r->run();
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(got, "INVITE");
}

TEST_F(Reactor, CancellingAPendingRecvReachesTheKernel) {
  socket_pair p;
  std::string got;
  result<int> res = 0;
  cancel_token token;
  r->spawn(receive(*r, p.fd[0], got, &token, res));  // nothing is ever sent
  r->spawn(cancel_after(*r, token, 5ms));
  r->stop();
  r->run();  // would never return if the cancel did not reach the pending recv
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.err(), error(ECANCELED));
}

task<void> collect_stream(reactor& r, int fd, std::string& got, std::size_t want) {
  auto stream = r.recv_multishot(fd);
  while (got.size() < want) {
    result<reactor::multishot::item> item = co_await stream->next();
    if (!item.ok()) {
      ADD_FAILURE() << "recv multishot: " << item.err().message();
      co_return;
    }
    if (item.value().res == 0) break;  // end of stream
    const auto bytes = item.value().buffer.bytes();
    got.append(bytes.data(), bytes.size());
  }
}

task<void> send_many(reactor& r, int fd, int count) {
  for (int i = 0; i < count; ++i) {
    const std::string line = "message " + std::to_string(i) + "\n";
    const result<int> sent = co_await r.send(fd, line);
    EXPECT_TRUE(sent.ok());
  }
}

TEST_F(Reactor, MultishotRecvDeliversEverythingAndReturnsBuffers) {
  socket_pair p;
  std::string got, want;
  for (int i = 0; i < 200; ++i) want += "message " + std::to_string(i) + "\n";
  r->spawn(collect_stream(*r, p.fd[0], got, want.size()));
  r->spawn(send_many(*r, p.fd[1], 200));
  r->stop();
  r->run();
  EXPECT_EQ(got, want);
  EXPECT_EQ(r->receive_buffers().in_use(), 0u) << "every received buffer went back to the ring";
}

task<void> take_one(reactor::multishot& stream, std::string& got) {
  result<reactor::multishot::item> item = co_await stream.next();
  if (item.ok()) got.assign(item.value().buffer.bytes().data(), item.value().buffer.bytes().size());
}

task<void> nap(reactor& r) { (void)co_await r.sleep_for(2ms); }

TEST_F(Reactor, ReleasingAnArmedMultishotCancelsItAndFreesItLater) {
  socket_pair p;
  std::string got;
  auto stream = r->recv_multishot(p.fd[0]);
  r->spawn(take_one(*stream, got));
  r->spawn(send_text(*r, p.fd[1], "first"));
  r->stop();
  r->run();
  EXPECT_EQ(got, "first");
  stream.reset();  // still armed in the kernel: cancelled, freed on its last completion
  ASSERT_EQ(::write(p.fd[1], "late", 4), 4);  // may land in a buffer of the dying operation
  r->spawn(nap(*r));
  r->run();
  EXPECT_EQ(r->receive_buffers().in_use(), 0u);
}

// UDP: an echo server on the reactor (multishot recvmsg + sendmsg) and a plain client socket.
task<void> udp_echo(reactor& r, int fd, int count) {
  auto stream = r.recvmsg_multishot(fd);
  for (int i = 0; i < count; ++i) {
    result<reactor::multishot::item> item = co_await stream->next();
    if (!item.ok()) {
      ADD_FAILURE() << "recvmsg multishot: " << item.err().message();
      co_return;
    }
    const auto d = read_datagram(item.value().buffer.bytes(), stream->recvmsg_header());
    if (!d) {
      ADD_FAILURE() << "malformed recvmsg buffer";
      co_return;
    }
    iovec iov{d->payload.data(), d->payload.size()};
    const msghdr msg = reply_header(*d, {&iov, 1});
    const result<int> sent = co_await r.sendmsg(fd, &msg);
    EXPECT_TRUE(sent.ok());
  }
}

int udp_socket_on_loopback(sockaddr_in& bound) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  socklen_t len = sizeof bound;
  EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len), 0);
  return fd;
}

task<void> udp_client(reactor& r, int fd, sockaddr_in server, int count, int& echoed) {
  char buf[256];
  for (int i = 0; i < count; ++i) {
    const std::string text = "OPTIONS " + std::to_string(i);
    iovec iov{const_cast<char*>(text.data()), text.size()};
    msghdr msg{};
    msg.msg_name = &server;
    msg.msg_namelen = sizeof server;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    EXPECT_TRUE((co_await r.sendmsg(fd, &msg)).ok());
    const result<int> n = co_await r.recv(fd, buf);
    if (n.ok() && std::string(buf, static_cast<std::size_t>(n.value())) == text) ++echoed;
  }
}

TEST_F(Reactor, UdpEchoWithMultishotRecvmsg) {
  sockaddr_in server{}, client{};
  const int sfd = udp_socket_on_loopback(server);
  const int cfd = udp_socket_on_loopback(client);
  int echoed = 0;
  r->spawn(udp_echo(*r, sfd, 500));
  r->spawn(udp_client(*r, cfd, server, 500, echoed));
  r->stop();
  r->run();
  EXPECT_EQ(echoed, 500);
  EXPECT_EQ(r->receive_buffers().in_use(), 0u);
  ::close(sfd);
  ::close(cfd);
}

}  // namespace
}  // namespace sipring::runtime
