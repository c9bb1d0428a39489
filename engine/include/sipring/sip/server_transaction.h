#pragma once
// Server transactions (RFC 3261 §17.2, Figures 7 and 8, with RFC 6026's Accepted state): they
// absorb retransmitted requests by re-sending the last response, send the TU's responses,
// retransmit an INVITE's non-2xx final over unreliable transports until the ACK comes, and
// absorb that ACK.
//
// A server transaction is created, owned and destroyed by a transaction_table (create_server()).
// It sends no response by itself: the TU sends 100 Trying for an INVITE (§17.2.1; §16.2 for a
// proxy) and every other response with respond(). Responses go to the flow given at creation
// (the TU chooses it per §18.2.2: received/rport for UDP, the connection for streams).
//
// TU events (server_callbacks, each with the transaction and the `user` pointer):
//   ack_timeout      Timer H fired: a non-2xx final was never ACKed (then terminated follows).
//   transport_error  send failed (§17.2.4), then terminated.
//   terminated       last call: the transaction is destroyed when this returns.
// A failure inside respond() or receive_request() makes the call return false / terminates the
// transaction at once (it is no longer matched) and is reported at the next advance().
//
// Storage: the last provisional or non-2xx final response is copied (an owned std::string) to
// answer retransmissions; 2xx responses are not kept (in Accepted the TU retransmits them).
// Timers: G (INVITE non-2xx final, unreliable: T1 doubling up to T2), H (64·T1), I (T4
// unreliable, 0 reliable), L (64·T1, RFC 6026), J (non-INVITE final: 64·T1 unreliable, 0
// reliable). A timer of 0 fires at the next advance() that reaches a new wheel tick (at most
// one tick late), never inside the call that armed it.

#include <sys/uio.h>

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "sipring/parser/message_view.h"
#include "sipring/sip/transaction_env.h"
#include "sipring/transport/flow.h"

namespace sipring::sip {

class server_transaction;
class transaction_table;
struct server_key;

enum class server_state : std::uint8_t {
  trying,      ///< non-INVITE, no response yet
  proceeding,  ///< INVITE from the start; non-INVITE once a provisional was sent
  completed,   ///< a non-2xx final (INVITE) or any final (non-INVITE) was sent
  confirmed,   ///< INVITE: the ACK came
  accepted,    ///< INVITE: a 2xx was sent (RFC 6026)
  terminated,
};

std::string_view server_state_name(server_state s) noexcept;

/// The TU's side. Null members are allowed (the event is dropped).
struct server_callbacks {
  void (*ack_timeout)(void* user, server_transaction& st) noexcept;
  void (*transport_error)(void* user, server_transaction& st) noexcept;
  void (*terminated)(void* user, server_transaction& st) noexcept;
};

class server_transaction {
 public:
  server_transaction(const server_transaction&) = delete;
  server_transaction& operator=(const server_transaction&) = delete;

  server_state state() const noexcept { return _state; }
  bool is_invite() const noexcept { return _invite; }
  bool reliable() const noexcept { return _reliable; }
  std::string_view branch() const noexcept { return _branch; }
  std::string_view method() const noexcept { return _method; }
  const transport::flow& flow() const noexcept { return _flow; }
  /// The status of the last response sent (0: none yet).
  std::uint16_t last_status() const noexcept { return _last_status; }
  void* user() const noexcept { return _user; }
  void set_user(void* user) noexcept { _user = user; }

  /// Feeds a request that transaction_table::find_server() matched to this transaction: a
  /// retransmission (answered with the last response, if any: nothing in Trying or before the
  /// first provisional) or, for an INVITE, the ACK. Returns true when the transaction absorbed
  /// it; false for an ACK in Accepted (RFC 6026), which the TU handles (a proxy forwards it).
  [[nodiscard]] bool receive_request(const parser::message_view& request) noexcept;

  /// Sends the TU's response (the iovecs in order, one complete message whose status is
  /// `status`) and moves the state machine. A response the state does not allow (a provisional
  /// after a final, any response in Completed or Confirmed, a non-2xx in Accepted) is dropped
  /// and true returned. False: transport error, or the transaction had terminated.
  [[nodiscard]] bool respond(std::uint16_t status, std::span<const iovec> bytes) noexcept;
  [[nodiscard]] bool respond(std::uint16_t status, std::string_view bytes) noexcept;

 private:
  friend class transaction_table;
  enum class ending : std::uint8_t { none, ack_timeout, transport_error };

  server_transaction(transaction_table& table, const server_key& key, const transport::flow& to,
                     const server_callbacks& cb, void* user);
  ~server_transaction() = default;

  bool send_bytes(std::span<const iovec> bytes) noexcept;
  bool resend_last() noexcept;
  void arm(detail::owned_timer& t, std::chrono::milliseconds after) noexcept;
  void end_now(ending why) noexcept;
  void end_soon(ending why) noexcept;
  void on_retransmit() noexcept;
  void on_timeout() noexcept;
  static void fire_retransmit(runtime::timer_entry& t) noexcept;
  static void fire_timeout(runtime::timer_entry& t) noexcept;

  transaction_table* _table;
  const server_callbacks* _cb;
  void* _user;
  transport::flow _flow;
  std::string _branch;
  std::string _sent_by_host;
  std::string _method;  ///< the request's method token (INVITE for the one an ACK matches)
  std::string _response;  ///< the last response kept for retransmissions
  std::chrono::milliseconds _interval{0};  ///< the next G interval
  std::uint16_t _sent_by_port;
  std::uint16_t _last_status = 0;
  server_state _state = server_state::trying;
  bool _invite;
  bool _reliable;
  ending _pending = ending::none;
  detail::owned_timer _retransmit;  ///< G
  detail::owned_timer _timeout;     ///< H, I, J, L, or an end_soon()
  server_transaction* _index_next = nullptr;
  std::uint64_t _hash = 0;
};

}  // namespace sipring::sip
