#include "sipring/sip/client_transaction.h"

#include <gtest/gtest.h>

#include "harness.h"
#include "sipring/sip/ack_cancel.h"

namespace sipring::sip::test {
namespace {

using strings = std::vector<std::string>;
using times = std::vector<std::int64_t>;

client_transaction* start(harness& h, std::string_view method, const transport::flow& to,
                          bool timer_c = false) {
  client_options o;
  o.method = method;
  o.branch = proxy_branch;
  o.to = to;
  o.timer_c = timer_c;
  return h.table.create_client(forwarded_request(method), o, harness::client_tu, &h);
}

void feed(harness& h, client_transaction* ct, int status, std::string_view method = "INVITE") {
  const auto r = msg(response_to(status, method));
  client_key k;
  ASSERT_TRUE(client_key_of(r->m, k));
  ASSERT_EQ(h.table.find_client(k), ct);
  ct->receive_response(r->m);
}

// Figure 5, Calling: Timer A doubles from T1 (unreliable), Timer B ends it at 64·T1.
TEST(ClientInvite, TimerAThenTimerB) {
  harness h;
  auto* ct = start(h, "INVITE", udp_flow());
  EXPECT_EQ(ct->state(), client_state::calling);
  EXPECT_TRUE(ct->is_invite());
  EXPECT_FALSE(ct->reliable());
  EXPECT_EQ(h.table.client_count(), 1u);
  h.run_until(31999ms);
  EXPECT_EQ(h.sent_times("INVITE"), (times{0, 500, 1500, 3500, 7500, 15500, 31500}));
  EXPECT_TRUE(h.events.empty());
  h.run_until(32000ms);
  EXPECT_EQ(h.events, (strings{"timeout@32000", "terminated@32000"}));
  EXPECT_EQ(h.table.size(), 0u);
  EXPECT_EQ(h.wheel.size(), 0u);
  EXPECT_EQ(h.sent.front().bytes, forwarded_request());
  EXPECT_EQ(h.sent.front().to.remote, udp_flow().remote);
}

TEST(ClientInvite, ConfigurableT1) {
  harness h;
  transaction_env env = h.table.env();
  env.timers.t1 = 100ms;
  transaction_table table(env);
  client_options o{"INVITE", proxy_branch, udp_flow(), false};
  table.create_client(forwarded_request(), o, harness::client_tu, &h);
  h.run_until(6400ms);
  EXPECT_EQ(h.sent_times("INVITE"), (times{0, 100, 300, 700, 1500, 3100, 6300}));
  EXPECT_EQ(h.events, (strings{"timeout@6400", "terminated@6400"}));
}

// Reliable: no Timer A, Timer B still runs.
TEST(ClientInvite, ReliableNoRetransmission) {
  harness h;
  auto* ct = start(h, "INVITE", tcp_flow());
  EXPECT_TRUE(ct->reliable());
  h.run_until(32000ms);
  EXPECT_EQ(h.sent_times("INVITE"), (times{0}));
  EXPECT_EQ(h.events, (strings{"timeout@32000", "terminated@32000"}));
}

// Calling -> Proceeding on 1xx: A and B stop; every provisional goes up.
TEST(ClientInvite, ProvisionalStopsAAndB) {
  harness h;
  auto* ct = start(h, "INVITE", udp_flow());
  h.run_until(600ms);
  feed(h, ct, 100);
  EXPECT_EQ(ct->state(), client_state::proceeding);
  h.run_until(700ms);
  feed(h, ct, 180);
  h.run_until(100000ms);
  EXPECT_EQ(h.sent_times("INVITE"), (times{0, 500}));
  EXPECT_EQ(h.events, (strings{"response 100@600", "response 180@700"}));
  EXPECT_EQ(ct->state(), client_state::proceeding);
  feed(h, ct, 183);
  EXPECT_EQ(h.events.back(), "response 183@100000");
}

// Completed on 300-699: the ACK is sent to the same flow, the final goes up once,
// retransmitted finals are ACKed again and absorbed, Timer D ends it at 32 s.
TEST(ClientInvite, NonSuccessFinalAckAndTimerD) {
  harness h;
  auto* ct = start(h, "INVITE", udp_flow());
  h.run_until(100ms);
  feed(h, ct, 180);
  h.run_until(1000ms);
  feed(h, ct, 486);
  EXPECT_EQ(ct->state(), client_state::completed);
  ASSERT_EQ(h.sent.size(), 2u);
  std::string expected;
  ASSERT_TRUE(build_ack(forwarded_request(), msg(response_to(486))->m, expected));
  EXPECT_EQ(h.sent[1].bytes, expected);
  EXPECT_EQ(ct->ack(), expected);
  EXPECT_EQ(h.sent[1].to.remote, udp_flow().remote);
  h.run_until(2000ms);
  feed(h, ct, 486);  // retransmission: ACKed again, not passed up
  h.run_until(3000ms);
  feed(h, ct, 486);
  EXPECT_EQ(h.sent_times("ACK"), (times{1000, 2000, 3000}));
  EXPECT_EQ(h.events, (strings{"response 180@100", "response 486@1000"}));
  h.run_until(32999ms);
  EXPECT_EQ(h.table.size(), 1u);
  h.run_until(33000ms);
  EXPECT_EQ(h.events.back(), "terminated@33000");
  EXPECT_EQ(h.table.size(), 0u);
}

TEST(ClientInvite, AckGoesFromCallingToo) {
  harness h;
  auto* ct = start(h, "INVITE", udp_flow());
  h.run_until(700ms);
  feed(h, ct, 603);
  EXPECT_EQ(h.sent_times("INVITE"), (times{0, 500}));
  EXPECT_EQ(h.sent_times("ACK"), (times{700}));
  h.run_until(10000ms);
  EXPECT_EQ(h.sent_times("INVITE"), (times{0, 500})) << "Timer A stopped";
  h.run_until(40000ms);
  EXPECT_EQ(h.events, (strings{"response 603@700", "terminated@32700"})) << "no Timer B";
}

// Reliable: Timer D is 0; terminated comes at the next advance, not inside receive_response.
TEST(ClientInvite, ReliableTimerDZero) {
  harness h;
  auto* ct = start(h, "INVITE", tcp_flow());
  h.run_until(100ms);
  feed(h, ct, 404);
  EXPECT_EQ(h.events, (strings{"response 404@100"}));
  EXPECT_EQ(h.sent_times("ACK"), (times{100}));
  EXPECT_EQ(h.table.size(), 1u);
  h.run_until(100ms);
  EXPECT_EQ(h.table.size(), 1u) << "a zero timer waits for the wheel's next tick";
  h.run_until(101ms);
  EXPECT_EQ(h.events, (strings{"response 404@100", "terminated@101"}));
  EXPECT_EQ(h.table.size(), 0u);
}

// RFC 6026: 2xx -> Accepted; every 2xx goes up; Timer M = 64·T1 ends it.
TEST(ClientInvite, AcceptedPassesEvery2xxUntilTimerM) {
  harness h;
  auto* ct = start(h, "INVITE", udp_flow());
  h.run_until(200ms);
  feed(h, ct, 200);
  EXPECT_EQ(ct->state(), client_state::accepted);
  h.run_until(1000ms);
  feed(h, ct, 200);
  feed(h, ct, 180);  // ignored
  feed(h, ct, 486);  // ignored, no ACK
  h.run_until(32199ms);
  EXPECT_EQ(h.sent_times("INVITE"), (times{0}));
  EXPECT_TRUE(h.sent_times("ACK").empty()) << "the TU ACKs 2xx";
  EXPECT_EQ(h.events, (strings{"response 200@200", "response 200@1000"}));
  h.run_until(32200ms);
  EXPECT_EQ(h.events.back(), "terminated@32200");
  EXPECT_EQ(h.table.size(), 0u);
}

TEST(ClientInvite, AcceptedFromProceeding) {
  harness h;
  auto* ct = start(h, "INVITE", tcp_flow());
  feed(h, ct, 180);
  h.run_until(5000ms);
  feed(h, ct, 200);
  h.run_until(5000ms + 32000ms);
  EXPECT_EQ(h.events, (strings{"response 180@0", "response 200@5000", "terminated@37000"}));
}

// Timer C (§16.6 step 11): reset by 101-199 (not 100), stopped by a final; the transaction goes on.
TEST(ClientInvite, TimerC) {
  harness h;
  auto* ct = start(h, "INVITE", tcp_flow(), /*timer_c=*/true);
  h.run_until(1000ms);
  feed(h, ct, 100);  // does not reset C
  h.run_until(10000ms);
  feed(h, ct, 180);  // C now due at 191 s
  h.run_until(190999ms);
  EXPECT_EQ(h.events, (strings{"response 100@1000", "response 180@10000"}));
  h.run_until(191000ms);
  EXPECT_EQ(h.events.back(), "timer_c@191000");
  EXPECT_EQ(ct->state(), client_state::proceeding);
  // The proxy CANCELs; the INVITE still gets its 487.
  std::string cancel;
  ASSERT_TRUE(build_cancel(ct->request(), cancel));
  EXPECT_NE(cancel.find("CSeq: 314159 CANCEL\r\n"), std::string::npos);
  h.run_until(192000ms);
  feed(h, ct, 487);
  EXPECT_EQ(h.events.back(), "response 487@192000");
}

TEST(ClientInvite, TimerCFiresWithoutProvisionalAndStopsOnFinal) {
  harness h;
  transaction_env env = h.table.env();
  env.timers.timer_c = 20000ms;  // below B, to see it in Calling
  transaction_table table(env);
  client_options o{"INVITE", proxy_branch, udp_flow(), true};
  auto* ct = table.create_client(forwarded_request(), o, harness::client_tu, &h);
  h.run_until(20000ms);
  EXPECT_EQ(h.events, (strings{"timer_c@20000"}));
  EXPECT_EQ(ct->state(), client_state::calling);
  h.run_until(32000ms);
  EXPECT_EQ(h.events, (strings{"timer_c@20000", "timeout@32000", "terminated@32000"}));

  harness h2;
  transaction_table table2(transaction_env{&h2.wheel, &h2.now, &harness::record_send, &h2, env.timers});
  auto* ct2 = table2.create_client(forwarded_request(), o, harness::client_tu, &h2);
  h2.run_until(100ms);
  ct2->receive_response(msg(response_to(200))->m);
  h2.run_until(60000ms);
  EXPECT_EQ(h2.events, (strings{"response 200@100", "terminated@32100"})) << "no Timer C";
}

TEST(ClientInvite, TimerCOffByDefault) {
  harness h;
  auto* ct = start(h, "INVITE", tcp_flow());
  feed(h, ct, 180);
  h.run_until(600000ms);
  EXPECT_EQ(h.events, (strings{"response 180@0"}));
  EXPECT_EQ(h.table.size(), 1u) << "a proxy needs Timer C to end this";
}

// Figure 6: Timer E doubles from T1 up to T2, F ends it at 64·T1.
TEST(ClientNonInvite, TimerECappedAtT2ThenTimerF) {
  harness h;
  auto* ct = start(h, "OPTIONS", udp_flow());
  EXPECT_EQ(ct->state(), client_state::trying);
  EXPECT_FALSE(ct->is_invite());
  h.run_until(32000ms);
  EXPECT_EQ(h.sent_times("OPTIONS"),
            (times{0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500}));
  EXPECT_EQ(h.events, (strings{"timeout@32000", "terminated@32000"}));
  EXPECT_EQ(h.table.size(), 0u);
}

// Proceeding: E keeps its armed interval, then fires every T2; F still ends it.
TEST(ClientNonInvite, ProceedingRetransmitsAtT2) {
  harness h;
  auto* ct = start(h, "MESSAGE", udp_flow());
  h.run_until(600ms);
  feed(h, ct, 100, "MESSAGE");
  EXPECT_EQ(ct->state(), client_state::proceeding);
  h.run_until(32000ms);
  EXPECT_EQ(h.sent_times("MESSAGE"),
            (times{0, 500, 1500, 5500, 9500, 13500, 17500, 21500, 25500, 29500}));
  EXPECT_EQ(h.events, (strings{"response 100@600", "timeout@32000", "terminated@32000"}));
}

// Completed: finals absorbed, Timer K = T4.
TEST(ClientNonInvite, FinalThenTimerK) {
  harness h;
  auto* ct = start(h, "OPTIONS", udp_flow());
  h.run_until(800ms);
  feed(h, ct, 180, "OPTIONS");
  h.run_until(900ms);
  feed(h, ct, 200, "OPTIONS");
  EXPECT_EQ(ct->state(), client_state::completed);
  feed(h, ct, 200, "OPTIONS");
  feed(h, ct, 180, "OPTIONS");
  h.run_until(5899ms);
  EXPECT_EQ(h.sent_times("OPTIONS"), (times{0, 500})) << "E stopped";
  EXPECT_EQ(h.events, (strings{"response 180@800", "response 200@900"}));
  h.run_until(5900ms);
  EXPECT_EQ(h.events.back(), "terminated@5900");
  EXPECT_EQ(h.table.size(), 0u);
}

TEST(ClientNonInvite, ReliableTimerKZero) {
  harness h;
  auto* ct = start(h, "OPTIONS", tcp_flow());
  h.run_until(31999ms);
  EXPECT_EQ(h.sent_times("OPTIONS"), (times{0})) << "no Timer E";
  feed(h, ct, 503, "OPTIONS");
  h.run_until(32000ms);
  EXPECT_EQ(h.events, (strings{"response 503@31999", "terminated@32000"})) << "not F";
}

TEST(ClientNonInvite, ReliableTimerF) {
  harness h;
  start(h, "BYE", tcp_flow());
  h.run_until(32000ms);
  EXPECT_EQ(h.events, (strings{"timeout@32000", "terminated@32000"}));
}

// §17.1.4: the first send fails -> reported at the next advance, not inside create_client.
TEST(ClientTransportError, FirstSend) {
  harness h;
  h.fail_send = true;
  auto* ct = start(h, "INVITE", udp_flow());
  EXPECT_TRUE(h.events.empty());
  EXPECT_EQ(ct->state(), client_state::terminated);
  EXPECT_EQ(find_response(h.table, response_to(100)), nullptr) << "terminated: no longer matched";
  h.run_until(0ms);
  EXPECT_EQ(h.events, (strings{"transport_error@0", "terminated@0"}));
  EXPECT_EQ(h.table.size(), 0u);
  EXPECT_EQ(h.wheel.size(), 0u);
}

TEST(ClientTransportError, Retransmission) {
  harness h;
  start(h, "OPTIONS", udp_flow());
  h.run_until(1000ms);
  h.fail_send = true;
  h.run_until(2000ms);
  EXPECT_EQ(h.events, (strings{"transport_error@1500", "terminated@1500"}));
  EXPECT_EQ(h.table.size(), 0u);
}

TEST(ClientTransportError, Ack) {
  harness h;
  auto* ct = start(h, "INVITE", udp_flow());
  h.fail_send = true;
  feed(h, ct, 486);
  EXPECT_EQ(h.events, (strings{"response 486@0"}));
  h.run_until(0ms);
  EXPECT_EQ(h.events, (strings{"response 486@0", "transport_error@0", "terminated@0"}));
}

TEST(ClientTransaction, UserPointerAndAccessors) {
  harness h;
  int other = 0;
  client_options o{"INVITE", proxy_branch, tcp_flow(), false};
  auto* ct = h.table.create_client(forwarded_request(), o, harness::client_tu, &other);
  EXPECT_EQ(ct->user(), &other);
  ct->set_user(&h);
  EXPECT_EQ(ct->branch(), proxy_branch);
  EXPECT_EQ(ct->method(), "INVITE");
  EXPECT_EQ(ct->request(), forwarded_request());
  EXPECT_EQ(ct->flow().connection, tcp_flow().connection);
  EXPECT_TRUE(ct->ack().empty());
  EXPECT_EQ(client_state_name(ct->state()), "calling");
}

TEST(ClientTransaction, GatherListIsCopied) {
  harness h;
  std::string a = forwarded_request().substr(0, 40), b = forwarded_request().substr(40);
  const iovec v[2] = {{a.data(), a.size()}, {b.data(), b.size()}};
  client_options o{"INVITE", proxy_branch, udp_flow(), false};
  auto* ct = h.table.create_client(std::span<const iovec>(v, 2), o, harness::client_tu, &h);
  a.assign(a.size(), 'x');
  b.assign(b.size(), 'x');
  EXPECT_EQ(ct->request(), forwarded_request());
  h.run_until(500ms);
  EXPECT_EQ(h.sent.back().bytes, forwarded_request());
}

}  // namespace
}  // namespace sipring::sip::test
