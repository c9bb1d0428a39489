#include "wolfssl_config.h"

#include "sipring/crypto/digest_hash.h"

#include <algorithm>

#include <wolfssl/wolfcrypt/hmac.h>
#include <wolfssl/wolfcrypt/md5.h>
#include <wolfssl/wolfcrypt/random.h>
#include <wolfssl/wolfcrypt/sha256.h>

#ifdef NO_MD5
#error "digest authentication needs MD5: build wolfSSL without NO_MD5"
#endif

namespace sipring::crypto {

namespace {

const byte* bytes_of(std::string_view s) noexcept { return reinterpret_cast<const byte*>(s.data()); }

// One incremental hash of either algorithm, on the stack.
class hasher {
 public:
  explicit hasher(hash_algorithm a) noexcept : _a(a) {
    _ok = (_a == hash_algorithm::md5 ? wc_InitMd5(&_u.md5) : wc_InitSha256(&_u.sha256)) == 0;
  }
  ~hasher() {
    if (!_ok) return;
    if (_a == hash_algorithm::md5)
      wc_Md5Free(&_u.md5);
    else
      wc_Sha256Free(&_u.sha256);
  }
  hasher(const hasher&) = delete;
  hasher& operator=(const hasher&) = delete;

  void update(std::string_view s) noexcept {
    if (!_ok || s.empty()) return;
    const auto n = static_cast<word32>(s.size());
    _ok = (_a == hash_algorithm::md5 ? wc_Md5Update(&_u.md5, bytes_of(s), n)
                                     : wc_Sha256Update(&_u.sha256, bytes_of(s), n)) == 0;
  }

  bool finish(std::span<std::uint8_t> out) noexcept {
    if (!_ok || out.size() < hash_size(_a)) return false;
    return (_a == hash_algorithm::md5 ? wc_Md5Final(&_u.md5, out.data())
                                      : wc_Sha256Final(&_u.sha256, out.data())) == 0;
  }

 private:
  union state {
    state() noexcept {}
    wc_Md5 md5;
    wc_Sha256 sha256;
  } _u;
  hash_algorithm _a;
  bool _ok = false;
};

bool finish_hex(hasher& h, hash_algorithm a, std::span<char> out) noexcept {
  std::uint8_t digest[max_hash_size];
  if (out.size() < hex_size(a) || !h.finish(digest)) return false;
  return to_hex(std::span<const std::uint8_t>(digest, hash_size(a)), out);
}

}  // namespace

bool hash(hash_algorithm a, std::string_view data, std::span<std::uint8_t> out) noexcept {
  hasher h(a);
  h.update(data);
  return h.finish(out);
}

bool hash_hex(hash_algorithm a, std::string_view data, std::span<char> out) noexcept {
  hasher h(a);
  h.update(data);
  return finish_hex(h, a, out);
}

bool hash_hex_joined(hash_algorithm a, std::initializer_list<std::string_view> parts,
                     std::span<char> out) noexcept {
  hasher h(a);
  bool first = true;
  for (std::string_view part : parts) {
    if (!first) h.update(":");
    first = false;
    h.update(part);
  }
  return finish_hex(h, a, out);
}

bool hmac_sha256(std::span<const std::uint8_t> key,
                 std::initializer_list<std::span<const std::uint8_t>> parts,
                 std::span<std::uint8_t, hmac_sha256_size> out) noexcept {
  Hmac hmac;
  if (wc_HmacInit(&hmac, nullptr, INVALID_DEVID) != 0) return false;
  bool ok = wc_HmacSetKey(&hmac, WC_SHA256, key.data(), static_cast<word32>(key.size())) == 0;
  for (auto part : parts) {
    if (!ok) break;
    if (!part.empty())
      ok = wc_HmacUpdate(&hmac, part.data(), static_cast<word32>(part.size())) == 0;
  }
  ok = ok && wc_HmacFinal(&hmac, out.data()) == 0;
  wc_HmacFree(&hmac);
  return ok;
}

bool to_hex(std::span<const std::uint8_t> bytes, std::span<char> out) noexcept {
  static constexpr char digits[] = "0123456789abcdef";
  if (out.size() < 2 * bytes.size()) return false;
  std::size_t o = 0;
  for (std::uint8_t b : bytes) {
    out[o++] = digits[b >> 4];
    out[o++] = digits[b & 0xf];
  }
  return true;
}

bool constant_time_equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) noexcept {
  if (a.size() != b.size()) return false;
  // volatile keeps the compiler from turning the loop into an early-exit memcmp.
  volatile std::uint8_t diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff = diff | (a[i] ^ b[i]);
  return diff == 0;
}

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
  return constant_time_equal(
      std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(a.data()), a.size()),
      std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(b.data()), b.size()));
}

bool random_bytes(std::span<std::uint8_t> out) noexcept {
  WC_RNG rng;
  if (wc_InitRng(&rng) != 0) return false;
  bool ok = true;
  while (ok && !out.empty()) {
    const std::size_t n = std::min<std::size_t>(out.size(), RNG_MAX_BLOCK_LEN);
    ok = wc_RNG_GenerateBlock(&rng, out.data(), static_cast<word32>(n)) == 0;
    out = out.subspan(n);
  }
  wc_FreeRng(&rng);
  return ok;
}

}  // namespace sipring::crypto
