#pragma once
// The key that seals TLS session tickets (TLS 1.2 tickets and TLS 1.3 resumption PSKs): made at
// start (and anew on reload), shared read-only by every shard's server context, so a client
// resumes on whichever shard SO_REUSEPORT hands its next connection to. Tickets are sealed
// with AES-256-GCM (AES-NI); the key name lets a ticket sealed under a replaced key be refused
// cleanly (a full handshake follows).

#include <array>
#include <cstdint>
#include <memory>

namespace sipring::crypto {

class session_ticket_keys {
 public:
  static constexpr std::size_t name_size = 16;
  static constexpr std::size_t key_size = 32;

  /// Fresh random name and key from wolfSSL's RNG; throws std::runtime_error when the RNG fails.
  static std::shared_ptr<const session_ticket_keys> generate();

  const std::array<std::uint8_t, name_size>& name() const noexcept { return _name; }
  const std::array<std::uint8_t, key_size>& key() const noexcept { return _key; }
  ~session_ticket_keys();

 private:
  session_ticket_keys() = default;
  std::array<std::uint8_t, name_size> _name{};
  std::array<std::uint8_t, key_size> _key{};
};

}  // namespace sipring::crypto
