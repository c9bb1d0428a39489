#pragma once
// Which SIMD implementation the parser runs: chosen once at start from the CPU (cpuid),
// or forced with the environment variable SIPRING_SIMD=avx512|avx2|scalar (for tests and
// benchmarks). Never chosen per byte.

#include <optional>
#include <string_view>

namespace sipring::parser {

enum class simd_level { scalar, avx2, avx512 };

/// "scalar", "avx2" or "avx512".
std::string_view to_string(simd_level level) noexcept;

/// Parses "scalar", "avx2" or "avx512"; nullopt for anything else.
std::optional<simd_level> simd_level_from_string(std::string_view name) noexcept;

/// True when this CPU (and the OS, for the vector registers' state) can run `level`.
/// avx512 needs AVX-512F, AVX-512BW, AVX-512VBMI and GFNI (Ice Lake, Zen 4 and later: the
/// typed parsers classify bytes with VBMI permutes and GFNI bit transposes); avx2 needs AVX2
/// and BMI1/BMI2.
bool cpu_supports(simd_level level) noexcept;

/// The best level this CPU supports.
simd_level best_cpu_simd_level() noexcept;

/// The outcome of choosing a level: the level, or why the requested one was refused.
struct simd_choice {
  simd_level level;
  bool forced;              ///< true when SIPRING_SIMD chose it
  std::string_view error;   ///< non-empty when the override was refused (then `level` is unusable)
};

/// Chooses the level: `override_value` is SIPRING_SIMD's value (nullptr when unset). An
/// unknown name, or a level the CPU cannot run, is refused with a reason.
simd_choice choose_simd_level(const char* override_value) noexcept;

/// choose_simd_level(getenv("SIPRING_SIMD")).
simd_choice choose_simd_level_from_environment() noexcept;

/// The implementation parse() and the typed parsers use (chosen once, from SIPRING_SIMD or the
/// CPU; a refused override falls back to the CPU's best).
simd_level active_simd_level() noexcept;

}  // namespace sipring::parser
