#pragma once
// AES-GCM (96-bit IV, 128-bit tag) through wolfSSL, which uses AES-NI and PCLMULQDQ when the
// CPU has them. The key schedule is built once per key; seal/open never allocate.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace sipring::crypto {

class aes_gcm {
 public:
  static constexpr std::size_t iv_size = 12;
  static constexpr std::size_t tag_size = 16;

  /// `key` is 16 or 32 bytes (AES-128 or AES-256); any other size throws std::invalid_argument.
  explicit aes_gcm(std::span<const std::uint8_t> key);
  ~aes_gcm();
  aes_gcm(aes_gcm&&) noexcept;
  aes_gcm& operator=(aes_gcm&&) noexcept;
  aes_gcm(const aes_gcm&) = delete;
  aes_gcm& operator=(const aes_gcm&) = delete;

  /// Encrypts `plaintext` into `ciphertext` (same size) and writes the tag.
  /// Returns false only on misuse (wrong sizes).
  [[nodiscard]] bool seal(std::span<const std::uint8_t, iv_size> iv,
                          std::span<const std::uint8_t> aad,
                          std::span<const std::uint8_t> plaintext,
                          std::span<std::uint8_t> ciphertext,
                          std::span<std::uint8_t, tag_size> tag) noexcept;

  /// Decrypts and authenticates; false when the tag does not match (then `plaintext` holds
  /// nothing usable) or on misuse.
  [[nodiscard]] bool open(std::span<const std::uint8_t, iv_size> iv,
                          std::span<const std::uint8_t> aad,
                          std::span<const std::uint8_t> ciphertext,
                          std::span<const std::uint8_t, tag_size> tag,
                          std::span<std::uint8_t> plaintext) noexcept;

  /// True when this key's operations run on the AES-NI code path.
  bool uses_aesni() const noexcept;

 private:
  struct state;
  std::unique_ptr<state> _state;
};

}  // namespace sipring::crypto
