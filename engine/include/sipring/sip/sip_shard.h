#pragma once
// One shard's SIP layer: every whole message the shard's transports receive comes here. It
// parses and validates the message, answers what it can answer itself (errors, OPTIONS to this
// server), matches transactions and hands requests to the registrar or the proxy core.
// Single-threaded: it runs on its shard's reactor; other shards are reached with invoke_on.

#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "sipring/parser/message_view.h"
#include "sipring/parser/via.h"
#include "sipring/sip/sip_settings.h"
#include "sipring/transport/transport_layer.h"

namespace sipring::sip {

class sip_shard {
 public:
  sip_shard(transport::transport_layer& transports, const sip_settings& settings);
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

 private:
  static void deliver(void* self, transport::inbound_message& m);
  static void closed(void* self, const transport::flow& f);

  void on_message(transport::inbound_message& m);
  void on_unparsed(transport::inbound_message& m, const parser::parse_error& e);
  void on_request(transport::inbound_message& m, const parser::message_view& request);
  void on_response(transport::inbound_message& m, const parser::message_view& response);

  /// Answers `request` with `status` from this server, without a transaction (§16.3 errors,
  /// §8.2 UAS answers). `extra` holds complete header lines.
  void answer(const parser::message_view& request, const parser::via& top, const transport::flow& from,
              std::uint16_t status, std::string_view reason, std::string_view extra = {});
  /// A To tag for a response this server makes: the same for retransmissions of a request.
  std::string_view stateless_tag(const parser::message_view& request) noexcept;

  transport::transport_layer& _transports;
  const sip_settings& _settings;
  std::vector<parser::header_field> _headers;  ///< parse storage for the message at hand
  std::vector<char> _out;                      ///< response buffer
  char _tag[17] = {};
  std::uint64_t _tag_secret = 0;
  counters _stats;
};

}  // namespace sipring::sip
