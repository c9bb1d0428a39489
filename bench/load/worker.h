#pragma once
// One shard of the generator: its slice of the users, its sockets, its transaction table and
// the scenarios' state machines (UAC: REGISTER/OPTIONS/MESSAGE, or INVITE -> ACK -> BYE; the
// answering side: 200 to MESSAGE, 180 + 200 to INVITE, retransmitted until the ACK, 200 to BYE),
// with RFC 3261's UDP retransmissions (Timer A/E from T1 doubling, E capped at T2) and the
// transaction timeout. Runs on its shard's reactor only.

#include <netinet/in.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "messages.h"
#include "options.h"
#include "rate.h"
#include "stats.h"
#include "transport.h"
#include "sipring/parser/message_view.h"
#include "sipring/runtime/reactor.h"
#include "sipring/runtime/shard_set.h"
#include "sipring/runtime/task.h"

namespace sipring::load {

/// A shard reactor's provided receive buffers: polled UDP uses none of them; a datagram must fit
/// whole in one (a 200 to REGISTER lists every binding of the AOR: it can be large), a stream
/// is cut anywhere.
struct receive_buffer_plan {
  unsigned count, size;
};
inline receive_buffer_plan receive_buffers_for(const load_options& o) noexcept {
  if (o.transport != transport_kind::udp) return {1024, 4096};
  return o.poll ? receive_buffer_plan{16, 4096} : receive_buffer_plan{256, 65536};
}

class worker {
 public:
  worker(const load_options& o, unsigned shard, unsigned shards, shard_stats& stats,
         const crypto::tls_context* tls);
  ~worker();
  worker(const worker&) = delete;
  worker& operator=(const worker&) = delete;

  /// The shard's whole run: sockets, receivers' registrations, the measured phase, the drain.
  runtime::task<void> run(runtime::shard_context& ctx);

 private:
  struct slot;
  struct uas_timer;
  enum class phase : std::uint8_t { free, request, invite, bye };
  enum class outcome : std::uint8_t { completed, timeout, status, transport };

  // Transactions.
  slot& at(std::uint32_t i) noexcept;
  bool grow();
  bool start_transaction(bool setup, std::uint32_t user);
  void send_request(slot& s);
  /// The transaction uses one of the shard's persistent connections and it is gone.
  bool shared_connection_lost(const slot& s) const noexcept;
  void arm(slot& s);
  void finish(slot& s, outcome o, std::uint16_t status = 0);
  static void on_timer(runtime::timer_entry& t) noexcept;
  static void on_uas_timer(runtime::timer_entry& t) noexcept;
  void write_request(slot& s);
  bool answer_challenge(slot& s, const parser::message_view& m);
  void record_latency(slot& s);

  // Messages in.
  void on_message(std::string_view bytes, int conn, const sockaddr_in* source);
  void on_response(const parser::message_view& m);
  void on_request(const parser::message_view& m, int conn, const sockaddr_in* source);
  void reply(const parser::message_view& request, std::uint16_t status, std::string_view extra, int conn,
             const sockaddr_in* source, slot* keep);
  void send_to_server(std::string_view bytes, int conn);

  // Receivers and output.
  runtime::task<void> receive_udp(int fd);
  struct poll_buffers;
  void drain_udp(int fd);
  void poll_now();
  runtime::task<void> receive_stream(int conn);
  void flush();
  runtime::task<bool> connect_all(runtime::reactor& loop);
  // --new-connection-per-transaction: a transaction's own connection (connect, TLS handshake,
  // the request, the final response, close).
  int open_own_connection(std::string& why);
  runtime::task<void> own_connection(std::uint32_t slot_index, std::uint32_t generation, int conn);

  std::uint64_t now_ns() const noexcept;
  /// How long the shard sleeps between two turns of the measured phase (--tick-ms, or chosen
  /// from the transport, the receive mode and the current rate).
  std::chrono::milliseconds turn_length() const noexcept;

  const load_options& _o;
  unsigned _shard, _shards;
  shard_stats& _stats;
  const crypto::tls_context* _tls;
  runtime::reactor* _loop = nullptr;
  std::uint32_t _user_begin = 1, _user_end = 1, _next_user = 1;
  std::unique_ptr<message_factory> _factory;
  /// The transaction table, grown as the in-flight count needs up to _slot_limit, in storage
  /// allocated by chunks (never per message); a slot's index is stable. _slot_count slots exist.
  static constexpr std::uint32_t chunk_size = 256;
  std::vector<std::unique_ptr<std::byte[]>> _chunks;
  std::uint32_t _slot_count = 0, _slot_limit = 0;
  std::vector<std::uint32_t> _free;
  std::uint32_t _branch = 0;
  std::uint32_t _in_flight = 0, _setup_in_flight = 0;
  std::uint64_t _setup_failed = 0;
  bool _measuring = false, _starting = false, _unregistering = false;
  std::uint64_t _started = 0, _start_limit = 0;
  unsigned _step = 0;
  std::uint64_t _t0_ns = 0;
  unsigned _concurrency = 0;

  int _udp_fd = -1;           ///< UDP: the shard's one socket (both sides)
  std::uint16_t _port = 0;    ///< its local port, or the first stream connection's
  datagram_batch _udp_out;
  std::vector<std::unique_ptr<stream_connection>> _conns;
  unsigned _persistent = 0;  ///< _conns[0, _persistent): connect_all's; the rest: transactions' own
  std::vector<runtime::cancel_token*> _conn_stop;  ///< per _conns entry: its own_connection's token
  std::vector<int> _free_conns;                    ///< released entries of _conns
  crypto::tls_resumption _ticket;                  ///< --tls-resume: the last connection's session
  std::vector<runtime::cancel_token*> _receiver_tokens;  ///< one per receiving coroutine
  unsigned _receivers = 0;
  std::string _uas_contact;  ///< what follows the user in our Contact: "@ip:port[;transport=..]>\r\n"
  histogram _window;
  std::vector<parser::header_field> _headers;  ///< on_message's parse storage
  std::unique_ptr<poll_buffers> _poll;  ///< polled receive (--receive poll)
  std::uint64_t _rx_ns = 0;              ///< receive time of the message in hand (steady ns), or 0
  std::int64_t _real_minus_steady = 0;
};

}  // namespace sipring::load
