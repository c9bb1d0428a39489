// Stage 1: every vector scanner gives the scalar reference's masks, on the torture corpus, on
// every tail length, and on random bytes.

#include "sipring/parser/internal/structural_scan.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "corpus.h"
#include "parse_all_levels.h"

namespace sipring::parser::internal {
namespace {

std::vector<structural_masks> scan(simd_level level, std::string_view bytes) {
  std::vector<structural_masks> out(block_count(bytes.size()));
  scanner_for(level)(bytes.data(), bytes.size(), out.data());
  return out;
}

void expect_all_agree(std::string_view bytes) {
  const auto reference = scan(simd_level::scalar, bytes);
  for (simd_level level : testing::runnable_levels())
    ASSERT_TRUE(scan(level, bytes) == reference) << to_string(level) << " on " << bytes.size() << " bytes";
}

TEST(StructuralScan, ScalarFindsEachClass) {
  const std::string text = "a\r\n:,;<>\"\\ \t\x01\x7f\xc3\xa9";
  const auto m = scan(simd_level::scalar, text);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].cr, 1u << 1);
  EXPECT_EQ(m[0].lf, 1u << 2);
  EXPECT_EQ(m[0].colon, 1u << 3);
  EXPECT_EQ(m[0].comma, 1u << 4);
  EXPECT_EQ(m[0].semicolon, 1u << 5);
  EXPECT_EQ(m[0].langle, 1u << 6);
  EXPECT_EQ(m[0].rangle, 1u << 7);
  EXPECT_EQ(m[0].quote, 1u << 8);
  EXPECT_EQ(m[0].backslash, 1u << 9);
  EXPECT_EQ(m[0].space, (1u << 10) | (1u << 11));
  EXPECT_EQ(m[0].control, (1u << 12) | (1u << 13));  // not HT, CR, LF, nor UTF-8 bytes
}

TEST(StructuralScan, BitsOfTheSecondBlockAndNoBitsPastTheEnd) {
  std::string text(70, 'x');
  text[64] = '\n';
  text[69] = '\0';
  const auto m = scan(simd_level::scalar, text);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].lf, 0u);
  EXPECT_EQ(m[1].lf, 1u);
  EXPECT_EQ(m[1].control, 1u << 5);  // the NUL, and not the zero padding after it
  expect_all_agree(text);
}

TEST(StructuralScan, AllImplementationsAgreeOnTheTortureCorpus) {
  for (const auto& message : testing::torture_corpus()) {
    SCOPED_TRACE(message.tag);
    expect_all_agree(message.bytes);
  }
}

TEST(StructuralScan, AllImplementationsAgreeOnEveryTailLength) {
  const std::string& invite = testing::torture_message("rfc4475", "wsinv");
  for (std::size_t n = 0; n <= 200 && n <= invite.size(); ++n) expect_all_agree(std::string_view(invite).substr(0, n));
}

TEST(StructuralScan, AllImplementationsAgreeOnRandomBytes) {
  std::mt19937 rng(4475);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 200; ++round) {
    std::string data(static_cast<std::size_t>(round * 7 % 300), '\0');
    for (char& c : data) c = static_cast<char>(byte(rng));
    expect_all_agree(data);
  }
}

}  // namespace
}  // namespace sipring::parser::internal
