// BM_AesGcm/wolfssl/{seal,open}/<size>: AES-128-GCM through sipring's crypto layer (wolfSSL
// built with AES-NI), the code path TLS records take.

#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "aes_gcm_bench_sizes.h"
#include "sipring/crypto/aes_gcm.h"

namespace {

using sipring::crypto::aes_gcm;

constexpr std::array<std::uint8_t, 16> key{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
constexpr std::array<std::uint8_t, 12> iv{9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2};
constexpr std::array<std::uint8_t, 13> aad{23, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

void seal(benchmark::State& state, std::size_t size) {
  aes_gcm gcm(key);
  std::vector<std::uint8_t> in(size, 0x5a), out(size);
  std::array<std::uint8_t, aes_gcm::tag_size> tag{};
  for (auto _ : state) {
    if (!gcm.seal(iv, aad, in, out, tag)) state.SkipWithError("seal failed");
    benchmark::DoNotOptimize(out.data());
    benchmark::DoNotOptimize(tag.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * size));
  state.SetLabel(gcm.uses_aesni() ? "aesni" : "no-aesni");
}

void open(benchmark::State& state, std::size_t size) {
  aes_gcm gcm(key);
  std::vector<std::uint8_t> plain(size, 0x5a), sealed(size), out(size);
  std::array<std::uint8_t, aes_gcm::tag_size> tag{};
  if (!gcm.seal(iv, aad, plain, sealed, tag)) state.SkipWithError("seal failed");
  for (auto _ : state) {
    if (!gcm.open(iv, aad, sealed, tag, out)) state.SkipWithError("open failed");
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * size));
  state.SetLabel(gcm.uses_aesni() ? "aesni" : "no-aesni");
}

[[maybe_unused]] const bool registered = [] {
  for (std::size_t size : sipring::bench::aes_gcm_record_sizes) {
    benchmark::RegisterBenchmark(("BM_AesGcm/wolfssl/seal/" + std::to_string(size)).c_str(), seal, size);
    benchmark::RegisterBenchmark(("BM_AesGcm/wolfssl/open/" + std::to_string(size)).c_str(), open, size);
  }
  return true;
}();

}  // namespace
