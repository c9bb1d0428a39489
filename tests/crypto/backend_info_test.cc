#include "sipring/crypto/backend_info.h"

#include <gtest/gtest.h>

namespace {

TEST(BackendInfo, ReportsTheAesNiBuildOfWolfSsl) {
  const auto info = sipring::crypto::probe_backend();
  EXPECT_FALSE(info.wolfssl_version.empty());
  EXPECT_TRUE(info.aesni_compiled_in) << "wolfSSL must be the build from scripts/build-wolfssl";
  EXPECT_TRUE(info.intel_asm_compiled_in);
}

TEST(BackendInfo, AesNiIsInUseExactlyWhenTheCpuHasIt) {
  const auto info = sipring::crypto::probe_backend();
  EXPECT_EQ(info.aesni_in_use, info.cpu_has_aesni);
}

}  // namespace
