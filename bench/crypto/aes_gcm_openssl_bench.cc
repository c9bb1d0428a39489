// BM_AesGcm/openssl/{seal,open}/<size>: the same AES-128-GCM work through OpenSSL's EVP
// interface, the reference wolfSSL is compared with in the same run. OpenSSL is linked into
// the benchmark only, never into the server.

#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "aes_gcm_bench_sizes.h"

namespace {

constexpr std::array<std::uint8_t, 16> key{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
constexpr std::array<std::uint8_t, 12> iv{9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2};
constexpr std::array<std::uint8_t, 13> aad{23, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

using cipher_ctx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

// One record, the way a TLS stack drives EVP: key set once, IV and AAD per record.
bool seal_record(EVP_CIPHER_CTX* ctx, const std::vector<std::uint8_t>& in,
                 std::vector<std::uint8_t>& out, std::array<std::uint8_t, 16>& tag) {
  int len = 0;
  return EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, iv.data()) == 1 &&
         EVP_EncryptUpdate(ctx, nullptr, &len, aad.data(), static_cast<int>(aad.size())) == 1 &&
         EVP_EncryptUpdate(ctx, out.data(), &len, in.data(), static_cast<int>(in.size())) == 1 &&
         EVP_EncryptFinal_ex(ctx, out.data() + len, &len) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag.data()) == 1;
}

bool open_record(EVP_CIPHER_CTX* ctx, const std::vector<std::uint8_t>& in,
                 std::vector<std::uint8_t>& out, std::array<std::uint8_t, 16>& tag) {
  int len = 0;
  return EVP_DecryptInit_ex(ctx, nullptr, nullptr, nullptr, iv.data()) == 1 &&
         EVP_DecryptUpdate(ctx, nullptr, &len, aad.data(), static_cast<int>(aad.size())) == 1 &&
         EVP_DecryptUpdate(ctx, out.data(), &len, in.data(), static_cast<int>(in.size())) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, tag.data()) == 1 &&
         EVP_DecryptFinal_ex(ctx, out.data() + len, &len) == 1;
}

cipher_ctx make_ctx(bool encrypt) {
  cipher_ctx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  if (encrypt)
    EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_gcm(), nullptr, key.data(), nullptr);
  else
    EVP_DecryptInit_ex(ctx.get(), EVP_aes_128_gcm(), nullptr, key.data(), nullptr);
  return ctx;
}

void seal(benchmark::State& state, std::size_t size) {
  auto ctx = make_ctx(true);
  std::vector<std::uint8_t> in(size, 0x5a), out(size);
  std::array<std::uint8_t, 16> tag{};
  for (auto _ : state) {
    if (!seal_record(ctx.get(), in, out, tag)) state.SkipWithError("seal failed");
    benchmark::DoNotOptimize(out.data());
    benchmark::DoNotOptimize(tag.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * size));
}

void open(benchmark::State& state, std::size_t size) {
  auto enc = make_ctx(true);
  auto ctx = make_ctx(false);
  std::vector<std::uint8_t> plain(size, 0x5a), sealed(size), out(size);
  std::array<std::uint8_t, 16> tag{};
  if (!seal_record(enc.get(), plain, sealed, tag)) state.SkipWithError("seal failed");
  for (auto _ : state) {
    if (!open_record(ctx.get(), sealed, out, tag)) state.SkipWithError("open failed");
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * size));
}

[[maybe_unused]] const bool registered = [] {
  for (std::size_t size : sipring::bench::aes_gcm_record_sizes) {
    benchmark::RegisterBenchmark(("BM_AesGcm/openssl/seal/" + std::to_string(size)).c_str(), seal, size);
    benchmark::RegisterBenchmark(("BM_AesGcm/openssl/open/" + std::to_string(size)).c_str(), open, size);
  }
  return true;
}();

}  // namespace
