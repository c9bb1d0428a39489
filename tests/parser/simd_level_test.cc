#include "sipring/parser/simd_level.h"

#include <gtest/gtest.h>

namespace {

using namespace sipring::parser;

TEST(SimdLevel, NamesRoundTrip) {
  for (auto level : {simd_level::scalar, simd_level::avx2, simd_level::avx512})
    EXPECT_EQ(simd_level_from_string(to_string(level)), level);
  EXPECT_FALSE(simd_level_from_string("sse2"));
  EXPECT_FALSE(simd_level_from_string(""));
}

TEST(SimdLevel, WithoutOverrideTakesTheBestTheCpuRuns) {
  const auto choice = choose_simd_level(nullptr);
  EXPECT_FALSE(choice.forced);
  EXPECT_TRUE(choice.error.empty());
  EXPECT_EQ(choice.level, best_cpu_simd_level());
  EXPECT_TRUE(cpu_supports(choice.level));
  EXPECT_EQ(choose_simd_level("").level, best_cpu_simd_level());
}

TEST(SimdLevel, OverrideForcesALowerLevel) {
  const auto choice = choose_simd_level("scalar");
  EXPECT_TRUE(choice.forced);
  EXPECT_TRUE(choice.error.empty());
  EXPECT_EQ(choice.level, simd_level::scalar);
}

TEST(SimdLevel, OverrideWithAnUnknownNameIsRefused) {
  const auto choice = choose_simd_level("neon");
  EXPECT_TRUE(choice.forced);
  EXPECT_FALSE(choice.error.empty());
}

TEST(SimdLevel, OverrideBeyondTheCpuIsRefused) {
  if (cpu_supports(simd_level::avx512)) GTEST_SKIP() << "this CPU runs every level";
  EXPECT_FALSE(choose_simd_level("avx512").error.empty());
}

TEST(SimdLevel, LevelsAreNested) {
  if (cpu_supports(simd_level::avx512)) {
    EXPECT_TRUE(cpu_supports(simd_level::avx2));
  }
  EXPECT_TRUE(cpu_supports(simd_level::scalar));
}

}  // namespace
