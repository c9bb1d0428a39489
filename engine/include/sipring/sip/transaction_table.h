#pragma once
// A shard's transactions: creates them, owns them (stable addresses: each is its own heap
// object), finds the one a message belongs to, and forgets each once it has terminated.
// Single-threaded: one table per shard, used only on that shard.
//
// Matching (RFC 3261 §17.1.3, §17.2.3). A response belongs to the client transaction whose
// branch equals its top Via's branch and whose method equals its CSeq method. A request belongs
// to the server transaction with the same top Via branch and sent-by (host compared as
// parser::host_equal does, port as written: absent is 0) and the same method, an ACK matching
// the INVITE; a CANCEL has its own transaction, and find_cancel_target() finds the INVITE it
// cancels (§9.2). Branches are compared octet by octet.
//
// RFC 2543 requests (a top Via branch without the magic cookie "z9hG4bK") are not supported:
// §17.2.3's backward-compatible matching is not implemented, server_key_of() refuses them and
// the TU handles them without a transaction (statelessly, or by rejecting them).
//
// Typical TU use on a request: server_key_of(m, k); then find_server(k) and
// st->receive_request(m) when found, otherwise create_server(k, flow, cb, user). On a response:
// client_key_of(m, k); if shard_of_branch(k.branch) names another shard, hand it over; else
// find_client(k) and ct->receive_response(m).

#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "sipring/parser/message_view.h"
#include "sipring/parser/method.h"
#include "sipring/sip/client_transaction.h"
#include "sipring/sip/server_transaction.h"
#include "sipring/sip/transaction_env.h"

namespace sipring::sip {

/// A request's server-transaction key; views into the request.
struct server_key {
  std::string_view branch;        ///< the top Via's branch (magic cookie included)
  std::string_view sent_by_host;  ///< the top Via's sent-by host, as written
  std::uint16_t sent_by_port = 0; ///< 0 when absent
  std::string_view method;        ///< the Request-Line method token
  parser::method_id method_id = parser::method_id::extension;
};

/// A response's client-transaction key; views into the response.
struct client_key {
  std::string_view branch;  ///< the top Via's branch
  std::string_view method;  ///< the CSeq method token
};

/// Fills `out` from a parsed request; false when it is not a request, its top Via does not
/// parse, or its branch lacks the magic cookie (RFC 2543: unsupported).
[[nodiscard]] bool server_key_of(const parser::message_view& request, server_key& out) noexcept;
/// Fills `out` from a parsed response; false when it is not a response, or has no top Via
/// branch or no valid CSeq.
[[nodiscard]] bool client_key_of(const parser::message_view& response, client_key& out) noexcept;

class transaction_table {
 public:
  /// `env` is copied; its wheel, time and send context must outlive the table.
  explicit transaction_table(const transaction_env& env);
  /// Destroys the transactions still alive, without calling their TUs.
  ~transaction_table();
  transaction_table(const transaction_table&) = delete;
  transaction_table& operator=(const transaction_table&) = delete;

  /// Copies the request, sends it to o.to and starts the transaction (never null). If that
  /// first send fails, the transaction is already terminated: the TU hears transport_error
  /// and terminated at the next advance(). Two live client transactions must not share branch
  /// and method (a CANCEL shares its INVITE's branch: that is fine).
  client_transaction* create_client(std::span<const iovec> request, const client_options& o,
                                    const client_callbacks& cb, void* user);
  client_transaction* create_client(std::string_view request, const client_options& o,
                                    const client_callbacks& cb, void* user);

  /// Starts a server transaction for a request that find_server() did not match, its
  /// responses going to `respond_to`. Null for an ACK (which never creates one).
  server_transaction* create_server(const server_key& key, const transport::flow& respond_to,
                                    const server_callbacks& cb, void* user);

  /// The live server transaction a request belongs to (an ACK: its INVITE's), or null.
  server_transaction* find_server(const server_key& key) noexcept;
  /// The live INVITE server transaction a CANCEL (its key) cancels, or null.
  server_transaction* find_cancel_target(const server_key& cancel) noexcept;
  /// The live client transaction a response belongs to, or null.
  client_transaction* find_client(const client_key& key) noexcept;

  std::size_t size() const noexcept { return _client_count + _server_count; }
  std::size_t client_count() const noexcept { return _client_count; }
  std::size_t server_count() const noexcept { return _server_count; }
  const transaction_env& env() const noexcept { return _env; }

 private:
  friend class client_transaction;
  friend class server_transaction;

  std::uint64_t hash(std::string_view branch) const noexcept;
  template <class T>
  static void link(std::vector<T*>& buckets, T& t, std::size_t count);
  template <class T>
  static void unlink(std::vector<T*>& buckets, T& t) noexcept;
  void destroy(client_transaction* ct) noexcept;
  void destroy(server_transaction* st) noexcept;
  server_transaction* find_server(const server_key& key, std::string_view method) noexcept;

  transaction_env _env;
  std::uint64_t _seed;
  std::vector<client_transaction*> _clients;  ///< hash buckets (a power of two), intrusive
  std::vector<server_transaction*> _servers;
  std::size_t _client_count = 0;  ///< created, not yet destroyed (terminated ones are not found)
  std::size_t _server_count = 0;
};

}  // namespace sipring::sip
