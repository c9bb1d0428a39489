#include "sipring/sip/location.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sipring::sip {
namespace {

using namespace std::chrono_literals;
using time_point = location_partition::clock::time_point;

const time_point t0 = time_point{} + 1000s;

binding make(std::string contact, time_point expires_at, std::uint16_t q = 1000) {
  binding b;
  b.contact = std::move(contact);
  b.expires_at = expires_at;
  b.q = q;
  b.has_q = q != 1000;
  b.call_id = "c1";
  b.cseq = 1;
  return b;
}

transport::flow tcp_flow(std::uint16_t shard, std::uint32_t slot, std::uint32_t generation) {
  transport::flow f;
  f.transport = transport::protocol::tcp;
  f.shard = shard;
  f.connection = {slot, generation};
  EXPECT_TRUE(transport::peer_address::from_ip("192.0.2.10", 40000 + static_cast<std::uint16_t>(slot), f.remote));
  return f;
}

std::vector<std::string> contacts(std::span<const binding> bs) {
  std::vector<std::string> out;
  for (const auto& b : bs) out.push_back(b.contact);
  return out;
}

TEST(LocationPartition, AddLookupCount) {
  location_partition p;
  EXPECT_TRUE(p.lookup("alice@example.com", t0).empty());
  const auto id1 = p.add("alice@example.com", make("sip:alice@192.0.2.1", t0 + 60s));
  const auto id2 = p.add("alice@example.com", make("sip:alice@192.0.2.2", t0 + 60s));
  p.add("bob@example.com", make("sip:bob@192.0.2.3", t0 + 60s));
  EXPECT_NE(id1, id2);
  EXPECT_EQ(p.binding_count(), 3u);
  EXPECT_EQ(p.aor_count(), 2u);
  const auto bs = p.lookup("alice@example.com", t0);
  ASSERT_EQ(bs.size(), 2u);
  EXPECT_EQ(bs[0].id, id1);
  EXPECT_EQ(bs[1].id, id2);
  EXPECT_TRUE(p.lookup("carol@example.com", t0).empty());
}

TEST(LocationPartition, HighestQFirstThenOldest) {
  location_partition p;
  p.add("a", make("sip:low@h", t0 + 60s, 100));
  p.add("a", make("sip:mid1@h", t0 + 60s, 500));
  p.add("a", make("sip:top@h", t0 + 60s, 1000));
  p.add("a", make("sip:mid2@h", t0 + 60s, 500));
  EXPECT_EQ(contacts(p.lookup("a", t0)),
            (std::vector<std::string>{"sip:top@h", "sip:mid1@h", "sip:mid2@h", "sip:low@h"}));
  // Raising a binding's q moves it.
  const auto low = p.lookup("a", t0)[3];
  auto b = low;
  b.q = 900;
  EXPECT_TRUE(p.update("a", low.id, b));
  EXPECT_EQ(contacts(p.lookup("a", t0)),
            (std::vector<std::string>{"sip:top@h", "sip:low@h", "sip:mid1@h", "sip:mid2@h"}));
  EXPECT_EQ(p.lookup("a", t0)[1].id, low.id);
}

TEST(LocationPartition, RemoveOneAndAll) {
  location_partition p;
  const auto id1 = p.add("a", make("sip:1@h", t0 + 60s));
  p.add("a", make("sip:2@h", t0 + 60s));
  EXPECT_TRUE(p.remove("a", id1));
  EXPECT_FALSE(p.remove("a", id1));
  EXPECT_FALSE(p.remove("nobody", id1));
  EXPECT_EQ(contacts(p.lookup("a", t0)), std::vector<std::string>{"sip:2@h"});
  EXPECT_EQ(p.remove_all("a"), 1u);
  EXPECT_EQ(p.binding_count(), 0u);
  EXPECT_EQ(p.aor_count(), 0u);
  EXPECT_FALSE(p.next_expiry().has_value());
}

TEST(LocationPartition, ExpiresOnTimeInDeadlineOrder) {
  location_partition p;
  p.add("a", make("sip:30@h", t0 + 30s));
  p.add("a", make("sip:90@h", t0 + 90s));
  p.add("b", make("sip:60@h", t0 + 60s));
  ASSERT_TRUE(p.next_expiry().has_value());
  EXPECT_EQ(*p.next_expiry(), t0 + 30s);

  EXPECT_EQ(p.expire(t0 + 29s), 0u);
  EXPECT_EQ(p.binding_count(), 3u);
  EXPECT_EQ(p.expire(t0 + 30s), 1u);  // due at its deadline
  EXPECT_EQ(contacts(p.lookup("a", t0 + 30s)), std::vector<std::string>{"sip:90@h"});
  EXPECT_EQ(*p.next_expiry(), t0 + 60s);
  EXPECT_EQ(p.expire(t0 + 75s), 1u);
  EXPECT_EQ(p.aor_count(), 1u);  // b is gone with its last binding
  EXPECT_EQ(p.expire(t0 + 1h), 1u);
  EXPECT_EQ(p.binding_count(), 0u);
  EXPECT_EQ(p.aor_count(), 0u);
  EXPECT_FALSE(p.next_expiry().has_value());
}

TEST(LocationPartition, LookupHidesAndDropsExpiredBindings) {
  location_partition p;
  p.add("a", make("sip:short@h", t0 + 10s));
  p.add("a", make("sip:long@h", t0 + 100s));
  EXPECT_EQ(p.lookup("a", t0 + 9s).size(), 2u);
  EXPECT_EQ(contacts(p.lookup("a", t0 + 10s)), std::vector<std::string>{"sip:long@h"});
  EXPECT_EQ(p.binding_count(), 1u);
  EXPECT_EQ(*p.next_expiry(), t0 + 100s);
  EXPECT_TRUE(p.lookup("a", t0 + 100s).empty());
  EXPECT_EQ(p.aor_count(), 0u);
  EXPECT_EQ(p.expire(t0 + 1h), 0u);
}

TEST(LocationPartition, UpdateMovesTheDeadline) {
  location_partition p;
  const auto id = p.add("a", make("sip:1@h", t0 + 30s));
  auto b = make("sip:1@h", t0 + 300s);
  b.cseq = 2;
  EXPECT_TRUE(p.update("a", id, b));
  EXPECT_FALSE(p.update("a", id + 100, b));
  EXPECT_EQ(*p.next_expiry(), t0 + 300s);
  EXPECT_EQ(p.expire(t0 + 30s), 0u);
  EXPECT_EQ(p.lookup("a", t0 + 30s).size(), 1u);
  EXPECT_EQ(p.lookup("a", t0 + 30s)[0].cseq, 2u);
  EXPECT_EQ(p.lookup("a", t0 + 30s)[0].id, id);
  EXPECT_EQ(p.expire(t0 + 300s), 1u);
}

TEST(LocationPartition, ExpiryTouchesOnlyDueBindings) {
  // Many bindings sharing one deadline, and one earlier: expire() removes exactly the due ones.
  location_partition p;
  for (int i = 0; i < 1000; ++i)
    p.add("user" + std::to_string(i), make("sip:" + std::to_string(i) + "@h", t0 + 3600s));
  p.add("early", make("sip:early@h", t0 + 5s));
  EXPECT_EQ(p.expire(t0 + 5s), 1u);
  EXPECT_EQ(p.binding_count(), 1000u);
  EXPECT_EQ(p.expire(t0 + 3599s), 0u);
  EXPECT_EQ(p.expire(t0 + 3600s), 1000u);
  EXPECT_EQ(p.aor_count(), 0u);
}

TEST(LocationPartition, ForgetFlowClearsTheConnectionOnly) {
  location_partition p;
  auto over_conn = make("sip:a@192.0.2.10:40001;transport=tcp", t0 + 60s);
  over_conn.flow = tcp_flow(2, 1, 7);
  auto other_conn = make("sip:b@192.0.2.10:40002;transport=tcp", t0 + 60s);
  other_conn.flow = tcp_flow(2, 2, 1);
  auto udp = make("sip:c@192.0.2.11", t0 + 60s);
  p.add("alice", over_conn);
  p.add("bob", other_conn);
  p.add("bob", udp);
  auto same_conn_other_aor = make("sip:a2@192.0.2.10:40001;transport=tcp", t0 + 60s);
  same_conn_other_aor.flow = tcp_flow(2, 1, 7);
  p.add("carol", same_conn_other_aor);

  // A newer connection in the same slot, or the same slot on another shard, is not this one.
  EXPECT_EQ(p.forget_flow(tcp_flow(2, 1, 8)), 0u);
  EXPECT_EQ(p.forget_flow(tcp_flow(3, 1, 7)), 0u);
  auto tls = tcp_flow(2, 1, 7);
  tls.transport = transport::protocol::tls;
  EXPECT_EQ(p.forget_flow(tls), 0u);
  transport::flow plain_udp;
  EXPECT_EQ(p.forget_flow(plain_udp), 0u);

  EXPECT_EQ(p.forget_flow(tcp_flow(2, 1, 7)), 2u);
  const auto alice = p.lookup("alice", t0);
  ASSERT_EQ(alice.size(), 1u);
  EXPECT_FALSE(alice[0].flow.connection.valid());
  EXPECT_EQ(alice[0].flow.transport, transport::protocol::tcp);
  EXPECT_EQ(alice[0].flow.shard, 2u);
  EXPECT_EQ(alice[0].flow.remote, over_conn.flow.remote);
  EXPECT_FALSE(p.lookup("carol", t0)[0].flow.connection.valid());
  for (const auto& b : p.lookup("bob", t0)) {
    if (b.contact.starts_with("sip:b@")) {
      EXPECT_TRUE(b.flow.connection.valid());
    }
  }
  EXPECT_EQ(p.binding_count(), 4u);
  // Once forgotten, a second close is a no-op.
  EXPECT_EQ(p.forget_flow(tcp_flow(2, 1, 7)), 0u);
}

TEST(LocationPartition, ForgetFlowAfterUpdateOverANewConnection) {
  location_partition p;
  auto b = make("sip:a@h;transport=tcp", t0 + 60s);
  b.flow = tcp_flow(0, 5, 1);
  const auto id = p.add("a", b);
  b.flow = tcp_flow(0, 6, 1);  // refreshed over another connection
  ASSERT_TRUE(p.update("a", id, b));
  EXPECT_EQ(p.forget_flow(tcp_flow(0, 5, 1)), 0u);
  EXPECT_EQ(p.forget_flow(tcp_flow(0, 6, 1)), 1u);
  // Removed bindings leave nothing behind in the connection index.
  auto c = make("sip:c@h;transport=tcp", t0 + 60s);
  c.flow = tcp_flow(0, 9, 1);
  const auto cid = p.add("c", c);
  EXPECT_TRUE(p.remove("c", cid));
  EXPECT_EQ(p.forget_flow(tcp_flow(0, 9, 1)), 0u);
}

}  // namespace
}  // namespace sipring::sip
