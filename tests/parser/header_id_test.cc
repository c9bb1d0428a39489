#include "sipring/parser/header_id.h"

#include <gtest/gtest.h>

#include <string>

#include "header_name_lookup.h"

namespace sipring::parser {
namespace {

std::string flip_case(std::string_view s, bool upper_first) {
  std::string out(s);
  bool upper = upper_first;
  for (char& c : out) {
    if (c >= 'a' && c <= 'z' && upper) c = static_cast<char>(c - 32);
    else if (c >= 'A' && c <= 'Z' && !upper) c = static_cast<char>(c + 32);
    upper = !upper;
  }
  return out;
}

// Both lookups: the string_view one and stage 2's padded one (given 24 readable bytes).
header_id both(std::string_view name) {
  std::string padded(name);
  padded.append(24, ':');
  const header_id fast = internal::lookup_header_name_padded(padded.data(), name.size());
  EXPECT_EQ(fast, lookup_header_name(name)) << name;
  return fast;
}

TEST(HeaderId, EveryCanonicalNameInAnyCaseFindsItsId) {
  for (std::size_t i = 1; i < header_id_count; ++i) {
    const auto id = static_cast<header_id>(i);
    const std::string_view name = canonical_name(id);
    ASSERT_FALSE(name.empty());
    EXPECT_EQ(both(name), id) << name;
    EXPECT_EQ(both(flip_case(name, true)), id) << name;
    EXPECT_EQ(both(flip_case(name, false)), id) << name;
  }
}

TEST(HeaderId, CompactFormsMapToTheFullIds) {
  const std::pair<char, header_id> compact[] = {
      {'c', header_id::content_type}, {'e', header_id::content_encoding}, {'f', header_id::from},
      {'i', header_id::call_id},      {'k', header_id::supported},        {'l', header_id::content_length},
      {'m', header_id::contact},      {'o', header_id::event},            {'r', header_id::refer_to},
      {'s', header_id::subject},      {'t', header_id::to},               {'u', header_id::allow_events},
      {'v', header_id::via}};
  for (auto [c, id] : compact) {
    EXPECT_EQ(both(std::string(1, c)), id) << c;
    EXPECT_EQ(both(std::string(1, static_cast<char>(c - 32))), id) << c;
  }
  EXPECT_EQ(both("x"), header_id::other);
  EXPECT_EQ(both("1"), header_id::other);
}

TEST(HeaderId, NearMissesAreOther) {
  for (std::string_view name : {"", "Vias", "Vi", "Call_ID", "Call-I", "X-Call-ID", "CallID", "Content-Length-X",
                                "Content Length", "Subscription-Stat", "Subscription-States-Are-Long-Names",
                                "C\rll-ID", "Tp", "Fromm"})
    EXPECT_EQ(both(name), header_id::other) << name;
  // '-' and CR differ only in bit 0x20: the case folding must not make them equal.
  EXPECT_EQ(both("Call\rID"), header_id::other);
}

TEST(HeaderId, IdNamesAreTheCanonicalNamesInSnakeCase) {
  EXPECT_EQ(header_id_name(header_id::other), "other");
  for (std::size_t i = 1; i < header_id_count; ++i) {
    const auto id = static_cast<header_id>(i);
    std::string expected;
    for (char c : canonical_name(id)) expected += c == '-' ? '_' : static_cast<char>(c | 0x20);
    EXPECT_EQ(header_id_name(id), expected);
  }
}

TEST(HeaderId, SingleValuedHeaders) {
  for (header_id id : {header_id::call_id, header_id::cseq, header_id::from, header_id::to, header_id::max_forwards,
                       header_id::content_length, header_id::content_type, header_id::expires, header_id::min_expires})
    EXPECT_TRUE(is_single_valued(id)) << canonical_name(id);
  for (header_id id : {header_id::via, header_id::contact, header_id::route, header_id::record_route,
                       header_id::other, header_id::supported, header_id::authorization})
    EXPECT_FALSE(is_single_valued(id)) << canonical_name(id);
}

}  // namespace
}  // namespace sipring::parser
