#include "sipring/app/version_report.h"

#include "sipring/crypto/backend_info.h"
#include "sipring/parser/simd_level.h"
#include "sipring/runtime/uring_probe.h"
#include "sipring_version.h"

namespace sipring::app {

namespace {
const char* yes_no(bool b) { return b ? "yes" : "no"; }
}  // namespace

std::string version_report() {
  std::string out = "sipring " SIPRING_VERSION "\n";

  const auto crypto = crypto::probe_backend();
  out += "wolfSSL " + std::string(crypto.wolfssl_version) + " (from Debian's source package" +
         (crypto.intel_asm_compiled_in ? ", Intel assembly paths" : "") + ")\n";
  out += std::string("AES-NI: compiled in: ") + yes_no(crypto.aesni_compiled_in) +
         ", CPU supports: " + yes_no(crypto.cpu_has_aesni) +
         ", in use: " + yes_no(crypto.aesni_in_use) + "\n";
  out += std::string("TLS: 1.2 and 1.3, AES-GCM suites first; sessions use AES-NI: ") + yes_no(crypto.aesni_in_use) +
         "\n";

  const auto simd = parser::choose_simd_level_from_environment();
  out += "parser SIMD: ";
  if (!simd.error.empty()) {
    out += "refused: " + std::string(simd.error) + " (" +
           std::string(parser::to_string(simd.level)) + ")\n";
  } else {
    out += std::string(parser::to_string(simd.level)) +
           (simd.forced ? " (forced by SIPRING_SIMD)" : " (best this CPU supports)") + "\n";
  }

  out += runtime::describe(runtime::probe_uring());
  return out;
}

}  // namespace sipring::app
