// sipring-tls-idle: a server's memory per idle established connection (issue 6: at most 24 KiB
// per idle TLS connection; Kamailio spends 65-130 KB). It reads the server's VmRSS, opens N
// connections to it on loopback and completes each TLS handshake (OpenSSL's libssl, client
// role; TCP only with --plain), waits until the server's RSS settles, reads VmRSS again and
// prints (after - before) / N. Then it closes every connection with a reset (no TIME_WAIT left
// on the ports of repeated runs).
//
//   sipring-tls-idle --connect 127.0.0.1:5061 --count 10000 --server-pid PID
//                    [--ca ca.crt --server-name sip.a.test] [--plain] [--json]
//                    [--settle-seconds 2] [--max-seconds 300] [--hold-seconds 0] [--message]
//
// The client keeps nothing of a connection but its socket once the handshake is done (its SSL
// object is freed without a close_notify), so that its own memory stays small. Handshakes run
// one after another, which keeps the server below its max_handshakes limit. Bounded in count
// (--count at most 100000) and in time (--max-seconds for the whole run, 10 s per handshake).
// --message sends one OPTIONS over each connection once it is up and waits for the response
// header, so that the figure is that of a connection idle after a transaction (its receive
// buffers touched) rather than one that never carried SIP.
// --hold-seconds keeps the connections open that long after the measurement, to inspect the
// server (heaptrack, gdb, /proc/PID/smaps).

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;

struct options {
  sockaddr_in to{};
  bool have_to = false;
  long count = 1000;
  std::string ca;
  std::string server_name;
  long server_pid = 0;
  bool plain = false;
  bool json = false;
  double settle_seconds = 2.0;
  double max_seconds = 300.0;
  double hold_seconds = 0;
  bool message = false;
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "sipring-tls-idle: %s\n"
               "usage: sipring-tls-idle --connect IP:PORT --count N --server-pid PID [--ca FILE]\n"
               "       [--server-name NAME] [--plain] [--json] [--settle-seconds S] [--max-seconds S]\n"
               "       [--hold-seconds S] [--message]\n",
               why);
  std::exit(2);
}

std::optional<sockaddr_in> parse_address(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  const std::string host(text.substr(0, colon));
  if (::inet_pton(AF_INET, host.c_str(), &a.sin_addr) != 1) return std::nullopt;
  const long port = std::strtol(std::string(text.substr(colon + 1)).c_str(), nullptr, 10);
  if (port <= 0 || port > 65535) return std::nullopt;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  return a;
}

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) usage("missing value");
      return argv[++i];
    };
    if (a == "--connect") {
      const auto to = parse_address(value());
      if (!to) usage("--connect wants IPv4:PORT");
      o.to = *to;
      o.have_to = true;
    } else if (a == "--count") {
      o.count = std::strtol(value(), nullptr, 10);
    } else if (a == "--ca") {
      o.ca = value();
    } else if (a == "--server-name") {
      o.server_name = value();
    } else if (a == "--server-pid") {
      o.server_pid = std::strtol(value(), nullptr, 10);
    } else if (a == "--plain") {
      o.plain = true;
    } else if (a == "--json") {
      o.json = true;
    } else if (a == "--settle-seconds") {
      o.settle_seconds = std::strtod(value(), nullptr);
    } else if (a == "--message") {
      o.message = true;
    } else if (a == "--hold-seconds") {
      o.hold_seconds = std::strtod(value(), nullptr);
    } else if (a == "--max-seconds") {
      o.max_seconds = std::strtod(value(), nullptr);
    } else {
      usage("unknown option");
    }
  }
  if (!o.have_to) usage("--connect is required");
  if (o.server_pid <= 0) usage("--server-pid is required");
  if (o.count < 1 || o.count > 100000) usage("--count must be 1..100000");
  if (o.hold_seconds < 0 || o.hold_seconds > 3600) usage("--hold-seconds must be 0..3600");
  if (o.settle_seconds < 0.2 || o.settle_seconds > 60) usage("--settle-seconds must be 0.2..60");
  return o;
}

/// A line "Key:   1234 kB" of /proc/PID/status, in bytes; -1 when unreadable.
long long status_bytes(long pid, std::string_view key) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, key.size(), key) == 0 && line.size() > key.size() && line[key.size()] == ':')
      return std::strtoll(line.c_str() + key.size() + 1, nullptr, 10) * 1024;
  }
  return -1;
}

struct memory {
  long long rss = -1;   // VmRSS
  long long anon = -1;  // RssAnon
};

memory read_memory(long pid) { return {status_bytes(pid, "VmRSS"), status_bytes(pid, "RssAnon")}; }

/// Waits until VmRSS has not moved by more than 64 KiB for `settle` seconds (at most 10
/// settle periods), then answers it.
memory settle(long pid, double settle) {
  const auto period = std::chrono::duration<double>(settle);
  const auto give_up = clock_type::now() + 10 * period;
  memory last = read_memory(pid);
  auto stable_since = clock_type::now();
  while (clock_type::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const memory now = read_memory(pid);
    if (std::llabs(now.rss - last.rss) > 64 * 1024) stable_since = clock_type::now();
    last = now;
    if (clock_type::now() - stable_since >= period) break;
  }
  return last;
}

void raise_descriptor_limit(long want) {
  rlimit r{};
  if (::getrlimit(RLIMIT_NOFILE, &r) != 0) return;
  const rlim_t need = static_cast<rlim_t>(want) + 64;
  if (r.rlim_cur >= need) return;
  r.rlim_cur = std::min(need, r.rlim_max);
  ::setrlimit(RLIMIT_NOFILE, &r);
  if (r.rlim_cur < need)
    std::fprintf(stderr, "sipring-tls-idle: descriptor limit %llu is below the %ld needed\n",
                 static_cast<unsigned long long>(r.rlim_cur), want + 64);
}

int open_connection(const sockaddr_in& to) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  timeval tv{10, 0};  // bounds connect, and every read and write of the handshake
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

void close_with_reset(int fd) {
  linger l{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  ::close(fd);
}

SSL_CTX* make_client_context(const options& o) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (!ctx) return nullptr;
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  if (!o.ca.empty()) {
    if (SSL_CTX_load_verify_locations(ctx, o.ca.c_str(), nullptr) != 1) {
      std::fprintf(stderr, "sipring-tls-idle: cannot read --ca %s\n", o.ca.c_str());
      SSL_CTX_free(ctx);
      return nullptr;
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  }
  return ctx;
}

/// An OPTIONS to the server's domain over `fd` (Via names the connection's local address).
std::string options_request(int fd, const options& o, long n) {
  sockaddr_in local{};
  socklen_t len = sizeof local;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len);
  const std::string domain = o.server_name.empty() ? std::string("a.test") : o.server_name;
  const std::string id = std::to_string(n) + "-" + std::to_string(::getpid());
  return "OPTIONS sip:" + domain + " SIP/2.0\r\nVia: SIP/2.0/" + (o.plain ? "TCP" : "TLS") + " 127.0.0.1:" +
         std::to_string(ntohs(local.sin_port)) + ";branch=z9hG4bK-idle-" + id +
         "\r\nMax-Forwards: 70\r\nFrom: <sip:probe@" + domain + ">;tag=idle" + id + "\r\nTo: <sip:" + domain +
         ">\r\nCall-ID: idle-" + id + "@127.0.0.1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
}

/// Reads through `read` until a response's header section has arrived ("SIP/2.0 " first).
template <typename Read>
bool await_response(Read read) {
  std::string got;
  char buf[4096];
  while (got.size() < 65536) {
    const int n = read(buf, static_cast<int>(sizeof buf));
    if (n <= 0) return false;
    got.append(buf, static_cast<std::size_t>(n));
    if (got.find("\r\n\r\n") != std::string::npos) return got.compare(0, 8, "SIP/2.0 ") == 0;
  }
  return false;
}

bool exchange_plain(int fd, const options& o, long n) {
  const std::string req = options_request(fd, o, n);
  if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size())) return false;
  return await_response([fd](char* b, int size) { return static_cast<int>(::recv(fd, b, static_cast<std::size_t>(size), 0)); });
}

/// Completes one client handshake on `fd` (and with --message one OPTIONS transaction); the SSL
/// object is freed afterwards, the socket kept.
bool handshake(SSL_CTX* ctx, int fd, const options& o, std::string& version, long n) {
  SSL* ssl = SSL_new(ctx);
  if (!ssl) return false;
  SSL_set_fd(ssl, fd);
  if (!o.server_name.empty()) {
    SSL_set_tlsext_host_name(ssl, o.server_name.c_str());
    if (!o.ca.empty()) SSL_set1_host(ssl, o.server_name.c_str());
  }
  bool ok = SSL_connect(ssl) == 1;
  if (ok && version.empty()) version = SSL_get_version(ssl);
  if (ok && o.message) {
    const std::string req = options_request(fd, o, n);
    ok = SSL_write(ssl, req.data(), static_cast<int>(req.size())) == static_cast<int>(req.size()) &&
         await_response([ssl](char* b, int size) { return SSL_read(ssl, b, size); });
    if (!ok) std::fprintf(stderr, "sipring-tls-idle: no response to OPTIONS %ld\n", n);
  }
  if (!ok) ERR_print_errors_fp(stderr);
  SSL_free(ssl);  // no SSL_shutdown: nothing is sent, the connection stays up
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  const options o = parse(argc, argv);
  raise_descriptor_limit(o.count);
  const auto deadline = clock_type::now() + std::chrono::duration<double>(o.max_seconds);

  SSL_CTX* ctx = nullptr;
  if (!o.plain && !(ctx = make_client_context(o))) return 1;

  const memory before = settle(o.server_pid, 0.5);
  if (before.rss < 0) {
    std::fprintf(stderr, "sipring-tls-idle: cannot read /proc/%ld/status\n", o.server_pid);
    return 1;
  }
  std::vector<int> fds;
  fds.reserve(static_cast<std::size_t>(o.count));
  std::string version;
  long failed = 0;
  const auto start = clock_type::now();
  while (static_cast<long>(fds.size()) < o.count && clock_type::now() < deadline && failed < 10) {
    const int fd = open_connection(o.to);
    if (fd < 0) {
      std::fprintf(stderr, "sipring-tls-idle: connect %zu failed: %s\n", fds.size(), std::strerror(errno));
      ++failed;
      continue;
    }
    if (o.plain && o.message && !exchange_plain(fd, o, static_cast<long>(fds.size()))) {
      std::fprintf(stderr, "sipring-tls-idle: no response to OPTIONS %zu\n", fds.size());
      close_with_reset(fd);
      ++failed;
      continue;
    }
    if (!o.plain && !handshake(ctx, fd, o, version, static_cast<long>(fds.size()))) {
      std::fprintf(stderr, "sipring-tls-idle: handshake %zu failed\n", fds.size());
      close_with_reset(fd);
      ++failed;
      continue;
    }
    fds.push_back(fd);
  }
  const double open_seconds = std::chrono::duration<double>(clock_type::now() - start).count();
  const memory after = settle(o.server_pid, o.settle_seconds);
  // Is every connection still up? A server that closed some would read as 0 bytes here.
  long alive = 0;
  for (int fd : fds) {
    tcp_info info{};
    socklen_t len = sizeof info;
    if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len) == 0 && info.tcpi_state == TCP_ESTABLISHED) ++alive;
  }
  if (o.hold_seconds > 0) {
    std::fprintf(stderr, "sipring-tls-idle: measured; holding the connections %.0f s\n", o.hold_seconds);
    std::this_thread::sleep_for(std::chrono::duration<double>(o.hold_seconds));
  }
  for (int fd : fds) close_with_reset(fd);
  if (ctx) SSL_CTX_free(ctx);

  const long n = static_cast<long>(fds.size());
  const double per = n > 0 ? static_cast<double>(after.rss - before.rss) / static_cast<double>(n) : 0;
  const double per_anon = n > 0 ? static_cast<double>(after.anon - before.anon) / static_cast<double>(n) : 0;
  const char* kind = o.plain ? "tcp" : "tls";
  if (o.json) {
    std::printf("{\"transport\":\"%s\",\"message\":%s,\"connections\":%ld,\"alive\":%ld,\"rss_before\":%lld,\"rss_after\":%lld,"
                "\"bytes_per_connection\":%.0f,\"anon_bytes_per_connection\":%.0f,\"open_seconds\":%.2f,"
                "\"version\":\"%s\"}\n",
                kind, o.message ? "true" : "false", n, alive, before.rss, after.rss, per, per_anon, open_seconds, version.c_str());
  } else {
    std::printf("%s: %ld connections (%ld alive) opened in %.1f s%s%s\n", kind, n, alive, open_seconds,
                version.empty() ? "" : ", ", version.c_str());
    std::printf("server VmRSS %lld -> %lld KiB: %.0f bytes (%.1f KiB) per connection (RssAnon: %.0f bytes)\n",
                before.rss / 1024, after.rss / 1024, per, per / 1024, per_anon);
  }
  return n == o.count && alive == n ? 0 : 1;
}
