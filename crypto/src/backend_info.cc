#include "wolfssl_config.h"

#include "sipring/crypto/backend_info.h"

#include <array>
#include <cstdint>

#include <wolfssl/version.h>

#include "sipring/crypto/aes_gcm.h"

namespace sipring::crypto {

backend_info probe_backend() noexcept {
  backend_info info{};
  info.wolfssl_version = LIBWOLFSSL_VERSION_STRING;
#ifdef WOLFSSL_AESNI
  info.aesni_compiled_in = true;
#endif
#ifdef USE_INTEL_SPEEDUP
  info.intel_asm_compiled_in = true;
#endif
  info.cpu_has_aesni = __builtin_cpu_supports("aes") && __builtin_cpu_supports("pclmul");
  try {
    const std::array<std::uint8_t, 16> key{};
    info.aesni_in_use = aes_gcm(key).uses_aesni();
  } catch (...) {
    info.aesni_in_use = false;
  }
  return info;
}

}  // namespace sipring::crypto
