#pragma once
// The stateful proxy's work on one request (RFC 3261 §16, the "response context"): the server
// transaction answering upstream, one client transaction per target (parallel forking), the
// best final response so far (§16.7), CANCEL of the other branches when a 2xx or 6xx arrives
// or the caller cancels (§16.10), and Timer C. It lives until its server transaction and every
// client transaction have terminated.

#include <memory>
#include <string>
#include <vector>

#include "sipring/parser/uri.h"
#include "sipring/sip/sip_shard.h"
#include "sipring/sip/stored_message.h"

namespace sipring::sip {

/// Where one branch goes: the new Request-URI (empty: keep it), Route lines to add (a binding's
/// Path), and the next hop.
struct proxy_target {
  std::string request_uri;
  std::vector<std::string> routes;  ///< each a name-addr ("<sip:p1.example.com;lr>")
  std::string next_hop_uri;         ///< the URI to resolve when `flow` is not set
  transport::flow flow;
  bool has_flow = false;            ///< a registered connection to reuse (connection reuse)
  int partner = -1;                 ///< a federation partner: over its mutual TLS link
};

class proxy_context {
 public:
  /// Takes over `request`; answers 100 Trying for an INVITE. `st` gets this as its user.
  /// `strict_request_uri`: not empty when the Request-URI was our Record-Route (a strict router
  /// upstream, §16.4): the last Route value, which becomes the Request-URI.
  proxy_context(sip_shard& shard, server_transaction* st, std::unique_ptr<stored_message> request,
                transport::flow from, std::size_t own_routes, std::string strict_request_uri = {});
  ~proxy_context();
  proxy_context(const proxy_context&) = delete;
  proxy_context& operator=(const proxy_context&) = delete;

  /// Finds the targets (location lookup, perhaps on another shard; or the Route set / the
  /// Request-URI of a request that follows a route; or federation partner `partner`, which
  /// serves the Request-URI's domain) and forwards to each. Spawned once.
  runtime::task<void> run(bool follow_route, int partner = -1);

  /// The caller cancelled (§16.10): cancel every pending branch.
  void cancel_branches() noexcept;

  static const server_callbacks server_events;
  static const client_callbacks client_events;

 private:
  struct branch {
    client_transaction* ct = nullptr;
    std::uint16_t final_status = 0;
    bool provisional = false;   ///< a 1xx came: a CANCEL may be sent (§9.1)
    bool cancel_wanted = false; ///< cancel once a provisional comes
    bool cancelled = false;
  };

  void forward_to(const std::vector<proxy_target>& targets);
  runtime::task<void> forward_after_connect(proxy_target target);
  bool start_branch(const proxy_target& target, const transport::flow& flow);
  void on_response(client_transaction& ct, const parser::message_view& response);
  void on_branch_failed(client_transaction& ct, std::uint16_t status);
  void cancel(branch& b);
  void cancel_others(const client_transaction* except);
  /// Sends the best final when every branch has one and none was sent yet.
  void maybe_finish();
  /// Frees the stored request once nothing can need it any more.
  void forget_request_when_done() noexcept;
  /// Sends a response this proxy makes itself.
  void answer(std::uint16_t status, std::string_view reason = {});
  /// Relays a downstream response upstream, its top Via removed.
  void relay(const parser::message_view& response);
  branch* find(const client_transaction& ct) noexcept;
  void hold() noexcept { ++_refs; }
  void release() noexcept;

  static void server_terminated(void* user, server_transaction& st) noexcept;
  static void server_ack_timeout(void* user, server_transaction& st) noexcept;
  static void client_response(void* user, client_transaction& ct, const parser::message_view& r) noexcept;
  static void client_timeout(void* user, client_transaction& ct) noexcept;
  static void client_transport_error(void* user, client_transaction& ct) noexcept;
  static void client_timer_c(void* user, client_transaction& ct) noexcept;
  static void client_terminated(void* user, client_transaction& ct) noexcept;

  sip_shard& _shard;
  server_transaction* _server;
  std::unique_ptr<stored_message> _request;
  transport::flow _from;
  std::size_t _own_routes;  ///< leading Route elements naming this proxy (popped when forwarding)
  std::string _strict_request_uri;
  bool _invite;
  std::vector<branch> _branches;
  unsigned _pending_connects = 0;
  bool _from_location = false;    ///< the targets are registered contacts (else a route)
  bool _targets_known = false;    ///< run() has started every branch it will
  bool _final_sent = false;
  bool _cancelled = false;        ///< the caller sent CANCEL
  std::uint16_t _best_status = 0;
  std::string _best_response;     ///< the best final so far, ready to send (top Via removed)
  unsigned _refs = 1;             ///< the server transaction's reference
  // The shard's list of live contexts: those its transactions still hold at the stop (when the
  // transaction table goes without calling back) are freed with the shard.
  proxy_context* _prev = nullptr;
  proxy_context* _next = nullptr;
  friend class sip_shard;
};

}  // namespace sipring::sip
