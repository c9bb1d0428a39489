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

// The line scanners (the parse path's stage 1): every window a level fills, from every start
// block, until the message is scanned.
struct line_scan_result {
  std::vector<std::uint32_t> starts, blocks, lfs;
  std::vector<line_masks> masks;
  std::vector<std::uint32_t> dirty_blocks;
  bool operator==(const line_scan_result&) const = default;
};

line_scan_result scan_lines(simd_level level, std::string_view bytes, std::uint32_t first_block) {
  line_scan_result out;
  line_window w;
  w.first_block = first_block;
  const auto total = static_cast<std::uint32_t>(block_count(bytes.size()));
  while (w.first_block + w.blocks < total) {
    const std::uint32_t before = w.blocks;
    line_scanner_for(level)(bytes.data(), bytes.size(), w);
    if (w.blocks == before) {  // window or LF list full: start again where it stopped
      w.first_block += w.blocks;
      w.blocks = w.lf_count = w.dirty_blocks = 0;
      continue;
    }
    out.starts.push_back(w.first_block);
    out.blocks.push_back(w.blocks);
    out.dirty_blocks.push_back(w.dirty_blocks);
    out.lfs.insert(out.lfs.end(), w.lfs, w.lfs + w.lf_count);
    out.masks.insert(out.masks.end(), w.masks, w.masks + w.blocks + 1);  // and the sentinel
  }
  return out;
}

void expect_line_scanners_agree(std::string_view bytes) {
  for (std::uint32_t first = 0; first < block_count(bytes.size()); first += 3) {
    const auto reference = scan_lines(simd_level::scalar, bytes, first);
    for (simd_level level : testing::runnable_levels())
      ASSERT_TRUE(scan_lines(level, bytes, first) == reference)
          << to_string(level) << " on " << bytes.size() << " bytes from block " << first;
  }
}

TEST(LineScan, ScalarFindsEachClass) {
  const std::string text = "a:\r\nb\r\x01\t \x7f\xc3\r\n\r\n";
  line_window w;
  scan_lines_scalar(text.data(), text.size(), w);
  ASSERT_EQ(w.blocks, 1u);
  EXPECT_EQ(w.masks[0].lf, (1u << 3) | (1u << 12) | (1u << 14));
  // Not the CR before an LF, nor HT; the bare CR, \x01 and DEL.
  EXPECT_EQ(w.masks[0].dirty, (1u << 5) | (1u << 6) | (1u << 9));
  EXPECT_EQ(w.masks[0].non_token, ((1u << 15) - 1) & ~((1u << 0) | (1u << 4)));  // all but a, b
  ASSERT_EQ(w.lf_count, 3u);
  EXPECT_EQ(w.lfs[0], 3u);
  EXPECT_EQ(w.lfs[2], 14u);
  EXPECT_EQ(w.dirty_blocks, 1u);
  EXPECT_EQ(w.masks[1], (line_masks{0, 0, 0}));
}

TEST(LineScan, StopsOneBlockAfterTheEmptyLine) {
  std::string text(64 * 6, 'x');
  text.replace(70, 4, "\r\n\r\n");  // in block 1
  line_window w;
  scan_lines_scalar(text.data(), text.size(), w);
  EXPECT_EQ(w.blocks, 3u);
  scan_lines_scalar(text.data(), text.size(), w);  // the rest
  EXPECT_EQ(w.blocks, 6u);
  expect_line_scanners_agree(text);
}

TEST(LineScan, AllImplementationsAgreeOnTheTortureCorpus) {
  for (const auto& message : testing::torture_corpus()) {
    SCOPED_TRACE(message.tag);
    expect_line_scanners_agree(message.bytes);
  }
}

TEST(LineScan, AllImplementationsAgreeOnEveryTailLength) {
  const std::string& invite = testing::torture_message("rfc4475", "wsinv");
  for (std::size_t n = 0; n <= 200 && n <= invite.size(); ++n)
    expect_line_scanners_agree(std::string_view(invite).substr(0, n));
}

TEST(LineScan, AllImplementationsAgreeOnRandomBytesAndManyLines) {
  std::mt19937 rng(4475);
  std::uniform_int_distribution<int> byte(0, 255);
  const char structural[] = {'\r', '\n', ' ', '\t', ':', 'a', '\x7f', '\0'};
  for (int round = 0; round < 200; ++round) {
    std::string data(static_cast<std::size_t>(round * 37 % 3000), '\0');
    for (char& c : data) c = round % 2 ? static_cast<char>(byte(rng)) : structural[byte(rng) % 8];
    expect_line_scanners_agree(data);
  }
  // More LFs than a window's list holds.
  expect_line_scanners_agree(std::string(3000, '\n'));
}

}  // namespace
}  // namespace sipring::parser::internal
