#pragma once
// Client transactions (RFC 3261 §17.1, Figures 5 and 6, with RFC 6026's Accepted state): they
// send a request, retransmit it over unreliable transports, pass the responses the TU must see
// up to it, ACK non-2xx finals of an INVITE, and time out.
//
// A client transaction is created, owned and destroyed by a transaction_table: create_client()
// sends the request and starts it; it destroys itself after it has told its TU terminated().
// Every other event reaches the TU through client_callbacks, each called with the transaction
// and the `user` pointer given at creation:
//   response         each response the TU must see: every 1xx; an INVITE's first non-2xx final
//                    (already ACKed) and every 2xx (RFC 6026: 2xx retransmissions too, for the
//                    TU to forward); a non-INVITE's first final. Retransmitted non-2xx finals
//                    are absorbed (an INVITE's are ACKed again).
//   timeout          Timer B or F fired with no final response (a proxy acts as on a 408).
//   transport_error  send failed (§17.1.4; a proxy acts as on a 503).
//   timer_c          Timer C fired (§16.6 step 11, INVITE with timer_c set only): the proxy
//                    CANCELs the branch when it got a provisional (state() == proceeding),
//                    otherwise acts as on a 408. The transaction itself goes on.
//   terminated       last call: the transaction is destroyed when this returns.
// No callback runs inside create_client() or inside a TU call: a failure to send the first
// request is reported (transport_error, then terminated) at the next timer_wheel::advance().
// Responses are delivered from inside receive_response(), timeouts from inside advance().
//
// Storage: the request is copied (an owned std::string), and so is the ACK built for a non-2xx
// final (kept for retransmitted finals). Timers: A (INVITE, unreliable: T1, 2·T1, 4·T1 …),
// B (64·T1), D (timer_d unreliable, 0 reliable), M (64·T1, RFC 6026), E (non-INVITE,
// unreliable: T1 doubling up to T2, T2 once a provisional came), F (64·T1), K (T4 unreliable,
// 0 reliable), C (timer_c, reset by each provisional 101-199, stopped by a final). A timer of 0
// fires at the next advance() that reaches a new wheel tick (at most one tick late), never
// inside the call that armed it.

#include <sys/uio.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "sipring/parser/message_view.h"
#include "sipring/parser/method.h"
#include "sipring/sip/transaction_env.h"
#include "sipring/transport/flow.h"

namespace sipring::sip {

class client_transaction;
class transaction_table;

enum class client_state : std::uint8_t {
  calling,     ///< INVITE sent, nothing received
  trying,      ///< non-INVITE sent, nothing received
  proceeding,  ///< a provisional came
  completed,   ///< a non-2xx final (INVITE) or any final (non-INVITE) came
  accepted,    ///< INVITE: a 2xx came (RFC 6026)
  terminated,
};

std::string_view client_state_name(client_state s) noexcept;

/// The TU's side. Null members are allowed (the event is dropped).
struct client_callbacks {
  void (*response)(void* user, client_transaction& ct, const parser::message_view& response) noexcept;
  void (*timeout)(void* user, client_transaction& ct) noexcept;
  void (*transport_error)(void* user, client_transaction& ct) noexcept;
  void (*timer_c)(void* user, client_transaction& ct) noexcept;
  void (*terminated)(void* user, client_transaction& ct) noexcept;
};

/// What create_client() needs besides the request bytes.
struct client_options {
  std::string_view method;  ///< the request's method token ("INVITE", "OPTIONS", "CANCEL" …)
  std::string_view branch;  ///< the branch of the request's top Via (a branch_generator id)
  transport::flow to;       ///< where the request (and an ACK) goes; reliable when a stream
  bool timer_c = false;     ///< run Timer C (proxy INVITE client transactions, §16.6 step 11)
};

class client_transaction {
 public:
  client_transaction(const client_transaction&) = delete;
  client_transaction& operator=(const client_transaction&) = delete;

  client_state state() const noexcept { return _state; }
  bool is_invite() const noexcept { return _invite; }
  bool reliable() const noexcept { return _reliable; }
  std::string_view branch() const noexcept { return _branch; }
  std::string_view method() const noexcept { return _method; }
  const transport::flow& flow() const noexcept { return _flow; }
  /// The request as sent (the owned copy): build_cancel() builds a CANCEL from it.
  std::string_view request() const noexcept { return _request; }
  /// The ACK sent for a non-2xx final (empty before one came).
  std::string_view ack() const noexcept { return _ack; }
  void* user() const noexcept { return _user; }
  void set_user(void* user) noexcept { _user = user; }

  /// Feeds a response that transaction_table::find_client() matched to this transaction: it is
  /// passed to the TU (callbacks.response) or absorbed, per the state machine.
  void receive_response(const parser::message_view& response) noexcept;

 private:
  friend class transaction_table;
  enum class ending : std::uint8_t { none, timeout, transport_error };

  client_transaction(transaction_table& table, std::string request, const client_options& o,
                     const client_callbacks& cb, void* user);
  ~client_transaction() = default;

  void start() noexcept;
  bool send(std::string_view bytes) noexcept;
  void arm(detail::owned_timer& t, std::chrono::milliseconds after) noexcept;
  /// Terminates now and tells the TU (timer context only: the transaction is destroyed).
  void end_now(ending why) noexcept;
  /// Terminates now (no longer matched) and tells the TU at the next advance().
  void end_soon(ending why) noexcept;
  void on_retransmit() noexcept;
  void on_timeout() noexcept;
  void on_timer_c() noexcept;
  void deliver(const parser::message_view& response) noexcept;
  static void fire_retransmit(runtime::timer_entry& t) noexcept;
  static void fire_timeout(runtime::timer_entry& t) noexcept;
  static void fire_timer_c(runtime::timer_entry& t) noexcept;

  transaction_table* _table;
  const client_callbacks* _cb;
  void* _user;
  transport::flow _flow;
  std::string _request;
  std::string _ack;
  std::string _branch;
  std::string _method;
  std::chrono::milliseconds _interval{0};  ///< the next A / E interval
  client_state _state;
  bool _invite;
  bool _reliable;
  bool _timer_c_enabled;
  ending _pending = ending::none;  ///< what end_soon() reports at the next advance()
  detail::owned_timer _retransmit;  ///< A or E
  detail::owned_timer _timeout;     ///< B, F, D, K, M, or an end_soon()
  detail::owned_timer _timer_c;     ///< C
  client_transaction* _index_next = nullptr;
  std::uint64_t _hash = 0;
};

}  // namespace sipring::sip
