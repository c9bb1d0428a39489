#include "sipring/parser/simd_level.h"

#include <cstdlib>

namespace sipring::parser {

std::string_view to_string(simd_level level) noexcept {
  switch (level) {
    case simd_level::scalar: return "scalar";
    case simd_level::avx2: return "avx2";
    case simd_level::avx512: return "avx512";
  }
  return "unknown";
}

std::optional<simd_level> simd_level_from_string(std::string_view name) noexcept {
  if (name == "scalar") return simd_level::scalar;
  if (name == "avx2") return simd_level::avx2;
  if (name == "avx512") return simd_level::avx512;
  return std::nullopt;
}

bool cpu_supports(simd_level level) noexcept {
  // __builtin_cpu_supports checks both the cpuid bits and that the OS saves the registers.
  switch (level) {
    case simd_level::scalar: return true;
    case simd_level::avx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
             __builtin_cpu_supports("bmi2");
    case simd_level::avx512:
      return cpu_supports(simd_level::avx2) && __builtin_cpu_supports("avx512f") &&
             __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vbmi") &&
             __builtin_cpu_supports("gfni");
  }
  return false;
}

simd_level best_cpu_simd_level() noexcept {
  if (cpu_supports(simd_level::avx512)) return simd_level::avx512;
  if (cpu_supports(simd_level::avx2)) return simd_level::avx2;
  return simd_level::scalar;
}

simd_choice choose_simd_level(const char* override_value) noexcept {
  if (override_value == nullptr || *override_value == '\0')
    return {best_cpu_simd_level(), false, {}};
  auto requested = simd_level_from_string(override_value);
  if (!requested)
    return {simd_level::scalar, true, "SIPRING_SIMD must be avx512, avx2 or scalar"};
  if (!cpu_supports(*requested))
    return {*requested, true, "SIPRING_SIMD asks for a level this CPU cannot run"};
  return {*requested, true, {}};
}

simd_choice choose_simd_level_from_environment() noexcept {
  return choose_simd_level(std::getenv("SIPRING_SIMD"));
}

}  // namespace sipring::parser
