#pragma once
// The requests the generator sends, written into caller buffers from constant pieces prepared
// once (domain, local address, transport token) plus the per-transaction fields in fixed-width
// hex (Call-ID, tags, branches) and the user numbers: no allocation per message. The Call-ID
// carries the transaction's slot and generation, so a response (or, at the answering side, a
// request the proxy forwarded) finds its transaction without a lookup.

#include <cstdint>
#include <string>
#include <string_view>

#include "options.h"
#include "sip_writer.h"

namespace sipring::load {

/// A transaction's identity: its slot in the shard's table and the slot's generation.
struct transaction_id {
  std::uint32_t slot = 0, generation = 0;
  std::uint64_t packed() const noexcept { return (std::uint64_t{slot} << 32) | generation; }
};

/// The slot and generation of one of our Call-IDs ("<16 hex>-..."); false for another Call-ID.
bool decode_call_id(std::string_view call_id, transaction_id& out) noexcept;

struct request_args {
  transaction_id id;
  std::uint32_t user = 0;  ///< the sending user
  std::uint32_t peer = 0;  ///< the receiving user (message, call)
  std::uint32_t cseq = 1;
  std::uint32_t branch = 0;  ///< a per-shard counter: each request gets a new branch
  std::uint16_t contact_port = 0;  ///< REGISTER's Contact port (the answering socket)
  bool unregister = false;         ///< REGISTER with Expires 0
  std::string_view authorization;  ///< a whole header line with CRLF, or empty
};

class message_factory {
 public:
  message_factory(const load_options& o, unsigned shard, std::uint32_t run_nonce, std::uint16_t via_port);

  /// Writes the scenario's request (REGISTER, OPTIONS, MESSAGE, INVITE) into `w`.
  void register_request(sip_writer& w, const request_args& a) const;
  void options_request(sip_writer& w, const request_args& a) const;
  void message_request(sip_writer& w, const request_args& a) const;
  void invite_request(sip_writer& w, const request_args& a) const;
  /// ACK for a non-2xx final response to the INVITE (same branch, the response's To).
  void ack_non_2xx(sip_writer& w, const request_args& a, std::string_view to) const;
  /// ACK (method "ACK") or BYE in the dialog: Request-URI `target`, Route set `routes` (whole
  /// header lines), To `to` with its tag.
  void in_dialog(sip_writer& w, std::string_view method, const request_args& a, std::string_view target,
                 std::string_view routes, std::string_view to) const;

  /// The Request-URI of the scenario's request for `a` (digest's uri), written into `w`.
  void request_uri(sip_writer& w, scenario_kind s, const request_args& a) const;
  std::string_view domain() const noexcept { return _domain; }

 private:
  void head(sip_writer& w, std::string_view method, const request_args& a, bool user_ruri, std::uint32_t ruri_user,
            std::uint32_t to_user) const;
  void ids(sip_writer& w, const request_args& a, std::string_view method) const;
  void branch(sip_writer& w, const request_args& a) const;

  std::string _domain;
  std::string _via;  ///< "Via: SIP/2.0/UDP ip:port;branch=z9hG4bK"
  std::string _call_id_tail;  ///< "-<shard>-<nonce>@sipring-load"
  std::string _contact_host;  ///< "@ip:"
  std::string _transport_param;  ///< ";transport=tcp" or empty
  std::string _sdp;
};

/// The Authorization (401) or Proxy-Authorization (407) line answering `challenge_value` with
/// MD5 digest (qop=auth when offered), written into `w` with its CRLF. False when the challenge
/// cannot be answered (not Digest, not MD5).
bool write_digest_answer(sip_writer& w, std::uint16_t status, std::string_view challenge_value,
                         std::string_view user, std::string_view password, std::string_view method,
                         std::string_view uri, std::uint64_t cnonce);

}  // namespace sipring::load
