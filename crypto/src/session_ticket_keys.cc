#include "wolfssl_config.h"

#include "sipring/crypto/session_ticket_keys.h"

#include <stdexcept>

#include <wolfssl/wolfcrypt/random.h>

namespace sipring::crypto {

std::shared_ptr<const session_ticket_keys> session_ticket_keys::generate() {
  std::shared_ptr<session_ticket_keys> keys(new session_ticket_keys());
  WC_RNG rng;
  if (wc_InitRng(&rng) != 0) throw std::runtime_error("wolfSSL: cannot initialise the RNG");
  const bool ok = wc_RNG_GenerateBlock(&rng, keys->_name.data(), name_size) == 0 &&
                  wc_RNG_GenerateBlock(&rng, keys->_key.data(), key_size) == 0;
  wc_FreeRng(&rng);
  if (!ok) throw std::runtime_error("wolfSSL: the RNG failed to make session ticket keys");
  return keys;
}

session_ticket_keys::~session_ticket_keys() {
  volatile std::uint8_t* p = _key.data();
  for (std::size_t i = 0; i < key_size; ++i) p[i] = 0;
}

}  // namespace sipring::crypto
