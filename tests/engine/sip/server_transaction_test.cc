#include "sipring/sip/server_transaction.h"

#include <gtest/gtest.h>

#include "harness.h"

namespace sipring::sip::test {
namespace {

using strings = std::vector<std::string>;
using times = std::vector<std::int64_t>;

struct incoming {
  std::unique_ptr<parsed> p;
  server_key key;
};

incoming request(std::string_view method, std::string_view branch = "z9hG4bK74bf9") {
  incoming r{msg(incoming_request(method, branch)), {}};
  EXPECT_TRUE(server_key_of(r.p->m, r.key));
  return r;
}

server_transaction* start(harness& h, std::string_view method, const transport::flow& from) {
  const auto r = request(method);
  EXPECT_EQ(h.table.find_server(r.key), nullptr);
  return h.table.create_server(r.key, from, harness::server_tu, &h);
}

// The request (or its ACK) arrives again; it must match `st`.
bool again(harness& h, server_transaction* st, std::string_view method) {
  const auto r = request(method);
  EXPECT_EQ(h.table.find_server(r.key), st);
  return st->receive_request(r.p->m);
}

// Figure 7: INVITE retransmissions before any response are absorbed silently; after a
// provisional they get it again.
TEST(ServerInvite, ProceedingAbsorbsRetransmissions) {
  harness h;
  auto* st = start(h, "INVITE", udp_flow());
  EXPECT_EQ(st->state(), server_state::proceeding);
  EXPECT_TRUE(st->is_invite());
  EXPECT_TRUE(again(h, st, "INVITE"));
  EXPECT_TRUE(h.sent.empty());
  EXPECT_TRUE(st->respond(100, our_response(100)));
  EXPECT_TRUE(st->respond(180, our_response(180)));
  h.run_until(300ms);
  EXPECT_TRUE(again(h, st, "INVITE"));
  EXPECT_EQ(h.sent_times("SIP/2.0 100"), (times{0}));
  EXPECT_EQ(h.sent_times("SIP/2.0 180"), (times{0, 300}));
  EXPECT_EQ(st->last_status(), 180);
  EXPECT_EQ(h.sent.back().to.remote, udp_flow().remote);
  h.run_until(600000ms);
  EXPECT_EQ(st->state(), server_state::proceeding) << "no timer in Proceeding";
  EXPECT_TRUE(h.events.empty());
}

// Completed: Timer G doubles from T1 up to T2; Timer H (64·T1) -> ack_timeout.
TEST(ServerInvite, TimerGCappedAtT2ThenTimerH) {
  harness h;
  auto* st = start(h, "INVITE", udp_flow());
  h.run_until(1000ms);
  EXPECT_TRUE(st->respond(486, our_response(486)));
  EXPECT_EQ(st->state(), server_state::completed);
  h.run_until(1000ms + 31999ms);
  EXPECT_EQ(h.sent_times("SIP/2.0 486"),
            (times{1000, 1500, 2500, 4500, 8500, 12500, 16500, 20500, 24500, 28500, 32500}));
  EXPECT_TRUE(h.events.empty());
  h.run_until(33000ms);
  EXPECT_EQ(h.events, (strings{"ack_timeout@33000", "terminated@33000"}));
  EXPECT_EQ(h.table.size(), 0u);
  EXPECT_EQ(h.wheel.size(), 0u);
}

// Completed: retransmitted INVITEs get the final again; a second final is dropped; the ACK
// moves to Confirmed (G and H stop) and Timer I (T4) ends it.
TEST(ServerInvite, AckConfirmsThenTimerI) {
  harness h;
  auto* st = start(h, "INVITE", udp_flow());
  EXPECT_TRUE(st->respond(404, our_response(404)));
  h.run_until(200ms);
  EXPECT_TRUE(again(h, st, "INVITE"));
  EXPECT_TRUE(st->respond(500, our_response(500)));  // dropped
  EXPECT_TRUE(st->respond(180, our_response(180)));  // dropped
  h.run_until(700ms);
  EXPECT_TRUE(again(h, st, "ACK"));
  EXPECT_EQ(st->state(), server_state::confirmed);
  EXPECT_TRUE(again(h, st, "ACK"));     // absorbed
  EXPECT_TRUE(again(h, st, "INVITE"));  // absorbed
  h.run_until(5699ms);
  EXPECT_EQ(h.sent_times("SIP/2.0 404"), (times{0, 200, 500}));
  EXPECT_EQ(h.sent.size(), 3u);
  EXPECT_TRUE(h.events.empty());
  h.run_until(5700ms);
  EXPECT_EQ(h.events, (strings{"terminated@5700"}));
  EXPECT_EQ(h.table.size(), 0u);
}

// Reliable: no Timer G, Timer I = 0; Timer H still applies.
TEST(ServerInvite, Reliable) {
  harness h;
  auto* st = start(h, "INVITE", tcp_flow());
  EXPECT_TRUE(st->reliable());
  EXPECT_TRUE(st->respond(486, our_response(486)));
  h.run_until(1000ms);
  EXPECT_TRUE(again(h, st, "ACK"));
  EXPECT_EQ(st->state(), server_state::confirmed);
  EXPECT_TRUE(h.events.empty()) << "not inside receive_request";
  h.run_until(1001ms);
  EXPECT_EQ(h.events, (strings{"terminated@1001"}));
  EXPECT_EQ(h.sent_times("SIP/2.0 486"), (times{0}));

  harness h2;
  auto* st2 = start(h2, "INVITE", tcp_flow());
  EXPECT_TRUE(st2->respond(486, our_response(486)));
  h2.run_until(32000ms);
  EXPECT_EQ(h2.events, (strings{"ack_timeout@32000", "terminated@32000"}));
  EXPECT_EQ(h2.sent.size(), 1u);
}

// RFC 6026 Accepted: INVITE retransmissions absorbed (no resend), ACK goes to the TU, the TU's
// 2xx retransmissions are sent, non-2xx dropped, Timer L (64·T1) ends it.
TEST(ServerInvite, AcceptedThenTimerL) {
  harness h;
  auto* st = start(h, "INVITE", udp_flow());
  EXPECT_TRUE(st->respond(180, our_response(180)));
  h.run_until(100ms);
  EXPECT_TRUE(st->respond(200, our_response(200)));
  EXPECT_EQ(st->state(), server_state::accepted);
  h.run_until(600ms);
  EXPECT_TRUE(again(h, st, "INVITE"));
  EXPECT_TRUE(st->respond(200, our_response(200)));  // the TU's retransmission
  EXPECT_TRUE(st->respond(486, our_response(486)));  // dropped
  EXPECT_FALSE(again(h, st, "ACK")) << "the ACK for a 2xx is the TU's";
  h.run_until(32099ms);
  EXPECT_EQ(h.sent_times("SIP/2.0 200"), (times{100, 600}));
  EXPECT_EQ(h.sent.size(), 3u);
  EXPECT_TRUE(h.events.empty());
  h.run_until(32100ms);
  EXPECT_EQ(h.events, (strings{"terminated@32100"}));
}

// Figure 8: Trying absorbs silently; Proceeding answers with the last provisional; Completed
// with the final; Timer J (64·T1) ends it.
TEST(ServerNonInvite, TryingProceedingCompletedTimerJ) {
  harness h;
  auto* st = start(h, "REGISTER", udp_flow());
  EXPECT_EQ(st->state(), server_state::trying);
  EXPECT_FALSE(st->is_invite());
  EXPECT_TRUE(again(h, st, "REGISTER"));
  EXPECT_TRUE(h.sent.empty());
  h.run_until(100ms);
  EXPECT_TRUE(st->respond(100, our_response(100, "REGISTER")));
  EXPECT_EQ(st->state(), server_state::proceeding);
  h.run_until(200ms);
  EXPECT_TRUE(again(h, st, "REGISTER"));
  h.run_until(300ms);
  EXPECT_TRUE(st->respond(200, our_response(200, "REGISTER")));
  EXPECT_EQ(st->state(), server_state::completed);
  EXPECT_TRUE(st->respond(500, our_response(500, "REGISTER")));  // dropped
  h.run_until(400ms);
  EXPECT_TRUE(again(h, st, "REGISTER"));
  EXPECT_EQ(h.sent_times("SIP/2.0 100"), (times{100, 200}));
  EXPECT_EQ(h.sent_times("SIP/2.0 200"), (times{300, 400}));
  EXPECT_EQ(h.sent.size(), 4u);
  h.run_until(32299ms);
  EXPECT_EQ(h.sent.size(), 4u) << "no retransmission of a non-INVITE final";
  EXPECT_TRUE(h.events.empty());
  h.run_until(32300ms);
  EXPECT_EQ(h.events, (strings{"terminated@32300"}));
  EXPECT_EQ(h.table.size(), 0u);
}

TEST(ServerNonInvite, FinalFromTryingReliableTimerJZero) {
  harness h;
  auto* st = start(h, "OPTIONS", tcp_flow());
  h.run_until(50ms);
  EXPECT_TRUE(st->respond(200, our_response(200, "OPTIONS")));
  EXPECT_EQ(st->state(), server_state::completed);
  EXPECT_TRUE(h.events.empty());
  h.run_until(51ms);
  EXPECT_EQ(h.events, (strings{"terminated@51"}));
}

// §17.2.4: a failing send terminates at once (no longer matched) and is reported at the next
// tick; respond() says so.
TEST(ServerTransportError, Respond) {
  harness h;
  auto* st = start(h, "INVITE", udp_flow());
  h.fail_send = true;
  EXPECT_FALSE(st->respond(100, our_response(100)));
  EXPECT_EQ(st->state(), server_state::terminated);
  EXPECT_EQ(h.table.find_server(request("INVITE").key), nullptr);
  EXPECT_FALSE(st->respond(180, our_response(180)));
  EXPECT_TRUE(h.events.empty());
  h.run_until(1ms);
  EXPECT_EQ(h.events, (strings{"transport_error@0", "terminated@0"}));
  EXPECT_EQ(h.table.size(), 0u);
}

TEST(ServerTransportError, RetransmissionAbsorption) {
  harness h;
  auto* st = start(h, "BYE", udp_flow());
  EXPECT_TRUE(st->respond(200, our_response(200, "BYE")));
  h.fail_send = true;
  EXPECT_TRUE(again(h, st, "BYE"));
  h.run_until(1ms);
  EXPECT_EQ(h.events, (strings{"transport_error@0", "terminated@0"}));
}

TEST(ServerTransportError, TimerG) {
  harness h;
  auto* st = start(h, "INVITE", udp_flow());
  EXPECT_TRUE(st->respond(603, our_response(603)));
  h.run_until(1000ms);
  h.fail_send = true;
  h.run_until(5000ms);
  EXPECT_EQ(h.events, (strings{"transport_error@1500", "terminated@1500"}));
}

TEST(ServerTransaction, GatherListIsCopied) {
  harness h;
  auto* st = start(h, "INVITE", udp_flow());
  std::string a = "SIP/2.0 486 Busy\r\n", b = our_response(486).substr(18);
  const iovec v[2] = {{a.data(), a.size()}, {b.data(), b.size()}};
  EXPECT_TRUE(st->respond(486, std::span<const iovec>(v, 2)));
  a.assign(a.size(), 'x');
  h.run_until(500ms);
  ASSERT_EQ(h.sent.size(), 2u);
  EXPECT_EQ(h.sent[1].bytes, "SIP/2.0 486 Busy\r\n" + b);
  EXPECT_EQ(server_state_name(st->state()), "completed");
}

}  // namespace
}  // namespace sipring::sip::test
