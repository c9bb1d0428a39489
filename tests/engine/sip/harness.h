#pragma once
// Drives transactions by hand: a timer wheel whose time the test sets, a send function that
// records what it sends (or fails on demand), a TU that logs its events, messages parsed from
// text.

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sipring/parser/parse.h"
#include "sipring/sip/transaction_table.h"

namespace sipring::sip::test {

using namespace std::chrono_literals;
using clock_type = runtime::timer_wheel::clock;

/// A message parsed from text; not movable (the view points into it).
struct parsed {
  explicit parsed(std::string s) : text(std::move(s)) {
    const auto r = parser::parse(text, storage);
    EXPECT_TRUE(r.ok()) << text;
    m = r.message;
  }
  parsed(const parsed&) = delete;
  std::string text;
  std::array<parser::header_field, 64> storage;
  parser::message_view m;
};

inline std::unique_ptr<parsed> msg(std::string s) { return std::make_unique<parsed>(std::move(s)); }

struct sent_message {
  std::int64_t at_ms;
  transport::flow to;
  std::string bytes;
};

struct harness {
  clock_type::time_point t0{};
  clock_type::time_point now = t0;
  runtime::timer_wheel wheel{t0};
  std::vector<sent_message> sent;
  bool fail_send = false;
  std::vector<std::string> events;  ///< "<event>@<ms>"
  transaction_table table{make_env()};

  transaction_env make_env() {
    transaction_env e;
    e.wheel = &wheel;
    e.now = &now;
    e.send = &record_send;
    e.send_context = this;
    e.timers.timer_c = std::chrono::seconds(181);
    return e;
  }

  std::int64_t ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(now - t0).count();
  }

  static bool record_send(void* ctx, const transport::flow& to, std::span<const iovec> bytes) noexcept {
    auto* h = static_cast<harness*>(ctx);
    if (h->fail_send) return false;
    std::string s;
    for (const iovec& v : bytes) s.append(static_cast<const char*>(v.iov_base), v.iov_len);
    h->sent.push_back({h->ms(), to, std::move(s)});
    return true;
  }

  /// Moves time to t0 + `t`, firing every timer on the way at its own deadline.
  void run_until(std::chrono::milliseconds t) {
    const auto target = t0 + t;
    while (auto next = wheel.next_wakeup()) {
      if (*next > target) break;
      if (*next > now) now = *next;
      wheel.advance(now);
    }
    now = target;
    wheel.advance(now);
  }
  /// run_until(now + d).
  void run_for(std::chrono::milliseconds d) {
    run_until(std::chrono::duration_cast<std::chrono::milliseconds>(now - t0) + d);
  }

  /// The times (ms) of the sent messages whose first line starts with `start`.
  std::vector<std::int64_t> sent_times(std::string_view start) const {
    std::vector<std::int64_t> out;
    for (const auto& s : sent)
      if (std::string_view(s.bytes).substr(0, start.size()) == start) out.push_back(s.at_ms);
    return out;
  }

  void log(std::string e) { events.push_back(e + "@" + std::to_string(ms())); }

  // TU callbacks: the user pointer is the harness.
  static void on_response(void* u, client_transaction&, const parser::message_view& r) noexcept {
    static_cast<harness*>(u)->log("response " + std::to_string(r.status_code()));
  }
  static void on_timeout(void* u, client_transaction&) noexcept { static_cast<harness*>(u)->log("timeout"); }
  static void on_ct_error(void* u, client_transaction&) noexcept {
    static_cast<harness*>(u)->log("transport_error");
  }
  static void on_timer_c(void* u, client_transaction&) noexcept { static_cast<harness*>(u)->log("timer_c"); }
  static void on_ct_end(void* u, client_transaction&) noexcept { static_cast<harness*>(u)->log("terminated"); }
  static void on_ack_timeout(void* u, server_transaction&) noexcept {
    static_cast<harness*>(u)->log("ack_timeout");
  }
  static void on_st_error(void* u, server_transaction&) noexcept {
    static_cast<harness*>(u)->log("transport_error");
  }
  static void on_st_end(void* u, server_transaction&) noexcept { static_cast<harness*>(u)->log("terminated"); }

  static constexpr client_callbacks client_tu{&on_response, &on_timeout, &on_ct_error, &on_timer_c,
                                              &on_ct_end};
  static constexpr server_callbacks server_tu{&on_ack_timeout, &on_st_error, &on_st_end};
};

/// The client transaction a response (its text) matches, or null.
inline client_transaction* find_response(transaction_table& t, std::string text) {
  const auto p = msg(std::move(text));
  client_key k;
  return client_key_of(p->m, k) ? t.find_client(k) : nullptr;
}

inline transport::flow udp_flow(std::uint16_t port = 5060) {
  transport::flow f;
  f.transport = transport::protocol::udp;
  EXPECT_TRUE(transport::peer_address::from_ip("192.0.2.4", port, f.remote));
  return f;
}

inline transport::flow tcp_flow() {
  transport::flow f = udp_flow();
  f.transport = transport::protocol::tcp;
  f.connection = {3, 1};
  return f;
}

inline constexpr std::string_view proxy_branch = "z9hG4bKsr0.0123456789abcdef";

/// A request as a proxy forwards it (its own Via on top, two Route lines).
inline std::string forwarded_request(std::string_view method = "INVITE",
                                     std::string_view branch = proxy_branch) {
  std::string m(method);
  return m + " sip:bob@192.0.2.4 SIP/2.0\r\n"
             "Via: SIP/2.0/UDP proxy.example.com;branch=" + std::string(branch) + "\r\n"
             "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8;received=192.0.2.1\r\n"
             "Max-Forwards: 69\r\n"
             "Route: <sip:p2.example.com;lr>\r\n"
             "Route: <sip:p3.example.com;lr>\r\n"
             "To: Bob <sip:bob@biloxi.com>\r\n"
             "From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
             "Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n"
             "CSeq: 314159 " + m + "\r\n"
             "Contact: <sip:alice@pc33.atlanta.com>\r\n"
             "Content-Length: 0\r\n\r\n";
}

/// A response to forwarded_request().
inline std::string response_to(int status, std::string_view method = "INVITE",
                               std::string_view branch = proxy_branch) {
  return "SIP/2.0 " + std::to_string(status) + " Whatever\r\n"
         "Via: SIP/2.0/UDP proxy.example.com;branch=" + std::string(branch) + "\r\n"
         "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8;received=192.0.2.1\r\n"
         "To: Bob <sip:bob@biloxi.com>" + std::string(status > 100 ? ";tag=a6c85cf" : "") + "\r\n"
         "From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
         "Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n"
         "CSeq: 314159 " + std::string(method) + "\r\n"
         "Content-Length: 0\r\n\r\n";
}

/// A request as a UA sends it to us (server side), with a given top Via.
inline std::string incoming_request(std::string_view method,
                                    std::string_view branch = "z9hG4bK74bf9",
                                    std::string_view sent_by = "pc33.atlanta.com:5060",
                                    std::string_view cseq_method = {}) {
  std::string m(method);
  const std::string cm = cseq_method.empty() ? m : std::string(cseq_method);
  return m + " sip:bob@biloxi.com SIP/2.0\r\n"
             "Via: SIP/2.0/UDP " + std::string(sent_by) + ";branch=" + std::string(branch) + "\r\n"
             "Max-Forwards: 70\r\n"
             "To: Bob <sip:bob@biloxi.com>\r\n"
             "From: Alice <sip:alice@atlanta.com>;tag=9fxced76sl\r\n"
             "Call-ID: 3848276298220188511@atlanta.example.com\r\n"
             "CSeq: 2 " + cm + "\r\n"
             "Content-Length: 0\r\n\r\n";
}

/// A response we send for incoming_request() (its bytes only matter to the recorder).
inline std::string our_response(int status, std::string_view method = "INVITE") {
  return "SIP/2.0 " + std::to_string(status) + " X\r\n"
         "Via: SIP/2.0/UDP pc33.atlanta.com:5060;branch=z9hG4bK74bf9\r\n"
         "To: Bob <sip:bob@biloxi.com>;tag=314\r\n"
         "From: Alice <sip:alice@atlanta.com>;tag=9fxced76sl\r\n"
         "Call-ID: 3848276298220188511@atlanta.example.com\r\n"
         "CSeq: 2 " + std::string(method) + "\r\n"
         "Content-Length: 0\r\n\r\n";
}

}  // namespace sipring::sip::test
