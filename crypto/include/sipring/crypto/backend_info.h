#pragma once
// What the TLS/crypto backend is and whether its fast paths are live; `sipring --version`
// reports it and the server logs it at start.

#include <string_view>

namespace sipring::crypto {

struct backend_info {
  std::string_view wolfssl_version;  ///< e.g. "5.5.4"
  bool aesni_compiled_in;            ///< wolfSSL built with WOLFSSL_AESNI
  bool intel_asm_compiled_in;        ///< wolfSSL built with the Intel assembly paths
  bool cpu_has_aesni;                ///< CPU reports AES-NI and PCLMULQDQ
  bool aesni_in_use;                 ///< an AES key set up now runs on the AES-NI path
};

/// Probes the backend (sets up one throwaway AES key to see which path wolfSSL takes).
backend_info probe_backend() noexcept;

}  // namespace sipring::crypto
