// AES-GCM through wolfSSL against the published GCM known-answer vectors (McGrew & Viega's GCM
// specification test cases, reproduced in NIST SP 800-38D validation material), and the check
// that the AES-NI path is the one in use.

#include "sipring/crypto/aes_gcm.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace {

using sipring::crypto::aes_gcm;
using bytes = std::vector<std::uint8_t>;

bytes hex(std::string_view s) {
  bytes out;
  for (std::size_t i = 0; i + 1 < s.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(s.substr(i, 2)), nullptr, 16)));
  return out;
}

struct gcm_vector {
  const char* name;
  const char* key;
  const char* iv;
  const char* aad;
  const char* plaintext;
  const char* ciphertext;
  const char* tag;
};

constexpr const char* k128 = "feffe9928665731c6d6a8f9467308308";
constexpr const char* k256 = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
constexpr const char* iv96 = "cafebabefacedbaddecaf888";
constexpr const char* aad20 = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
constexpr const char* p64 =
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
constexpr const char* p60 =
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";

const gcm_vector vectors[] = {
    {"tc1_aes128_empty", "00000000000000000000000000000000", "000000000000000000000000", "", "",
     "", "58e2fccefa7e3061367f1d57a4e7455a"},
    {"tc2_aes128_zero_block", "00000000000000000000000000000000", "000000000000000000000000", "",
     "00000000000000000000000000000000", "0388dace60b6a392f328c2b971b2fe78",
     "ab6e47d42cec13bdf53a67b21257bddf"},
    {"tc3_aes128_64_bytes", k128, iv96, "", p64,
     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
     "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
     "4d5c2af327cd64a62cf35abd2ba6fab4"},
    {"tc4_aes128_aad", k128, iv96, aad20, p60,
     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
     "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
     "5bc94fbc3221a5db94fae95ae7121a47"},
    {"tc13_aes256_empty",
     "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "", "", "", "530f8afbc74536b9a963b4f1c4cb738b"},
    {"tc14_aes256_zero_block",
     "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "", "00000000000000000000000000000000",
     "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"},
    {"tc15_aes256_64_bytes", k256, iv96, "", p64,
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
     "b094dac5d93471bdec1a502270e3cc6c"},
    {"tc16_aes256_aad", k256, iv96, aad20, p60,
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
     "76fc6ece0f4e1768cddf8853bb2d551b"},
};

class AesGcmVectors : public ::testing::TestWithParam<gcm_vector> {};

TEST_P(AesGcmVectors, SealMatchesPublishedCiphertextAndTag) {
  const auto& v = GetParam();
  aes_gcm gcm(hex(v.key));
  const bytes iv = hex(v.iv), aad = hex(v.aad), plain = hex(v.plaintext);
  bytes out(plain.size());
  std::array<std::uint8_t, aes_gcm::tag_size> tag{};
  ASSERT_TRUE(gcm.seal(std::span<const std::uint8_t, 12>(iv.data(), 12), aad, plain, out, tag));
  EXPECT_EQ(out, hex(v.ciphertext));
  EXPECT_EQ(bytes(tag.begin(), tag.end()), hex(v.tag));
}

TEST_P(AesGcmVectors, OpenRecoversPlaintextAndRejectsTampering) {
  const auto& v = GetParam();
  aes_gcm gcm(hex(v.key));
  const bytes iv = hex(v.iv), aad = hex(v.aad), sealed = hex(v.ciphertext), tag_bytes = hex(v.tag);
  std::array<std::uint8_t, aes_gcm::tag_size> tag{};
  std::copy(tag_bytes.begin(), tag_bytes.end(), tag.begin());
  const std::span<const std::uint8_t, 12> ivs(iv.data(), 12);
  bytes out(sealed.size());
  ASSERT_TRUE(gcm.open(ivs, aad, sealed, tag, out));
  EXPECT_EQ(out, hex(v.plaintext));

  auto bad_tag = tag;
  bad_tag[0] ^= 1;
  EXPECT_FALSE(gcm.open(ivs, aad, sealed, bad_tag, out));
  if (!sealed.empty()) {
    bytes bad = sealed;
    bad.back() ^= 0x80;
    EXPECT_FALSE(gcm.open(ivs, aad, bad, tag, out));
  }
}

INSTANTIATE_TEST_SUITE_P(GcmSpec, AesGcmVectors, ::testing::ValuesIn(vectors),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(AesGcm, RejectsKeysOfOtherSizes) {
  EXPECT_THROW(aes_gcm(bytes(15)), std::invalid_argument);
  EXPECT_THROW(aes_gcm(bytes(24)), std::invalid_argument);
  EXPECT_NO_THROW(aes_gcm(bytes(16)));
  EXPECT_NO_THROW(aes_gcm(bytes(32)));
}

TEST(AesGcm, RejectsMismatchedBufferSizes) {
  aes_gcm gcm(bytes(16));
  const std::array<std::uint8_t, 12> iv{};
  std::array<std::uint8_t, 16> tag{};
  bytes in(32), out(31);
  EXPECT_FALSE(gcm.seal(iv, {}, in, out, tag));
  EXPECT_FALSE(gcm.open(iv, {}, in, tag, out));
}

TEST(AesGcm, UsesTheAesNiPathWhenTheCpuHasIt) {
  if (!__builtin_cpu_supports("aes") || !__builtin_cpu_supports("pclmul"))
    GTEST_SKIP() << "this CPU has no AES-NI/PCLMULQDQ";
  EXPECT_TRUE(aes_gcm(bytes(16)).uses_aesni());
  EXPECT_TRUE(aes_gcm(bytes(32)).uses_aesni());
}

}  // namespace
