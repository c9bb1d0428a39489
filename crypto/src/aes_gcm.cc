#include "wolfssl_config.h"

#include "sipring/crypto/aes_gcm.h"

#include <stdexcept>

#include <wolfssl/wolfcrypt/aes.h>

namespace sipring::crypto {

struct aes_gcm::state {
  Aes aes;  // wolfSSL's key schedule and GHASH table; 16-byte aligned by its own declaration
};

aes_gcm::aes_gcm(std::span<const std::uint8_t> key) : _state(std::make_unique<state>()) {
  if (key.size() != 16 && key.size() != 32)
    throw std::invalid_argument("AES-GCM key must be 16 or 32 bytes");
  if (wc_AesInit(&_state->aes, nullptr, INVALID_DEVID) != 0)
    throw std::runtime_error("wolfSSL: wc_AesInit failed");
  if (wc_AesGcmSetKey(&_state->aes, key.data(), static_cast<word32>(key.size())) != 0) {
    wc_AesFree(&_state->aes);
    throw std::runtime_error("wolfSSL: wc_AesGcmSetKey failed");
  }
}

aes_gcm::~aes_gcm() {
  if (_state) wc_AesFree(&_state->aes);
}

aes_gcm::aes_gcm(aes_gcm&&) noexcept = default;
aes_gcm& aes_gcm::operator=(aes_gcm&& other) noexcept {
  if (this != &other) {
    if (_state) wc_AesFree(&_state->aes);
    _state = std::move(other._state);
  }
  return *this;
}

bool aes_gcm::seal(std::span<const std::uint8_t, iv_size> iv, std::span<const std::uint8_t> aad,
                   std::span<const std::uint8_t> plaintext, std::span<std::uint8_t> ciphertext,
                   std::span<std::uint8_t, tag_size> tag) noexcept {
  if (ciphertext.size() != plaintext.size()) return false;
  return wc_AesGcmEncrypt(&_state->aes, ciphertext.data(), plaintext.data(),
                          static_cast<word32>(plaintext.size()), iv.data(), iv_size, tag.data(),
                          tag_size, aad.data(), static_cast<word32>(aad.size())) == 0;
}

bool aes_gcm::open(std::span<const std::uint8_t, iv_size> iv, std::span<const std::uint8_t> aad,
                   std::span<const std::uint8_t> ciphertext,
                   std::span<const std::uint8_t, tag_size> tag,
                   std::span<std::uint8_t> plaintext) noexcept {
  if (ciphertext.size() != plaintext.size()) return false;
  return wc_AesGcmDecrypt(&_state->aes, plaintext.data(), ciphertext.data(),
                          static_cast<word32>(ciphertext.size()), iv.data(), iv_size, tag.data(),
                          tag_size, aad.data(), static_cast<word32>(aad.size())) == 0;
}

bool aes_gcm::uses_aesni() const noexcept {
#ifdef WOLFSSL_AESNI
  return _state->aes.use_aesni != 0;
#else
  return false;
#endif
}

}  // namespace sipring::crypto
