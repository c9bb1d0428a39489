#pragma once
// The location service (RFC 3261 §10): address-of-record -> bindings. The table is partitioned
// across shards by owner_shard(aor_key) (aor.h); each shard owns one location_partition and is
// the only thread that touches it (no locks). Other shards reach it with
// shard_set::invoke_on(owner_shard(key, n), ...).
//
// Expiry never scans the table: the partition keeps its bindings ordered by deadline, expire()
// pops the due ones, and next_expiry() tells the shard when to arm its one timer_entry.
// Bindings over a stream are also indexed by connection, so forget_flow() touches only those.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sipring/runtime/timer_wheel.h"
#include "sipring/transport/flow.h"

namespace sipring::sip {

using location_clock = runtime::timer_wheel::clock;

/// One binding of an AoR to a contact (RFC 3261 §10.2.1, RFC 3327 Path, RFC 5626 instance).
struct binding {
  std::uint64_t id = 0;        ///< unique in its partition, never reused; set by add()
  std::string contact;         ///< the Contact URI as written, without <>
  std::uint16_t q = 1000;      ///< qvalue in thousandths; 1000 when the Contact had no q
  bool has_q = false;          ///< the Contact carried a q parameter (echoed in the 200)
  location_clock::time_point expires_at{};  ///< current while expires_at > now
  std::string call_id;         ///< of the REGISTER that made or last refreshed it
  std::uint32_t cseq = 0;      ///< CSeq number of that REGISTER
  std::vector<std::string> path;  ///< Path elements (name-addr as received, unfolded), first = nearest the registrar
  transport::flow flow;        ///< how the REGISTER arrived; connection cleared by forget_flow()
  std::string instance;        ///< +sip.instance value without its quotes ("<urn:uuid:...>"); empty if none
  std::uint32_t reg_id = 0;    ///< reg-id (RFC 5626), valid when has_reg_id
  bool has_reg_id = false;
};

/// One shard's share of the location table. Single-threaded. Every function may allocate
/// except lookup(), next_expiry() and the counters.
class location_partition {
 public:
  using clock = location_clock;

  location_partition() = default;
  location_partition(const location_partition&) = delete;
  location_partition& operator=(const location_partition&) = delete;

  /// The current bindings of `aor_key` (expires_at > now), highest q first, then oldest first.
  /// Expired bindings of that AoR still in the table are removed first (so this is not const).
  /// Does not allocate. The span is valid until the partition is next changed (add, update,
  /// remove, expire, forget_flow or another lookup).
  std::span<const binding> lookup(std::string_view aor_key, clock::time_point now) noexcept;

  /// Adds `b` under `aor_key` and returns its new id (b.id is ignored).
  std::uint64_t add(std::string_view aor_key, binding b);
  /// Replaces binding `id` of `aor_key` with `b`, keeping the id; false when there is none.
  bool update(std::string_view aor_key, std::uint64_t id, binding b);
  /// Removes binding `id` of `aor_key`; false when there is none.
  bool remove(std::string_view aor_key, std::uint64_t id) noexcept;
  /// Removes every binding of `aor_key`; returns how many.
  std::size_t remove_all(std::string_view aor_key) noexcept;

  /// Removes every binding whose deadline is at or before `now`; returns how many. Costs
  /// O(log n) per binding removed, nothing for the others.
  std::size_t expire(clock::time_point now) noexcept;
  /// The earliest deadline of any binding (possibly already past), or nullopt when empty: arm
  /// the shard's timer_entry for it and call expire() when it fires.
  std::optional<clock::time_point> next_expiry() const noexcept;

  /// A stream connection closed: the bindings registered over it (same transport, shard and
  /// connection id) stay, since RFC 3261 has no notion of flows, but their connection id is
  /// cleared so the proxy opens a new connection to the contact. Returns how many changed.
  /// Nothing for UDP flows or flows without a connection. Broadcast it to every shard: the
  /// bindings of a connection live in the partitions of their AoRs, not the connection's shard.
  std::size_t forget_flow(const transport::flow& f) noexcept;

  /// Bindings and AoRs held, expired ones not yet removed included.
  std::size_t binding_count() const noexcept { return _by_deadline.size(); }
  std::size_t aor_count() const noexcept { return _aors.size(); }

 private:
  struct aor_entry {
    std::string key;
    std::vector<binding> bindings;  ///< ordered as lookup() returns them
  };
  struct deadline_key {
    clock::time_point at;
    std::uint64_t id;
    aor_entry* aor;  ///< not part of the order
    bool operator<(const deadline_key& o) const noexcept { return at != o.at ? at < o.at : id < o.id; }
  };
  struct connection_key {
    transport::protocol transport;
    std::uint16_t shard;
    transport::connection_id connection;
    bool operator==(const connection_key&) const = default;
  };
  struct connection_key_hash {
    std::size_t operator()(const connection_key& k) const noexcept;
  };
  struct connection_ref {
    std::uint64_t id;
    aor_entry* aor;
  };

  aor_entry* find(std::string_view aor_key) const noexcept;
  static std::optional<connection_key> key_of(const transport::flow& f) noexcept;
  void index(aor_entry& aor, const binding& b);
  void unindex(const binding& b) noexcept;
  /// Removes bindings[i] of `aor` (indexes included); erases the AoR when it becomes empty.
  /// Returns false when the AoR was erased.
  bool erase_at(aor_entry& aor, std::size_t i) noexcept;
  void erase_aor(aor_entry& aor) noexcept;
  static void sort(aor_entry& aor);

  // Keys are views of aor_entry::key (the entry is heap-allocated, so it does not move).
  std::unordered_map<std::string_view, std::unique_ptr<aor_entry>> _aors;
  std::set<deadline_key> _by_deadline;
  std::unordered_multimap<connection_key, connection_ref, connection_key_hash> _by_connection;
  std::uint64_t _next_id = 1;
};

}  // namespace sipring::sip
