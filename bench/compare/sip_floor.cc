// sipring-sip-floor: the kernel floor for server CPU per SIP transaction on loopback
// (bench/compare/cpu_per_transaction.py). One thread, one UDP socket, blocking recvfrom and
// sendto, no SIP logic beyond finding header lines:
//   - a REGISTER is answered with a canned 200 OK carrying the request's Via, From, To (with a
//     To tag added when there is none), Call-ID and CSeq lines, back to its source;
//   - any other request (MESSAGE, INVITE, ACK, BYE, CANCEL ...) gets one Via line of ours on
//     top and goes to the fixed --target address;
//   - a response loses its top Via value and goes to the sent-by address of the next Via (to
//     the source of the last relayed request when that cannot be read).
// What a real server costs above this program is its SIP work; what this program costs is the
// two system calls per datagram and the loopback network stack under them.
//
//   sipring-sip-floor --listen 127.0.0.1:5070 --target 127.0.0.1:5071 [--max-seconds N]
//
// It prints "sip-floor: serving" once its socket is bound, then serves until SIGTERM/SIGINT
// or --max-seconds (default 3600) have passed: the loop is bounded in time.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace {

constexpr std::size_t max_datagram = 65536;

std::optional<sockaddr_in> parse_address(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string host(text.substr(0, colon));
  const std::string port(text.substr(colon + 1));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) return std::nullopt;
  char* end = nullptr;
  const long p = std::strtol(port.c_str(), &end, 10);
  if (end == port.c_str() || *end != '\0' || p <= 0 || p > 65535) return std::nullopt;
  addr.sin_port = htons(static_cast<uint16_t>(p));
  return addr;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

/// One header line (without its CRLF) and where it sits in the message.
struct line {
  std::size_t begin;  ///< offset of the first byte
  std::size_t end;    ///< offset of the CR (or LF)
  std::size_t next;   ///< offset of the line after it
};

/// The header lines of `msg`, one at a time (no folding: the floor does not need it).
class header_lines {
 public:
  explicit header_lines(std::string_view msg) : _msg(msg) {
    const auto eol = msg.find('\n');
    _pos = eol == std::string_view::npos ? msg.size() : eol + 1;
  }
  std::size_t body_offset() const { return _pos; }
  std::optional<line> next() {
    if (_pos >= _msg.size()) return std::nullopt;
    auto eol = _msg.find('\n', _pos);
    if (eol == std::string_view::npos) eol = _msg.size();
    std::size_t end = eol;
    if (end > _pos && _msg[end - 1] == '\r') --end;
    if (end == _pos) return std::nullopt;  // the empty line: headers are over
    const line l{_pos, end, eol < _msg.size() ? eol + 1 : eol};
    _pos = l.next;
    return l;
  }

 private:
  std::string_view _msg;
  std::size_t _pos;
};

/// The header name of a line ("Via", "v" ...), without the colon and trailing blanks.
std::string_view header_name(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return {};
  auto name = text.substr(0, colon);
  while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
  return name;
}

bool is_via(std::string_view name) { return iequals(name, "via") || iequals(name, "v"); }

/// The address in a Via value's sent-by ("SIP/2.0/UDP 127.0.0.1:5072;branch=..."); IPv4 only,
/// port 5060 when absent.
std::optional<sockaddr_in> via_sent_by(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  const auto space = value.find_first_of(" \t");
  if (space == std::string_view::npos) return std::nullopt;
  value.remove_prefix(space);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  const auto stop = value.find_first_of(";, \t");
  std::string host_port(value.substr(0, stop));
  if (host_port.find(':') == std::string::npos) host_port += ":5060";
  return parse_address(host_port);
}

class floor_server {
 public:
  floor_server(int fd, sockaddr_in self, sockaddr_in target)
      : _fd(fd), _target(target) {
    char host[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &self.sin_addr, host, sizeof host);
    _self = std::string(host) + ":" + std::to_string(ntohs(self.sin_port));
  }

  void handle(std::string_view msg, const sockaddr_in& from) {
    if (msg.size() < 8) return;
    if (msg.substr(0, 8) == "SIP/2.0 ") {
      relay_response(msg);
    } else if (msg.substr(0, 9) == "REGISTER ") {
      answer_register(msg, from);
    } else {
      relay_request(msg, from);
    }
  }

 private:
  void send(std::string_view data, const sockaddr_in& to) {
    ::sendto(_fd, data.data(), data.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
  }

  void answer_register(std::string_view msg, const sockaddr_in& from) {
    _out.clear();
    _out += "SIP/2.0 200 OK\r\n";
    header_lines lines(msg);
    while (auto l = lines.next()) {
      const auto text = msg.substr(l->begin, l->end - l->begin);
      const auto name = header_name(text);
      if (is_via(name) || iequals(name, "from") || iequals(name, "f") ||
          iequals(name, "call-id") || iequals(name, "i") || iequals(name, "cseq") ||
          iequals(name, "contact") || iequals(name, "m")) {
        _out += text;
        _out += "\r\n";
      } else if (iequals(name, "to") || iequals(name, "t")) {
        _out += text;
        if (text.find(";tag=") == std::string_view::npos) _out += ";tag=floor";
        _out += "\r\n";
      }
    }
    _out += "Content-Length: 0\r\n\r\n";
    send(_out, from);
  }

  void relay_request(std::string_view msg, const sockaddr_in& from) {
    _last_requester = from;
    const auto eol = msg.find('\n');
    if (eol == std::string_view::npos) return;
    _out.clear();
    _out += msg.substr(0, eol + 1);
    _out += "Via: SIP/2.0/UDP ";
    _out += _self;
    _out += ";branch=z9hG4bKfloor";
    _out += std::to_string(++_branch);
    _out += "\r\n";
    _out += msg.substr(eol + 1);
    send(_out, _target);
  }

  void relay_response(std::string_view msg) {
    _out.clear();
    header_lines lines(msg);
    std::size_t copied = 0;  // msg[0, copied) is in _out
    bool popped = false;
    std::optional<sockaddr_in> next_hop;
    while (auto l = lines.next()) {
      const auto text = msg.substr(l->begin, l->end - l->begin);
      if (!is_via(header_name(text))) continue;
      const auto value_at = text.find(':') + 1;
      if (!popped) {
        popped = true;
        const auto comma = text.find(',', value_at);
        _out += msg.substr(copied, l->begin - copied);
        if (comma == std::string_view::npos) {  // the whole line goes
          copied = l->next;
          continue;
        }
        // "Via: ours, theirs": keep "Via:" and what follows the comma.
        auto rest = comma + 1;
        while (rest < text.size() && (text[rest] == ' ' || text[rest] == '\t')) ++rest;
        _out += text.substr(0, value_at);
        _out += ' ';
        next_hop = via_sent_by(text.substr(rest));
        copied = l->begin + rest;
        break;
      }
      next_hop = via_sent_by(text.substr(value_at));
      break;
    }
    _out += msg.substr(copied);
    if (!next_hop) next_hop = _last_requester;
    if (next_hop) send(_out, *next_hop);
  }

  int _fd;
  sockaddr_in _target;
  std::string _self;
  std::string _out;
  std::optional<sockaddr_in> _last_requester;
  unsigned long _branch = 0;
};

volatile sig_atomic_t stop_requested = 0;
void on_stop(int) { stop_requested = 1; }

int usage() {
  std::fprintf(stderr,
               "usage: sipring-sip-floor --listen IPv4:PORT --target IPv4:PORT [--max-seconds N]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<sockaddr_in> listen_at, target;
  long max_seconds = 3600;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (i + 1 >= argc) return usage();
    const char* value = argv[++i];
    if (arg == "--listen") {
      listen_at = parse_address(value);
    } else if (arg == "--target") {
      target = parse_address(value);
    } else if (arg == "--max-seconds") {
      max_seconds = std::strtol(value, nullptr, 10);
    } else {
      return usage();
    }
  }
  if (!listen_at || !target || max_seconds <= 0) return usage();

  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) {
    std::perror("socket");
    return 1;
  }
  const int buffer = 4 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer);
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&*listen_at), sizeof *listen_at) != 0) {
    std::perror("bind");
    return 1;
  }
  // recvfrom wakes at least once a second, so that the deadline and signals are seen.
  timeval tick{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof tick);
  struct sigaction sa{};
  sa.sa_handler = on_stop;
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);

  std::printf("sip-floor: serving\n");
  std::fflush(stdout);

  floor_server server(fd, *listen_at, *target);
  static char buf[max_datagram];
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(max_seconds);
  unsigned long handled = 0;
  while (!stop_requested) {
    sockaddr_in from{};
    socklen_t from_len = sizeof from;
    const ssize_t got =
        ::recvfrom(fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &from_len);
    if (got > 0) {
      server.handle(std::string_view(buf, static_cast<std::size_t>(got)), from);
      if (++handled % 4096 != 0 || std::chrono::steady_clock::now() < deadline) continue;
      break;
    }
    if (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      std::perror("recvfrom");
      return 1;
    }
    if (std::chrono::steady_clock::now() >= deadline) break;
  }
  ::close(fd);
  return 0;
}
