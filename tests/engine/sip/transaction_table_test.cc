#include "sipring/sip/transaction_table.h"

#include <gtest/gtest.h>

#include "harness.h"
#include "sipring/sip/branch.h"

namespace sipring::sip::test {
namespace {

server_key key_of(const parsed& p) {
  server_key k;
  EXPECT_TRUE(server_key_of(p.m, k)) << p.text;
  return k;
}

TEST(ServerKey, FromTopVia) {
  const auto p = msg(
      "INVITE sip:bob@biloxi.com SIP/2.0\r\n"
      "Via: SIP/2.0/UDP PC33.Atlanta.com:5070;branch=z9hG4bKabc;rport, SIP/2.0/UDP x;branch=z9hG4bKx\r\n"
      "Via: SIP/2.0/UDP y;branch=z9hG4bKy\r\n"
      "To: <sip:bob@biloxi.com>\r\nFrom: <sip:a@b>;tag=1\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\n"
      "Content-Length: 0\r\n\r\n");
  const server_key k = key_of(*p);
  EXPECT_EQ(k.branch, "z9hG4bKabc");
  EXPECT_EQ(k.sent_by_host, "PC33.Atlanta.com");
  EXPECT_EQ(k.sent_by_port, 5070);
  EXPECT_EQ(k.method, "INVITE");
  EXPECT_EQ(k.method_id, parser::method_id::invite);
}

TEST(ServerKey, Rfc2543RequestsAreRefused) {
  server_key k;
  EXPECT_FALSE(server_key_of(msg(incoming_request("INVITE", "776asdhds"))->m, k));
  const auto no_branch = msg(
      "OPTIONS sip:bob@biloxi.com SIP/2.0\r\nVia: SIP/2.0/UDP pc33.atlanta.com\r\n"
      "To: <sip:bob@biloxi.com>\r\nFrom: <sip:a@b>;tag=1\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\n\r\n");
  EXPECT_FALSE(server_key_of(no_branch->m, k));
  EXPECT_FALSE(server_key_of(msg(response_to(200))->m, k)) << "a response";
}

TEST(ClientKey, FromTopViaAndCSeq) {
  client_key k;
  const auto r = msg(response_to(180, "CANCEL"));
  ASSERT_TRUE(client_key_of(r->m, k));
  EXPECT_EQ(k.branch, proxy_branch);
  EXPECT_EQ(k.method, "CANCEL");
  EXPECT_FALSE(client_key_of(msg(forwarded_request())->m, k)) << "a request";
}

// §17.2.3: ACK matches the INVITE; CANCEL has its own transaction and finds the INVITE with
// find_cancel_target (§9.2).
TEST(TransactionTable, AckMatchesInviteCancelIsDistinct) {
  harness h;
  const auto invite = msg(incoming_request("INVITE"));
  auto* ist = h.table.create_server(key_of(*invite), udp_flow(), harness::server_tu, &h);
  EXPECT_EQ(h.table.find_server(key_of(*invite)), ist);

  const auto ack = msg(incoming_request("ACK"));
  EXPECT_EQ(h.table.find_server(key_of(*ack)), ist);
  EXPECT_EQ(h.table.create_server(key_of(*ack), udp_flow(), harness::server_tu, &h), nullptr);

  const auto cancel = msg(incoming_request("CANCEL"));
  EXPECT_EQ(h.table.find_server(key_of(*cancel)), nullptr);
  EXPECT_EQ(h.table.find_cancel_target(key_of(*cancel)), ist);
  auto* cst = h.table.create_server(key_of(*cancel), udp_flow(), harness::server_tu, &h);
  EXPECT_NE(cst, ist);
  EXPECT_FALSE(cst->is_invite());
  EXPECT_EQ(h.table.find_server(key_of(*cancel)), cst);
  EXPECT_EQ(h.table.find_server(key_of(*invite)), ist);
  EXPECT_EQ(h.table.find_cancel_target(key_of(*cancel)), ist);
  EXPECT_EQ(h.table.server_count(), 2u);

  // A CANCEL for a non-INVITE finds nothing to cancel.
  harness h2;
  const auto options = msg(incoming_request("OPTIONS", "z9hG4bKo"));
  h2.table.create_server(key_of(*options), udp_flow(), harness::server_tu, &h2);
  EXPECT_EQ(h2.table.find_cancel_target(key_of(*msg(incoming_request("CANCEL", "z9hG4bKo")))),
            nullptr);
  // An ACK never matches a non-INVITE.
  EXPECT_EQ(h2.table.find_server(key_of(*msg(incoming_request("ACK", "z9hG4bKo")))), nullptr);
}

TEST(TransactionTable, SentByBranchAndMethodMustMatch) {
  harness h;
  const auto invite = msg(incoming_request("INVITE", "z9hG4bKa1", "pc33.atlanta.com:5060"));
  auto* st = h.table.create_server(key_of(*invite), udp_flow(), harness::server_tu, &h);
  auto find = [&](std::string_view method, std::string_view branch, std::string_view sent_by) {
    return h.table.find_server(key_of(*msg(incoming_request(method, branch, sent_by))));
  };
  EXPECT_EQ(find("INVITE", "z9hG4bKa1", "PC33.ATLANTA.COM:5060"), st) << "hosts ignore case";
  EXPECT_EQ(find("INVITE", "z9hG4bKa1", "pc33.atlanta.com:5061"), nullptr);
  EXPECT_EQ(find("INVITE", "z9hG4bKa1", "pc33.atlanta.com"), nullptr) << "port as written";
  EXPECT_EQ(find("INVITE", "z9hG4bKa1", "pc34.atlanta.com:5060"), nullptr);
  EXPECT_EQ(find("ACK", "z9hG4bKa1", "pc34.atlanta.com:5060"), nullptr);
  EXPECT_EQ(find("INVITE", "z9hG4bKa2", "pc33.atlanta.com:5060"), nullptr);
  EXPECT_EQ(find("INVITE", "z9hG4bKA1", "pc33.atlanta.com:5060"), nullptr) << "branch octets";
  EXPECT_EQ(find("OPTIONS", "z9hG4bKa1", "pc33.atlanta.com:5060"), nullptr);

  // IPv6 sent-by compares by value.
  const auto v6 = msg(incoming_request("MESSAGE", "z9hG4bK6", "[2001:db8::1]:5060"));
  auto* st6 = h.table.create_server(key_of(*v6), udp_flow(), harness::server_tu, &h);
  EXPECT_EQ(find("MESSAGE", "z9hG4bK6", "[2001:0db8:0::1]:5060"), st6);
}

// §17.1.3: branch + CSeq method; a CANCEL's transaction shares its INVITE's branch.
TEST(TransactionTable, ResponsesMatchByBranchAndCSeqMethod) {
  harness h;
  client_options o{"INVITE", proxy_branch, udp_flow(), false};
  auto* ict = h.table.create_client(forwarded_request(), o, harness::client_tu, &h);
  std::string cancel = forwarded_request("CANCEL");
  o.method = "CANCEL";
  auto* cct = h.table.create_client(cancel, o, harness::client_tu, &h);
  EXPECT_EQ(h.table.client_count(), 2u);
  EXPECT_EQ(find_response(h.table, response_to(487)), ict);
  EXPECT_EQ(find_response(h.table, response_to(200, "CANCEL")), cct);
  EXPECT_EQ(find_response(h.table, response_to(200, "BYE")), nullptr);
  EXPECT_EQ(find_response(h.table, response_to(200, "INVITE", "z9hG4bKsr0.0123456789abcdee")),
            nullptr);
}

TEST(TransactionTable, TerminatedTransactionsAreForgotten) {
  harness h;
  client_options o{"OPTIONS", proxy_branch, tcp_flow(), false};
  auto* ct = h.table.create_client(forwarded_request("OPTIONS"), o, harness::client_tu, &h);
  const auto ok = msg(response_to(200, "OPTIONS"));
  client_key k;
  ASSERT_TRUE(client_key_of(ok->m, k));
  ct->receive_response(ok->m);
  EXPECT_EQ(h.table.find_client(k), ct) << "Completed still absorbs";
  h.run_until(1ms);
  EXPECT_EQ(h.table.find_client(k), nullptr);
  EXPECT_EQ(h.table.size(), 0u);
  // A new transaction with the same key can start afterwards.
  auto* again = h.table.create_client(forwarded_request("OPTIONS"), o, harness::client_tu, &h);
  EXPECT_EQ(h.table.find_client(k), again);
}

TEST(TransactionTable, ManyTransactionsGrowTheIndex) {
  harness h;
  branch_generator g(7, 1);
  std::vector<std::string> branches;
  std::vector<client_transaction*> cts;
  std::vector<server_transaction*> sts;
  for (int i = 0; i < 5000; ++i) {
    branches.emplace_back(g.next().view());
    client_options o{"MESSAGE", branches.back(), tcp_flow(), false};
    cts.push_back(h.table.create_client(forwarded_request("MESSAGE", branches.back()), o,
                                        harness::client_tu, &h));
    sts.push_back(h.table.create_server(key_of(*msg(incoming_request("INVITE", branches.back()))),
                                        udp_flow(), harness::server_tu, &h));
  }
  EXPECT_EQ(h.table.size(), 10000u);
  for (int i = 0; i < 5000; ++i) {
    ASSERT_EQ(find_response(h.table, response_to(200, "MESSAGE", branches[i])), cts[i]);
    ASSERT_EQ(h.table.find_server(key_of(*msg(incoming_request("ACK", branches[i])))), sts[i]);
  }
  // The table's destructor frees what is left (ASan would tell); Timer F ends the clients.
  h.run_until(32000ms);
  EXPECT_EQ(h.table.client_count(), 0u);
  EXPECT_EQ(h.table.server_count(), 5000u);
}

// A TU may start new transactions from inside a callback (the proxy forwards on timeout).
TEST(TransactionTable, CallbacksMayCreateTransactions) {
  harness h;
  struct tu {
    harness* h;
    int created = 0;
    static void on_timeout(void* u, client_transaction& ct) noexcept {
      auto* t = static_cast<tu*>(u);
      if (t->created++ == 0) {
        client_options o{"OPTIONS", "z9hG4bKsr0.ffffffffffffffff", ct.flow(), false};
        t->h->table.create_client(forwarded_request("OPTIONS"), o, harness::client_tu, t->h);
      }
    }
  } user{&h};
  static constexpr client_callbacks cb{nullptr, &tu::on_timeout, nullptr, nullptr, nullptr};
  client_options o{"OPTIONS", proxy_branch, tcp_flow(), false};
  h.table.create_client(forwarded_request("OPTIONS"), o, cb, &user);
  h.run_until(32000ms);
  EXPECT_EQ(user.created, 1);
  EXPECT_EQ(h.table.size(), 1u);
  h.run_until(64000ms);
  EXPECT_EQ(h.events, (std::vector<std::string>{"timeout@64000", "terminated@64000"}));
}

}  // namespace
}  // namespace sipring::sip::test
