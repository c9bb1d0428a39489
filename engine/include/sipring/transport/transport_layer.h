#pragma once
// One shard's transports: it receives on the shard's UDP sockets and accepted TCP connections
// (TLS joins as one more kind of stream connection), hands every whole message to the SIP
// layer, and sends messages to a flow. Single-threaded: everything runs on the shard's reactor.
//
// Sends are immediate non-blocking syscalls, so the kernel copies the bytes at once and a
// gather list over a receive buffer needs to live only for the call. A stream whose socket
// buffer is full keeps the rest in its connection's output queue, drained by a coroutine.
// A flow owned by another shard (a connection accepted there) is reached through invoke_on,
// with a copy of the bytes.

#include <sys/uio.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "sipring/runtime/buffer_ring.h"
#include "sipring/runtime/shard_set.h"
#include "sipring/crypto/tls_error.h"
#include "sipring/crypto/tls_session.h"
#include "sipring/transport/federation.h"
#include "sipring/transport/flow.h"
#include "sipring/transport/listeners.h"
#include "sipring/transport/tls_credentials.h"

namespace sipring::transport {

/// One whole SIP message as received.
struct inbound_message {
  std::string_view bytes;
  flow from;
  /// UDP: the receive buffer holding `bytes`; the SIP layer may move it out to keep the bytes
  /// (they return to the ring when it is destroyed). Streams: null, and `bytes` live only for
  /// the call.
  runtime::received_buffer* datagram_buffer = nullptr;
  bool truncated = false;  ///< a datagram larger than the receive buffer: only its start is here
  /// TLS: the federation partner whose mutually authenticated link carried it (-1: none).
  int partner = -1;
};

/// Where messages go: the SIP layer. Plain function pointers (no virtual call per message).
struct message_sink {
  void* context = nullptr;
  void (*deliver)(void* context, inbound_message& message) = nullptr;
  /// A stream connection closed (peer, error, idle timeout or stop); may be null.
  void (*closed)(void* context, const flow& f) = nullptr;
};

struct transport_options {
  std::uint32_t max_message_size = 65536;
  std::chrono::seconds idle_timeout{600};  ///< a connection without traffic is closed
  /// A stream that began a message and did not finish it in this time is closed (a peer that
  /// stops mid-message or never ends its headers).
  std::chrono::seconds message_timeout{32};
  std::size_t max_output_queue = 4 << 20;  ///< bytes queued for a slow reader before closing it
  /// TLS: a handshake not finished in this time is refused (a peer that stops mid-handshake).
  std::chrono::milliseconds handshake_timeout{10000};
  /// TLS: handshakes in progress at once on one shard; a connection beyond is closed at once.
  std::uint32_t max_handshakes = 256;
};

/// One shard's TLS counters (refusals are also logged one by one).
struct tls_counters {
  std::uint64_t established = 0;
  std::uint64_t resumed = 0;
  std::uint64_t refused = 0;         ///< handshakes refused, every reason
  std::uint64_t refused_busy = 0;    ///< connections closed at once: max_handshakes reached
  std::uint64_t by_reason[static_cast<std::size_t>(crypto::tls_error::internal) + 1] = {};
};

class transport_set;
class stream_connection;

class transport_layer {
 public:
  transport_layer(runtime::shard_context& shard, transport_set& set, const transport_options& options,
                  message_sink sink = {});
  ~transport_layer();
  transport_layer(const transport_layer&) = delete;
  transport_layer& operator=(const transport_layer&) = delete;

  /// Where received messages go; set before run() (the SIP layer is built on this layer).
  void set_sink(message_sink sink) noexcept { _sink = sink; }

  /// Starts receiving on this shard's sockets (coroutines spawned on the shard's reactor) until
  /// the stop; connections are closed after the grace. The layer must outlive the reactor's run.
  runtime::task<void> run();

  /// Sends one message to `to`. UDP: sendmsg from the listener's socket to `to.remote` (the
  /// listener of the same address family when `to.listener` does not fit). Streams: over the
  /// connection, here or on its owner shard. False when the message cannot be sent (no such
  /// connection, socket error); a cross-shard stream send reports true and logs a failure.
  bool send(const flow& to, std::span<const iovec> message);
  bool send(const flow& to, std::string_view message) {
    iovec v{const_cast<char*>(message.data()), message.size()};
    return send(to, std::span<const iovec>(&v, 1));
  }

  /// Opens a TCP connection to `to` from this shard and serves it like an accepted one; the
  /// flow to send over, or the error.
  runtime::task<runtime::result<flow>> connect(peer_address to);

  /// TLS: this shard's credentials (set before run(); replaced on reload: new handshakes use
  /// the new ones, established connections keep theirs).
  void set_tls(std::shared_ptr<const tls_credentials> credentials) noexcept { _tls = std::move(credentials); }
  /// Federation partners (shared by the shards); null when there are none.
  void set_federation(federation* partners) noexcept { _federation = partners; }
  const federation* partners() const noexcept { return _federation; }
  /// A mutually authenticated link to federation partner `partner`: a live one (either side
  /// opened it, any shard), else a new one opened from this shard. Messages sent before its
  /// handshake finishes wait for it.
  runtime::task<runtime::result<flow>> link_to_partner(int partner);
  const tls_counters& tls_stats() const noexcept { return _tls_stats; }

  /// An open stream connection to `remote` owned by this shard, if any (connection reuse).
  const flow* find_connection(protocol p, const peer_address& remote) const noexcept;

  const listener_info& listener(std::size_t i) const noexcept;
  std::size_t listener_count() const noexcept;
  /// The index of a listener of this transport and address family, or -1.
  int listener_for(protocol p, int family) const noexcept;
  unsigned shard_id() const noexcept { return _shard.id(); }
  runtime::shard_context& shard() noexcept { return _shard; }
  std::size_t connection_count() const noexcept { return _open_connections; }
  const transport_options& options() const noexcept { return _options; }

 private:
  friend class stream_connection;
  runtime::task<void> receive_datagrams(std::size_t listener, int fd);
  runtime::task<void> accept_connections(std::size_t listener, int fd);
  runtime::task<void> serve(stream_connection* c);
  bool receive_plaintext(stream_connection* c, std::span<const char> bytes);
  bool receive_tls(stream_connection* c, std::span<const char> bytes);
  bool start_tls(stream_connection* c, const crypto::tls_context* context, std::string_view server_name);
  bool handshake_finished(stream_connection* c);
  void refuse_tls(stream_connection* c, crypto::tls_error why);
  static crypto::tls_error check_partner(void* connection, const crypto::peer_certificate& cert);
  runtime::task<void> send_elsewhere(flow to, std::string bytes);
  stream_connection* add_connection(int fd, std::size_t listener, protocol p, const peer_address& remote);
  void remove_connection(stream_connection* c) noexcept;
  stream_connection* find(const flow& f) const noexcept;
  bool send_udp(const flow& to, std::span<const iovec> message);
  std::string listener_info_text(std::size_t listener) const;

  runtime::shard_context& _shard;
  transport_set& _set;
  transport_options _options;
  message_sink _sink;
  std::vector<int> _udp_fds;  ///< by listener index; -1 for stream listeners
  struct slot {
    std::unique_ptr<stream_connection> connection;
    std::uint32_t generation = 0;
  };
  std::vector<slot> _slots;
  std::vector<std::uint32_t> _free_slots;
  std::size_t _open_connections = 0;
  std::shared_ptr<const tls_credentials> _tls;
  federation* _federation = nullptr;
  std::uint32_t _handshakes_in_progress = 0;
  tls_counters _tls_stats;
  /// Per partner: the session to resume on the next link we open to it.
  std::vector<crypto::tls_resumption> _partner_resumption;
};

/// Every shard's transport_layer and the listening sockets: built before the shards start,
/// shared read-only after (each shard fills in its own layer when it starts).
class transport_set {
 public:
  /// `shard_count`: how many shards the set will run (the layers' table is sized once).
  transport_set(runtime::shard_set& shards, unsigned shard_count, listener_sockets sockets);
  transport_set(const transport_set&) = delete;
  transport_set& operator=(const transport_set&) = delete;

  runtime::shard_set& shards() noexcept { return _shards; }
  const std::vector<listener_info>& listeners() const noexcept { return _sockets.info; }
  /// The layer of shard n (null until that shard has started).
  transport_layer* on(unsigned n) const noexcept { return _layers[n].load(std::memory_order_acquire); }

 private:
  friend class transport_layer;
  runtime::shard_set& _shards;
  listener_sockets _sockets;
  unsigned _count;
  std::unique_ptr<std::atomic<transport_layer*>[]> _layers;
};

}  // namespace sipring::transport
