// sipring-udp-reflector: UDP request/response on loopback, sipring's runtime against two plain
// loops written here, in one run.
//
// Each server answers every datagram with a canned ~300-byte reply that starts with the
// request's first 16 bytes (its sequence number and send time), from one thread pinned to
// --server-cpu:
//   epoll          epoll_wait, then recvfrom/sendto per datagram until EAGAIN
//   epoll-mmsg     epoll_wait, then recvmmsg/sendmmsg, 64 datagrams per call
//   runtime        a one-shard shard_set: multishot recvmsg over the provided-buffer ring, each
//                  datagram answered by a spawned task's sendmsg (a turn's replies share one
//                  io_uring_enter)
//   runtime-serial the same, awaiting each sendmsg inside the receive loop (echo_test's style)
//   runtime-coalesce  runtime with reactor_options.coalesce_window = 200 us, coalesce_count 32
// A client thread pinned to --client-cpu offers each rate for --duration seconds (paced by the
// clock, sendmmsg of what is due), receives the replies on the same socket and measures each
// request->reply latency. The server thread reads its own getrusage(RUSAGE_THREAD) when the
// offered load begins and after the replies have drained, so its CPU time per pair covers the
// load and nothing else (start-up, sockets and rings are outside the window).
//
// Every loop is bounded: the offered phase by its duration, the drain by 250 ms, each server by
// a stop request, the whole program by rates x servers x runs.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "sipring/runtime/datagram.h"
#include "sipring/runtime/listen_socket.h"
#include "sipring/runtime/shard_set.h"

namespace {

using namespace sipring::runtime;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

constexpr std::size_t token_size = 16;  // sequence number, send time (ns)
constexpr int socket_buffer = 4 << 20;  // SO_RCVBUF / SO_SNDBUF of every socket
constexpr unsigned batch = 64;          // datagrams per recvmmsg/sendmmsg (server and client)

// The reply after the token: a 200 OK to an OPTIONS, 284 bytes.
constexpr std::string_view reply_tail =
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK776asdhds;received=127.0.0.1\r\n"
    "From: <sip:bench@127.0.0.1>;tag=1928301774\r\n"
    "To: <sip:reflector@127.0.0.1>;tag=a6c85cf\r\n"
    "Call-ID: a84b4c76e66710@127.0.0.1\r\n"
    "CSeq: 63104 OPTIONS\r\n"
    "Content-Length: 0\r\n\r\n";

// The request after the token, 332 bytes.
constexpr std::string_view request_tail =
    "OPTIONS sip:reflector@127.0.0.1 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK776asdhds\r\n"
    "Max-Forwards: 70\r\n"
    "To: <sip:reflector@127.0.0.1>\r\n"
    "From: <sip:bench@127.0.0.1>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710@127.0.0.1\r\n"
    "CSeq: 63104 OPTIONS\r\n"
    "Contact: <sip:bench@127.0.0.1:5070>\r\n"
    "Accept: application/sdp\r\n"
    "Content-Length: 0\r\n\r\n";

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(steady::now().time_since_epoch()).count();
}

void pin_to(unsigned cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  (void)pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

// ---- what a server thread measures of itself -------------------------------------------------

struct thread_usage {
  double user_s = 0, system_s = 0;
  long voluntary_switches = 0;  // times the thread blocked: its wake-ups

  static thread_usage now() {
    rusage u{};
    getrusage(RUSAGE_THREAD, &u);
    thread_usage t;
    t.user_s = static_cast<double>(u.ru_utime.tv_sec) + static_cast<double>(u.ru_utime.tv_usec) * 1e-6;
    t.system_s = static_cast<double>(u.ru_stime.tv_sec) + static_cast<double>(u.ru_stime.tv_usec) * 1e-6;
    t.voluntary_switches = u.ru_nvcsw;
    return t;
  }
};

// The controller's requests to a server thread, answered on that thread: mark the start and the
// end of the measured window. `answered` counts replies sent (server thread only).
struct server_probe {
  std::atomic<int> acked{0};
  thread_usage begin, end;
  std::uint64_t answered = 0, answered_at_begin = 0, answered_at_end = 0;

  void mark(int which) {
    if (which == 1) {
      begin = thread_usage::now();
      answered_at_begin = answered;
    } else {
      end = thread_usage::now();
      answered_at_end = answered;
    }
    acked.store(which, std::memory_order_release);
    acked.notify_all();
  }
  // Controller side: wait (bounded) for the server to have marked `which`.
  bool wait(int which) {
    const auto deadline = steady::now() + 2s;
    while (acked.load(std::memory_order_acquire) != which) {
      if (steady::now() > deadline) return false;
      std::this_thread::sleep_for(50us);
    }
    return true;
  }
};

// A server under test: started on its own thread, driven by the controller.
class server {
 public:
  virtual ~server() = default;
  /// Starts serving `fd`; empty, or why it could not.
  virtual std::string start(int fd, unsigned cpu) = 0;
  /// Asks the server thread to mark the window's start (1) or end (2); returns once it did.
  virtual bool mark(int which) = 0;
  /// Stops and joins the thread.
  virtual void stop() = 0;
  server_probe probe;
};

// ---- epoll + recvfrom/sendto, and epoll + recvmmsg/sendmmsg ----------------------------------

class epoll_server : public server {
 public:
  explicit epoll_server(bool batched) : _batched(batched) {}
  ~epoll_server() override { stop(); }

  std::string start(int fd, unsigned cpu) override {
    _fd = fd;
    _control = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    _epoll = epoll_create1(EPOLL_CLOEXEC);
    if (_control < 0 || _epoll < 0) return std::string("eventfd/epoll: ") + std::strerror(errno);
    epoll_event e{};
    e.events = EPOLLIN;
    e.data.fd = _fd;
    if (epoll_ctl(_epoll, EPOLL_CTL_ADD, _fd, &e) != 0) return std::string("epoll_ctl: ") + std::strerror(errno);
    e.data.fd = _control;
    if (epoll_ctl(_epoll, EPOLL_CTL_ADD, _control, &e) != 0) return std::string("epoll_ctl: ") + std::strerror(errno);
    _thread = std::thread([this, cpu] {
      pin_to(cpu);
      pthread_setname_np(pthread_self(), _batched ? "udp-epoll-mmsg" : "udp-epoll");
      if (_batched) run_batched();
      else run_single();
    });
    return {};
  }

  bool mark(int which) override {
    _command.store(which, std::memory_order_release);
    const std::uint64_t one = 1;
    if (::write(_control, &one, sizeof one) != sizeof one) return false;
    return probe.wait(which);
  }

  void stop() override {
    if (!_thread.joinable()) return;
    _command.store(3, std::memory_order_release);
    const std::uint64_t one = 1;
    (void)::write(_control, &one, sizeof one);
    _thread.join();
    ::close(_epoll);
    ::close(_control);
  }

 private:
  // The control eventfd fired: 1 and 2 mark the window, 3 stops. False to stop.
  bool on_control() {
    std::uint64_t v;
    (void)::read(_control, &v, sizeof v);
    const int c = _command.exchange(0, std::memory_order_acq_rel);
    if (c == 3) return false;
    if (c == 1 || c == 2) probe.mark(c);
    return true;
  }

  void run_single() {
    char in[2048];
    char out[token_size + reply_tail.size()];
    std::memcpy(out + token_size, reply_tail.data(), reply_tail.size());
    epoll_event events[4];
    for (;;) {
      const int n = epoll_wait(_epoll, events, 4, -1);
      for (int i = 0; i < n; ++i) {
        if (events[i].data.fd == _control) {
          if (!on_control()) return;
          continue;
        }
        for (;;) {
          sockaddr_storage from;
          socklen_t from_length = sizeof from;
          const ssize_t got = ::recvfrom(_fd, in, sizeof in, MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&from),
                                         &from_length);
          if (got < 0) break;  // EAGAIN: back to epoll_wait
          if (static_cast<std::size_t>(got) < token_size) continue;
          std::memcpy(out, in, token_size);
          (void)::sendto(_fd, out, sizeof out, 0, reinterpret_cast<sockaddr*>(&from), from_length);
          ++probe.answered;
        }
      }
    }
  }

  void run_batched() {
    static thread_local char in[batch][2048];
    std::array<sockaddr_storage, batch> from{};
    std::array<iovec, batch> in_iov{};
    std::array<mmsghdr, batch> in_msg{};
    std::array<std::array<iovec, 2>, batch> out_iov{};
    std::array<mmsghdr, batch> out_msg{};
    for (unsigned i = 0; i < batch; ++i) {
      in_iov[i] = {in[i], sizeof in[i]};
      out_iov[i][1] = {const_cast<char*>(reply_tail.data()), reply_tail.size()};
    }
    epoll_event events[4];
    for (;;) {
      const int n = epoll_wait(_epoll, events, 4, -1);
      for (int i = 0; i < n; ++i) {
        if (events[i].data.fd == _control) {
          if (!on_control()) return;
          continue;
        }
        for (;;) {
          for (unsigned k = 0; k < batch; ++k) {
            in_msg[k].msg_hdr = {};
            in_msg[k].msg_hdr.msg_name = &from[k];
            in_msg[k].msg_hdr.msg_namelen = sizeof from[k];
            in_msg[k].msg_hdr.msg_iov = &in_iov[k];
            in_msg[k].msg_hdr.msg_iovlen = 1;
          }
          const int got = ::recvmmsg(_fd, in_msg.data(), batch, MSG_DONTWAIT, nullptr);
          if (got <= 0) break;
          unsigned replies = 0;
          for (int k = 0; k < got; ++k) {
            if (in_msg[k].msg_len < token_size) continue;
            out_iov[replies][0] = {in[k], token_size};
            out_msg[replies].msg_hdr = {};
            out_msg[replies].msg_hdr.msg_name = &from[k];
            out_msg[replies].msg_hdr.msg_namelen = in_msg[k].msg_hdr.msg_namelen;
            out_msg[replies].msg_hdr.msg_iov = out_iov[replies].data();
            out_msg[replies].msg_hdr.msg_iovlen = 2;
            ++replies;
          }
          if (replies != 0) {
            const int sent = ::sendmmsg(_fd, out_msg.data(), replies, 0);
            if (sent > 0) probe.answered += static_cast<unsigned>(sent);
          }
          if (static_cast<unsigned>(got) < batch) break;  // drained: skip the EAGAIN call
        }
      }
    }
  }

  bool _batched;
  int _fd = -1, _control = -1, _epoll = -1;
  std::atomic<int> _command{0};
  std::thread _thread;
};

// ---- the runtime: a one-shard shard_set ------------------------------------------------------

// Answers one datagram: the frame holds the token and the source address until sendmsg is done
// (the receive buffer went back to the ring already).
task<void> reply_to(reactor& r, int fd, std::array<char, token_size> token, sockaddr_storage to,
                    socklen_t to_length, server_probe& probe) {
  std::array<iovec, 2> iov{{{token.data(), token_size},
                            {const_cast<char*>(reply_tail.data()), reply_tail.size()}}};
  msghdr m{};
  m.msg_name = &to;
  m.msg_namelen = to_length;
  m.msg_iov = iov.data();
  m.msg_iovlen = iov.size();
  if ((co_await r.sendmsg(fd, &m)).ok()) ++probe.answered;
}

task<void> udp_reflector(shard_context& ctx, int fd, bool serial, server_probe& probe) {
  reactor& r = ctx.loop();
  cancel_token stop;
  ctx.cancel_at_stop(stop);
  {
    auto rx = r.recvmsg_multishot(fd);
    for (;;) {
      result<reactor::multishot::item> item = co_await rx->next(&stop);
      if (!item.ok()) break;
      const auto d = read_datagram(item.value().buffer.bytes(), rx->recvmsg_header());
      if (!d || d->payload.size() < token_size) continue;
      if (serial) {
        std::array<iovec, 2> iov{{{d->payload.data(), token_size},
                                  {const_cast<char*>(reply_tail.data()), reply_tail.size()}}};
        const msghdr m = reply_header(*d, iov);
        if ((co_await r.sendmsg(fd, &m)).ok()) ++probe.answered;
      } else {
        std::array<char, token_size> token;
        std::memcpy(token.data(), d->payload.data(), token_size);
        sockaddr_storage to;
        std::memcpy(&to, d->source, std::min<std::size_t>(d->source_length, sizeof to));
        r.spawn(reply_to(r, fd, token, to, d->source_length, probe));
      }
    }
  }
  ctx.forget(stop);
}

class runtime_server : public server {
 public:
  runtime_server(bool serial, bool coalesce) : _serial(serial), _coalesce(coalesce) {}
  ~runtime_server() override { stop(); }

  std::string start(int fd, unsigned cpu) override {
    shard_set_options o;
    o.cpus = {cpu};
    o.stop_grace = 100ms;
    if (_coalesce) {
      o.reactor.coalesce_window = 200us;
      o.reactor.coalesce_count = 32;
    }
    _shards = std::make_unique<shard_set>(o);
    return _shards->start([this, fd](shard_context& ctx) { return udp_reflector(ctx, fd, _serial, probe); });
  }

  bool mark(int which) override {
    _shards->post_to_all([this, which](shard_context&) { probe.mark(which); });
    return probe.wait(which);
  }

  void stop() override {
    if (!_shards) return;
    _shards->request_stop();
    _shards->join();
    _shards.reset();
  }

 private:
  bool _serial, _coalesce;
  std::unique_ptr<shard_set> _shards;
};

std::unique_ptr<server> make_server(std::string_view name) {
  if (name == "epoll") return std::make_unique<epoll_server>(false);
  if (name == "epoll-mmsg") return std::make_unique<epoll_server>(true);
  if (name == "runtime") return std::make_unique<runtime_server>(false, false);
  if (name == "runtime-serial") return std::make_unique<runtime_server>(true, false);
  if (name == "runtime-coalesce") return std::make_unique<runtime_server>(false, true);
  return nullptr;
}

// ---- the client ------------------------------------------------------------------------------

struct client_result {
  std::uint64_t sent = 0, received = 0;
  double offered_s = 0;               // how long the offered phase took
  std::vector<std::int64_t> latency;  // ns, one per reply
};

// Offers `rate` datagrams/s for `duration` to `server` from a connected socket, then drains the
// replies for up to 250 ms.
client_result run_client(const socket_address& server_address, unsigned rate, std::chrono::duration<double> duration) {
  client_result out;
  const std::uint64_t total = static_cast<std::uint64_t>(rate * duration.count());
  out.latency.reserve(total);
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  (void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &socket_buffer, sizeof socket_buffer);
  (void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &socket_buffer, sizeof socket_buffer);
  if (::connect(fd, server_address.get(), server_address.length) != 0) {
    std::perror("connect");
    ::close(fd);
    return out;
  }
  static thread_local char requests[batch][token_size + request_tail.size()];
  static thread_local char replies[batch][1024];
  std::array<iovec, batch> send_iov{}, recv_iov{};
  std::array<mmsghdr, batch> send_msg{}, recv_msg{};
  for (unsigned i = 0; i < batch; ++i) {
    std::memcpy(requests[i] + token_size, request_tail.data(), request_tail.size());
    send_iov[i] = {requests[i], sizeof requests[i]};
    send_msg[i].msg_hdr.msg_iov = &send_iov[i];
    send_msg[i].msg_hdr.msg_iovlen = 1;
    recv_iov[i] = {replies[i], sizeof replies[i]};
    recv_msg[i].msg_hdr.msg_iov = &recv_iov[i];
    recv_msg[i].msg_hdr.msg_iovlen = 1;
  }
  auto receive_all = [&] {
    bool any = false;
    for (;;) {
      const int got = ::recvmmsg(fd, recv_msg.data(), batch, MSG_DONTWAIT, nullptr);
      if (got <= 0) return any;
      any = true;
      const std::int64_t t = now_ns();
      for (int k = 0; k < got; ++k) {
        if (recv_msg[k].msg_len < token_size) continue;
        std::int64_t sent_at;
        std::memcpy(&sent_at, replies[k] + 8, sizeof sent_at);
        out.latency.push_back(t - sent_at);
        ++out.received;
      }
    }
  };

  const std::int64_t start = now_ns();
  const std::int64_t end = start + static_cast<std::int64_t>(duration.count() * 1e9);
  const double per_ns = rate / 1e9;
  pollfd p{fd, POLLIN, 0};
  while (out.sent < total) {
    const std::int64_t t = now_ns();
    if (t > end + 1'000'000'000) break;  // hopelessly behind: give up (bounded)
    const std::uint64_t due = std::min<std::uint64_t>(total, static_cast<std::uint64_t>(static_cast<double>(t - start) * per_ns) + 1);
    while (out.sent < due) {
      const unsigned n = static_cast<unsigned>(std::min<std::uint64_t>(due - out.sent, batch));
      const std::int64_t stamp = now_ns();
      for (unsigned k = 0; k < n; ++k) {
        const std::uint64_t seq = out.sent + k;
        std::memcpy(requests[k], &seq, 8);
        std::memcpy(requests[k] + 8, &stamp, 8);
      }
      const int sent = ::sendmmsg(fd, send_msg.data(), n, 0);
      if (sent <= 0) break;  // send buffer full (EAGAIN): counts as not sent yet
      out.sent += static_cast<unsigned>(sent);
    }
    if (receive_all()) continue;
    // Nothing came back: sleep until the next datagram is due or a reply arrives.
    const std::int64_t next_due = start + static_cast<std::int64_t>(static_cast<double>(out.sent) / per_ns);
    const std::int64_t wait = next_due - now_ns();
    if (wait > 2'000) {
      timespec ts{0, static_cast<long>(std::min<std::int64_t>(wait, 999'999'999))};
      (void)ppoll(&p, 1, &ts, nullptr);
    }
  }
  out.offered_s = static_cast<double>(now_ns() - start) * 1e-9;
  const std::int64_t drain_end = now_ns() + 250'000'000;
  while (out.received < out.sent && now_ns() < drain_end) {
    if (receive_all()) continue;
    timespec ts{0, 1'000'000};
    (void)ppoll(&p, 1, &ts, nullptr);
  }
  ::close(fd);
  return out;
}

// ---- one measurement, the table --------------------------------------------------------------

struct measurement {
  std::string server;
  unsigned rate = 0;
  double replies_per_s = 0;
  std::uint64_t sent = 0, lost = 0;
  double user_us = 0, system_us = 0, cpu_us = 0;  // server CPU per answered request
  double pairs_per_wake = 0;
  double p50_us = 0, p99_us = 0, p999_us = 0;
  bool ok = false;
};

double percentile(std::vector<std::int64_t>& v, double q) {
  if (v.empty()) return 0;
  const std::size_t i = std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(i), v.end());
  return static_cast<double>(v[i]) / 1000.0;
}

measurement measure(std::string_view name, unsigned rate, std::chrono::duration<double> duration,
                    unsigned server_cpu, unsigned client_cpu) {
  measurement m;
  m.server = std::string(name);
  m.rate = rate;
  const result<int> fd = open_listener(socket_kind::udp, *parse_socket_address("127.0.0.1:0"),
                                       {.receive_buffer = socket_buffer, .send_buffer = socket_buffer});
  if (!fd.ok()) {
    std::fprintf(stderr, "socket: %s\n", fd.err().message().c_str());
    return m;
  }
  const socket_address address = *local_address(fd.value());
  std::unique_ptr<server> s = make_server(name);
  if (const std::string why = s->start(fd.value(), server_cpu); !why.empty()) {
    std::fprintf(stderr, "%s: %s\n", m.server.c_str(), why.c_str());
    ::close(fd.value());
    return m;
  }
  std::this_thread::sleep_for(20ms);  // the server is waiting on its socket
  client_result c;
  std::thread client([&] {
    pin_to(client_cpu);
    pthread_setname_np(pthread_self(), "udp-client");
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
    if (!s->mark(1)) return;
    c = run_client(address, rate, duration);
  });
  client.join();
  const bool marked = s->mark(2);
  s->stop();
  ::close(fd.value());
  if (!marked || c.sent == 0) {
    std::fprintf(stderr, "%s at %u/s: no measurement\n", m.server.c_str(), rate);
    return m;
  }
  const server_probe& p = s->probe;
  const double answered = static_cast<double>(p.answered_at_end - p.answered_at_begin);
  m.sent = c.sent;
  m.lost = c.sent - c.received;
  m.replies_per_s = static_cast<double>(c.received) / c.offered_s;
  if (answered > 0) {
    m.user_us = (p.end.user_s - p.begin.user_s) * 1e6 / answered;
    m.system_us = (p.end.system_s - p.begin.system_s) * 1e6 / answered;
    m.cpu_us = m.user_us + m.system_us;
    const long wakes = p.end.voluntary_switches - p.begin.voluntary_switches;
    m.pairs_per_wake = wakes > 0 ? answered / static_cast<double>(wakes) : answered;
  }
  m.p50_us = percentile(c.latency, 0.50);
  m.p99_us = percentile(c.latency, 0.99);
  m.p999_us = percentile(c.latency, 0.999);
  m.ok = true;
  return m;
}

void print_header() {
  std::printf("%-17s %8s %10s %7s %9s %9s %9s %7s %8s %8s %9s\n", "server", "offered", "replies/s", "lost",
              "user/pair", "sys/pair", "cpu/pair", "pairs/", "p50", "p99", "p99.9");
  std::printf("%-17s %8s %10s %7s %9s %9s %9s %7s %8s %8s %9s\n", "", "/s", "", "", "us", "us", "us", "wake",
              "us", "us", "us");
}

void print_row(const measurement& m) {
  std::printf("%-17s %8u %10.0f %7llu %9.2f %9.2f %9.2f %7.1f %8.1f %8.1f %9.1f\n", m.server.c_str(), m.rate,
              m.replies_per_s, static_cast<unsigned long long>(m.lost), m.user_us, m.system_us,
              m.cpu_us, m.pairs_per_wake, m.p50_us, m.p99_us, m.p999_us);
  std::fflush(stdout);
}

std::vector<std::string> split(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    const std::size_t comma = s.find(',');
    out.emplace_back(s.substr(0, comma));
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return out;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n == 0 ? 0 : (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2);
}

int usage() {
  std::fprintf(stderr,
               "usage: sipring-udp-reflector [--servers=epoll,epoll-mmsg,runtime,runtime-serial,runtime-coalesce]\n"
               "         [--rates=20000,50000,100000] [--duration=2] [--runs=1] [--server-cpu=1] [--client-cpu=0]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> servers = {"epoll", "epoll-mmsg", "runtime", "runtime-serial", "runtime-coalesce"};
  std::vector<unsigned> rates = {20000, 50000, 100000};
  double duration = 2;
  unsigned runs = 1, server_cpu = 1, client_cpu = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    const std::size_t eq = a.find('=');
    if (eq == std::string_view::npos) return usage();
    const std::string_view key = a.substr(0, eq);
    const std::string value(a.substr(eq + 1));
    if (key == "--servers") {
      servers = split(value);
    } else if (key == "--rates") {
      rates.clear();
      for (const std::string& r : split(value)) rates.push_back(static_cast<unsigned>(std::stoul(r)));
    } else if (key == "--duration") {
      duration = std::stod(value);
    } else if (key == "--runs") {
      runs = static_cast<unsigned>(std::stoul(value));
    } else if (key == "--server-cpu") {
      server_cpu = static_cast<unsigned>(std::stoul(value));
    } else if (key == "--client-cpu") {
      client_cpu = static_cast<unsigned>(std::stoul(value));
    } else {
      return usage();
    }
  }
  for (const std::string& s : servers)
    if (!make_server(s)) return usage();
  if (duration <= 0 || duration > 10 || runs == 0 || runs > 20 || rates.empty()) return usage();

  std::printf("UDP reflector on loopback: %.1f s per rate, server thread on CPU %u, client on CPU %u, %u run(s)\n",
              duration, server_cpu, client_cpu, runs);
  std::map<std::pair<unsigned, std::string>, std::vector<measurement>> all;
  for (unsigned run = 0; run < runs; ++run) {
    if (runs > 1) std::printf("\nrun %u\n", run + 1);
    print_header();
    for (unsigned rate : rates) {
      for (const std::string& s : servers) {
        measurement m = measure(s, rate, std::chrono::duration<double>(duration), server_cpu, client_cpu);
        if (!m.ok) continue;
        print_row(m);
        all[{rate, s}].push_back(m);
      }
    }
  }
  if (runs > 1) {
    std::printf("\nmedians of %u runs (each column on its own)\n", runs);
    print_header();
    for (unsigned rate : rates) {
      for (const std::string& s : servers) {
        const auto& v = all[{rate, s}];
        if (v.empty()) continue;
        auto col = [&v](double measurement::*f) {
          std::vector<double> x;
          for (const measurement& m : v) x.push_back(m.*f);
          return median(x);
        };
        std::vector<double> lost;
        for (const measurement& m : v) lost.push_back(static_cast<double>(m.lost));
        measurement med;
        med.server = s;
        med.rate = rate;
        med.replies_per_s = col(&measurement::replies_per_s);
        med.lost = static_cast<std::uint64_t>(median(lost));
        med.user_us = col(&measurement::user_us);
        med.system_us = col(&measurement::system_us);
        med.cpu_us = col(&measurement::cpu_us);
        med.pairs_per_wake = col(&measurement::pairs_per_wake);
        med.p50_us = col(&measurement::p50_us);
        med.p99_us = col(&measurement::p99_us);
        med.p999_us = col(&measurement::p999_us);
        print_row(med);
      }
    }
  }
  return 0;
}
