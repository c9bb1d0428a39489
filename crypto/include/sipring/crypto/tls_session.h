#pragma once
// One TLS session, driven purely by byte buffers: the transport feeds it the ciphertext it
// received and takes plaintext out; it gives plaintext and the session hands the ciphertext to
// an output sink, synchronously. wolfSSL's I/O callbacks read the fed bytes and call the sink,
// so the reactor (io_uring) stays the only thing that touches sockets.
//
// Single-threaded: a session lives on the shard that owns its connection.
//
//   session.feed(received);                      // borrowed until want_more
//   while (!established) switch (session.handshake()) { ... }
//   for (;;) { auto r = session.read(buf); ... until r.status == want_more }
//   session.write(iov);                          // ciphertext goes to the sink now

#include <sys/uio.h>

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "sipring/crypto/peer_certificate.h"
#include "sipring/crypto/tls_context.h"
#include "sipring/crypto/tls_error.h"

namespace sipring::crypto {

/// Where a session's ciphertext goes. `write` must take every byte (sending what the socket
/// takes and queueing the rest); false means the connection is gone and the session fails.
struct tls_output_sink {
  void* context = nullptr;
  bool (*write)(void* context, std::span<const char> ciphertext) = nullptr;
};

/// A policy check run during the handshake once the peer's chain has verified against the
/// context's CAs (and, for a client, its name matched): a result other than none refuses the
/// handshake with an alert. The federation policy plugs in here.
struct tls_peer_check {
  void* context = nullptr;
  tls_error (*check)(void* context, const peer_certificate& peer) = nullptr;
};

/// A client's resumable session (TLS 1.3 PSK ticket or TLS 1.2 ticket), kept between
/// connections to the same server; empty when there is none.
class tls_resumption {
 public:
  tls_resumption() = default;
  bool empty() const noexcept { return !_session; }

 private:
  friend class tls_session;
  std::shared_ptr<void> _session;  ///< WOLFSSL_SESSION
};

class tls_session {
 public:
  enum class step {
    done,       ///< handshake: established; read: `size` bytes of plaintext, call again
    want_more,  ///< every fed byte is used up: feed more ciphertext
    failed,     ///< see error(); the session is unusable (a fatal alert may have gone to the sink)
  };
  struct read_result {
    std::size_t size = 0;
    step status = step::want_more;
  };

  /// `server_name`, client role only: sent as SNI, and the server's certificate must match it
  /// (RFC 6125) when the context verifies the peer.
  tls_session(const tls_context& context, tls_output_sink sink, std::string_view server_name = {});
  ~tls_session();
  tls_session(const tls_session&) = delete;
  tls_session& operator=(const tls_session&) = delete;

  void set_peer_check(tls_peer_check check) noexcept { _peer_check = check; }
  /// Client, before the first handshake(): offer this earlier session for resumption.
  void resume(const tls_resumption& earlier);

  /// Lends received ciphertext to the session; it stays borrowed until handshake() or read()
  /// reports want_more (or failed). wolfSSL keeps an unfinished record itself.
  void feed(std::span<const char> ciphertext) noexcept { _input = ciphertext; }
  /// Advances the handshake (the client's first call sends its hello to the sink).
  step handshake();
  bool established() const noexcept { return _established; }

  /// Decrypts into `plaintext`. A close_notify from the peer fails with peer_closed.
  read_result read(std::span<char> plaintext);
  /// Encrypts the gathered bytes (as few records as fit) and hands them to the sink. False when
  /// the session has failed or the sink refused.
  bool write(std::span<const iovec> plaintext);
  bool write(std::string_view plaintext) {
    iovec v{const_cast<char*>(plaintext.data()), plaintext.size()};
    return write(std::span<const iovec>(&v, 1));
  }
  /// Sends close_notify (best effort).
  void close() noexcept;

  tls_error error() const noexcept { return _error; }
  /// wolfSSL's own error code behind error(), for the logs.
  int library_error() const noexcept { return _library_error; }
  /// The peer's certificate, as soon as it was received (also when it was refused).
  const peer_certificate& peer() const noexcept { return _peer; }
  bool resumed() const noexcept;
  std::string_view version() const noexcept;  ///< "TLSv1.3"
  std::string_view cipher() const noexcept;   ///< "TLS_AES_128_GCM_SHA256"
  /// Client: the session to offer next time (a TLS 1.3 ticket arrives after the handshake,
  /// with the first records read).
  tls_resumption resumption() const;

 private:
  struct callbacks;
  void fail(tls_error e, int library_error) noexcept;

  void* _ssl = nullptr;  ///< WOLFSSL
  tls_output_sink _sink;
  tls_peer_check _peer_check;
  std::span<const char> _input;
  std::string _server_name;
  peer_certificate _peer;
  tls_error _error = tls_error::none;
  tls_error _verify_error = tls_error::none;  ///< what the verify callback found
  int _library_error = 0;
  std::shared_ptr<const void> _ticket_state;  ///< server: the context's ticket sealer, kept alive
  peer_verification _verify = peer_verification::none;
  bool _established = false;
  bool _received = false;       ///< some ciphertext was read
  bool _looks_plaintext = false;  ///< the first byte read cannot start a TLS record
};

}  // namespace sipring::crypto
