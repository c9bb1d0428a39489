#include "sipring/sip/transaction_table.h"

#include <sys/random.h>

#include <chrono>
#include <cstring>

#include "sipring/parser/cseq.h"
#include "sipring/parser/host.h"
#include "sipring/parser/via.h"
#include "sipring/sip/branch.h"

namespace sipring::sip {

namespace {

constexpr std::size_t initial_buckets = 256;

// The top Via of a message (the first element of the first Via line); false when it fails.
bool top_via(const parser::message_view& m, parser::via& out) noexcept {
  const std::string_view value = m.value_of(parser::header_id::via);
  if (value.empty()) return false;
  bool found = false;
  const auto e = parser::for_each_via(value, [&](const parser::via& v) {
    out = v;
    found = true;
    return false;
  });
  return e == parser::error_code::none && found;
}

constexpr std::uint64_t mix(std::uint64_t x) noexcept {
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ULL;
  x ^= x >> 32;
  return x;
}

}  // namespace

bool server_key_of(const parser::message_view& request, server_key& out) noexcept {
  if (!request.is_request()) return false;
  parser::via v;
  if (!top_via(request, v) || !has_magic_cookie(v.branch)) return false;
  out.branch = v.branch;
  out.sent_by_host = v.sent_by.host;
  out.sent_by_port = v.sent_by.has_port ? v.sent_by.port : 0;
  out.method = request.method_token();
  out.method_id = request.method();
  return true;
}

bool client_key_of(const parser::message_view& response, client_key& out) noexcept {
  if (response.is_request()) return false;
  parser::via v;
  if (!top_via(response, v) || v.branch.empty()) return false;
  parser::cseq c;
  if (parser::parse_cseq(response.value_of(parser::header_id::cseq), c) != parser::error_code::none)
    return false;
  out.branch = v.branch;
  out.method = c.method_token;
  return true;
}

transaction_table::transaction_table(const transaction_env& env)
    : _env(env), _clients(initial_buckets, nullptr), _servers(initial_buckets, nullptr) {
  // Per-table hash seed: the server side hashes branches that peers choose.
  if (getrandom(&_seed, sizeof _seed, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof _seed))
    _seed = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
}

transaction_table::~transaction_table() {
  for (client_transaction*& head : _clients) {
    while (head != nullptr) {
      client_transaction* t = head;
      head = t->_index_next;
      delete t;
    }
  }
  for (server_transaction*& head : _servers) {
    while (head != nullptr) {
      server_transaction* t = head;
      head = t->_index_next;
      delete t;
    }
  }
}

std::uint64_t transaction_table::hash(std::string_view branch) const noexcept {
  // Eight bytes at a time, each round keyed by the seed.
  std::uint64_t h = _seed ^ (branch.size() * 0x9e3779b97f4a7c15ULL);
  std::size_t i = 0;
  for (; i + 8 <= branch.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, branch.data() + i, 8);
    h = mix(h ^ w) + _seed;
  }
  std::uint64_t w = 0;
  if (i < branch.size()) std::memcpy(&w, branch.data() + i, branch.size() - i);
  return mix(mix(h ^ w) ^ _seed);
}

template <class T>
void transaction_table::link(std::vector<T*>& buckets, T& t, std::size_t count) {
  if (count > buckets.size()) {
    // Grow: keep at most one transaction per bucket on average.
    std::vector<T*> bigger(buckets.size() * 2, nullptr);
    const std::size_t mask = bigger.size() - 1;
    for (T* head : buckets) {
      while (head != nullptr) {
        T* next = head->_index_next;
        T*& slot = bigger[head->_hash & mask];
        head->_index_next = slot;
        slot = head;
        head = next;
      }
    }
    buckets.swap(bigger);
  }
  T*& slot = buckets[t._hash & (buckets.size() - 1)];
  t._index_next = slot;
  slot = &t;
}

template <class T>
void transaction_table::unlink(std::vector<T*>& buckets, T& t) noexcept {
  for (T** p = &buckets[t._hash & (buckets.size() - 1)]; *p != nullptr; p = &(*p)->_index_next) {
    if (*p == &t) {
      *p = t._index_next;
      t._index_next = nullptr;
      return;
    }
  }
}

client_transaction* transaction_table::create_client(std::span<const iovec> request,
                                                     const client_options& o,
                                                     const client_callbacks& cb, void* user) {
  std::string bytes;
  std::size_t total = 0;
  for (const iovec& v : request) total += v.iov_len;
  bytes.reserve(total);
  for (const iovec& v : request) bytes.append(static_cast<const char*>(v.iov_base), v.iov_len);
  auto* ct = new client_transaction(*this, std::move(bytes), o, cb, user);
  ct->_hash = hash(ct->_branch);
  link(_clients, *ct, ++_client_count);
  ct->start();
  return ct;
}

client_transaction* transaction_table::create_client(std::string_view request,
                                                     const client_options& o,
                                                     const client_callbacks& cb, void* user) {
  const iovec v{const_cast<char*>(request.data()), request.size()};
  return create_client(std::span<const iovec>(&v, 1), o, cb, user);
}

server_transaction* transaction_table::create_server(const server_key& key,
                                                     const transport::flow& respond_to,
                                                     const server_callbacks& cb, void* user) {
  if (key.method_id == parser::method_id::ack) return nullptr;
  auto* st = new server_transaction(*this, key, respond_to, cb, user);
  st->_hash = hash(st->_branch);
  link(_servers, *st, ++_server_count);
  return st;
}

server_transaction* transaction_table::find_server(const server_key& key,
                                                   std::string_view method) noexcept {
  const std::uint64_t h = hash(key.branch);
  for (server_transaction* st = _servers[h & (_servers.size() - 1)]; st != nullptr;
       st = st->_index_next) {
    if (st->_hash == h && st->_state != server_state::terminated && st->_branch == key.branch &&
        st->_method == method && st->_sent_by_port == key.sent_by_port &&
        parser::host_equal(st->_sent_by_host, key.sent_by_host))
      return st;
  }
  return nullptr;
}

server_transaction* transaction_table::find_server(const server_key& key) noexcept {
  return find_server(key, key.method_id == parser::method_id::ack ? std::string_view("INVITE")
                                                                  : key.method);
}

server_transaction* transaction_table::find_cancel_target(const server_key& cancel) noexcept {
  return find_server(cancel, "INVITE");
}

client_transaction* transaction_table::find_client(const client_key& key) noexcept {
  const std::uint64_t h = hash(key.branch);
  for (client_transaction* ct = _clients[h & (_clients.size() - 1)]; ct != nullptr;
       ct = ct->_index_next) {
    if (ct->_hash == h && ct->_state != client_state::terminated && ct->_branch == key.branch &&
        ct->_method == key.method)
      return ct;
  }
  return nullptr;
}

void transaction_table::destroy(client_transaction* ct) noexcept {
  unlink(_clients, *ct);
  --_client_count;
  delete ct;
}

void transaction_table::destroy(server_transaction* st) noexcept {
  unlink(_servers, *st);
  --_server_count;
  delete st;
}

}  // namespace sipring::sip
