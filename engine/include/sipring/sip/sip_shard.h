#pragma once
// One shard's SIP layer: every whole message the shard's transports receive comes here. It
// parses and validates the message, answers what it can answer itself (errors, OPTIONS to this
// server), matches transactions, and hands requests to the registrar (on the shard owning the
// address-of-record) or the proxy core (proxy_context.h). Single-threaded: it runs on its
// shard's reactor; other shards are reached with invoke_on through the sip_shards registry.

#include <atomic>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sipring/parser/message_view.h"
#include "sipring/parser/uri.h"
#include "sipring/parser/via.h"
#include "sipring/sip/branch.h"
#include "sipring/sip/location.h"
#include "sipring/sip/registrar.h"
#include "sipring/sip/sip_settings.h"
#include "sipring/sip/transaction_table.h"
#include "sipring/transport/transport_layer.h"

namespace sipring::sip {

class sip_shard;
class proxy_context;
struct proxy_target;

/// Every shard's sip_shard, for cross-shard calls (a shard fills in its own when it starts).
class sip_shards {
 public:
  explicit sip_shards(unsigned count) : _count(count), _shards(new std::atomic<sip_shard*>[count]) {
    for (unsigned i = 0; i < count; ++i) _shards[i].store(nullptr, std::memory_order_relaxed);
  }
  unsigned size() const noexcept { return _count; }
  sip_shard* on(unsigned n) const noexcept { return _shards[n].load(std::memory_order_acquire); }
  void set(unsigned n, sip_shard* s) noexcept { _shards[n].store(s, std::memory_order_release); }

 private:
  unsigned _count;
  std::unique_ptr<std::atomic<sip_shard*>[]> _shards;
};

class sip_shard {
 public:
  sip_shard(transport::transport_layer& transports, const sip_settings& settings, sip_shards& all);
  ~sip_shard();
  sip_shard(const sip_shard&) = delete;
  sip_shard& operator=(const sip_shard&) = delete;

  /// The sink to give the transport layer.
  static transport::message_sink sink_for(sip_shard* self) noexcept;

  /// Counters (tests, logs at stop).
  struct counters {
    std::uint64_t requests = 0, responses = 0, refused = 0, dropped = 0;
  };
  const counters& stats() const noexcept { return _stats; }
  std::size_t transaction_count() const noexcept { return _transactions.size(); }
  location_partition& locations() noexcept { return _locations; }
  /// A response handed over by the shard that received it (its branch names this shard).
  void take_response(std::string_view bytes, const transport::flow& from);

 private:
  friend class proxy_context;

  static void deliver(void* self, transport::inbound_message& m);
  static void closed(void* self, const transport::flow& f);
  static bool send_for_transactions(void* self, const transport::flow& to, std::span<const iovec> bytes) noexcept;

  void on_message(transport::inbound_message& m);
  void on_unparsed(transport::inbound_message& m, const parser::parse_error& e);
  void on_request(transport::inbound_message& m, const parser::message_view& request);
  void on_response(std::string_view bytes, const transport::flow& from, const parser::message_view& response);

  void on_cancel(transport::inbound_message& m, const parser::message_view& request, const parser::via& top,
                 const server_key& key);
  void on_register(transport::inbound_message& m, const parser::message_view& request, const parser::via& top,
                   const server_key& key);
  runtime::task<void> register_elsewhere(unsigned owner, std::unique_ptr<struct stored_message> request,
                                         transport::flow from, server_transaction* st);
  void finish_register(server_transaction* st, const parser::message_view& request, const register_outcome& outcome,
                       const std::string& extra);
  /// Applies a REGISTER to this shard's partition (it owns the AoR).
  register_outcome register_here(const parser::message_view& request, const transport::flow& from, std::string& extra);
  void arm_expiry() noexcept;
  static void expiry_fired(runtime::timer_entry& t) noexcept;

  /// Digest authentication (RFC 3261 §22) of a request that must authenticate: true when it may
  /// go on; otherwise it has been answered (challenge, 403 or 400) and the refusal logged.
  bool authenticate(const parser::message_view& request, const parser::via& top, const transport::flow& from);

  /// ACK for a 2xx (no transaction of ours): forwarded without state along the Route set.
  void forward_ack(const parser::message_view& request, const parser::uri& ruri);

  /// Answers `request` with `status` from this server, without a transaction (§16.3 errors,
  /// §8.2 UAS answers). `extra` holds complete header lines.
  void answer(const parser::message_view& request, const parser::via& top, const transport::flow& from,
              std::uint16_t status, std::string_view reason, std::string_view extra = {});
  /// Builds a response this server makes into the shard's buffer; its size (0 on failure).
  std::size_t build(const parser::message_view& request, std::uint16_t status, std::string_view reason,
                    std::string_view extra = {});
  /// A To tag for a response this server makes: the same for retransmissions of a request.
  std::string_view stateless_tag(const parser::message_view& request) noexcept;
  void log_refusal(const parser::message_view& request, const transport::flow& from, std::uint16_t status,
                   std::string_view reason);

  transport::transport_layer& _transports;
  const sip_settings& _settings;
  sip_shards& _all;
  transaction_table _transactions;
  branch_generator _branches;
  location_partition _locations;
  registrar _registrar;
  struct expiry_timer : runtime::timer_entry {
    explicit expiry_timer(sip_shard* s) noexcept : timer_entry(&expiry_fired), shard(s) {}
    sip_shard* shard;
  } _expiry;
  std::vector<parser::header_field> _headers;  ///< parse storage for the message at hand
  std::vector<char> _out;                      ///< response buffer
  char _tag[17] = {};
  std::uint64_t _tag_secret = 0;
  counters _stats;
  proxy_context* _contexts = nullptr;  ///< live proxy contexts (see proxy_context::_next)
};

}  // namespace sipring::sip
