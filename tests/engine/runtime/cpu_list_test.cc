#include "sipring/runtime/cpu_list.h"

#include <gtest/gtest.h>

#include <numeric>

namespace {

using namespace sipring::runtime;

// A 16-CPU machine: 0..15.
std::vector<unsigned> machine(unsigned n = 16) {
  std::vector<unsigned> cpus(n);
  std::iota(cpus.begin(), cpus.end(), 0u);
  return cpus;
}

std::vector<unsigned> parse_ok(std::string_view text) {
  const auto r = parse_cpu_list(text, machine());
  EXPECT_TRUE(r.error.empty()) << text << ": " << r.error;
  return r.cpus;
}

std::string parse_error(std::string_view text, const std::vector<unsigned>& cpus = machine()) {
  const auto r = parse_cpu_list(text, cpus);
  EXPECT_TRUE(r.cpus.empty()) << text;
  EXPECT_FALSE(r.error.empty()) << text;
  return r.error;
}

TEST(CpuList, RangesAndSingleCpus) {
  EXPECT_EQ(parse_ok("0-3,8"), (std::vector<unsigned>{0, 1, 2, 3, 8}));
  EXPECT_EQ(parse_ok("5"), (std::vector<unsigned>{5}));
  EXPECT_EQ(parse_ok("7-7"), (std::vector<unsigned>{7}));
  EXPECT_EQ(parse_ok("0-15").size(), 16u);
}

TEST(CpuList, ResultIsSortedWhateverTheOrderWritten) {
  EXPECT_EQ(parse_ok("9,2-3,0"), (std::vector<unsigned>{0, 2, 3, 9}));
}

TEST(CpuList, WhitespaceAroundTokensIsTolerated) {
  EXPECT_EQ(parse_ok(" 0 - 2 ,\t8 "), (std::vector<unsigned>{0, 1, 2, 8}));
}

TEST(CpuList, EmptyIsAnError) {
  EXPECT_NE(parse_error("").find("empty"), std::string::npos);
  EXPECT_NE(parse_error("  ").find("empty"), std::string::npos);
}

TEST(CpuList, EmptyItemsAreErrors) {
  EXPECT_NE(parse_error("0,,1").find("empty item"), std::string::npos);
  EXPECT_NE(parse_error("0,").find("empty item"), std::string::npos);
  EXPECT_NE(parse_error(",0").find("empty item"), std::string::npos);
}

TEST(CpuList, ReversedRangeIsNamed) {
  EXPECT_NE(parse_error("0,5-3").find("range '5-3' is reversed"), std::string::npos);
}

TEST(CpuList, DuplicatesAreNamed) {
  EXPECT_NE(parse_error("1,1").find("CPU 1 is listed twice"), std::string::npos);
  EXPECT_NE(parse_error("0-3,2").find("CPU 2 is listed twice"), std::string::npos);
}

TEST(CpuList, NonNumbersAreNamed) {
  for (const char* bad : {"x", "1a", "-1", "1-", "1-2-3", "+1", "1 2", "0x1", "auto"}) {
    const auto err = parse_error(std::string("0,") + bad);
    EXPECT_NE(err.find("'" + std::string(bad) + "' is not a CPU number"), std::string::npos) << err;
  }
}

TEST(CpuList, HugeNumbersAreRejectedNotAllocated) {
  EXPECT_NE(parse_error("0-4000000000").find("is not a CPU number"), std::string::npos);
  EXPECT_NE(parse_error("99999999999999999999").find("is not a CPU number"), std::string::npos);
}

TEST(CpuList, ACpuTheMachineLacksIsNamedWithWhatItHas) {
  const auto err = parse_error("0-2,4", {0, 1, 2, 3});
  EXPECT_EQ(err, "CPU list '0-2,4': CPU 4 (in '4') is not on this machine, which has CPUs 0-3");
  EXPECT_NE(parse_error("2-5", {0, 1, 2, 3}).find("CPU 4 (in '2-5')"), std::string::npos);
  // Holes count: a machine whose CPU 1 is offline.
  EXPECT_NE(parse_error("0-2", {0, 2, 3}).find("CPU 1 "), std::string::npos);
}

TEST(CpuList, ErrorQuotesTheWholeText) {
  EXPECT_EQ(parse_error("0,x").rfind("CPU list '0,x': ", 0), 0u);
}

TEST(CpuList, FormatJoinsRuns) {
  EXPECT_EQ(format_cpu_list(std::vector<unsigned>{0, 1, 2, 3, 8}), "0-3,8");
  EXPECT_EQ(format_cpu_list(std::vector<unsigned>{0, 2, 4}), "0,2,4");
  EXPECT_EQ(format_cpu_list(std::vector<unsigned>{1, 2}), "1-2");
  EXPECT_EQ(format_cpu_list(std::vector<unsigned>{7}), "7");
  EXPECT_EQ(format_cpu_list(std::vector<unsigned>{}), "");
}

TEST(CpuList, FormatThenParseGivesTheSameCpus) {
  const std::vector<unsigned> cpus{0, 1, 2, 5, 7, 8, 9, 15};
  EXPECT_EQ(parse_ok(format_cpu_list(cpus)), cpus);
}

}  // namespace
