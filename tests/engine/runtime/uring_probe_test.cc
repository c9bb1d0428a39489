#include "sipring/runtime/uring_probe.h"

#include <gtest/gtest.h>
#include <sys/utsname.h>

#include <cstdio>

namespace {

using sipring::runtime::probe_uring;

// (major, minor) of the running kernel.
std::pair<int, int> kernel_version() {
  utsname un{};
  uname(&un);
  int major = 0, minor = 0;
  std::sscanf(un.release, "%d.%d", &major, &minor);
  return {major, minor};
}

TEST(UringProbe, FindsIoUringAndTheBasicOpcodes) {
  const auto f = probe_uring();
  if (!f.available) GTEST_SKIP() << "io_uring unavailable: " << f.setup_error;
  EXPECT_FALSE(f.kernel_release.empty());
  EXPECT_TRUE(f.op_recv);
  EXPECT_TRUE(f.op_send);
  EXPECT_TRUE(f.op_accept);
  EXPECT_TRUE(f.op_async_cancel);
}

TEST(UringProbe, TriesMultishotFeaturesForRealOnNewKernels) {
  const auto f = probe_uring();
  if (!f.available) GTEST_SKIP() << "io_uring unavailable: " << f.setup_error;
  if (kernel_version() < std::pair{6, 0}) GTEST_SKIP() << "kernel older than 6.0";
  EXPECT_TRUE(f.provided_buffer_ring);
  EXPECT_TRUE(f.multishot_accept);
  EXPECT_TRUE(f.multishot_recv);
  EXPECT_TRUE(f.missing_required().empty());
}

TEST(UringProbe, NamesWhatIsMissingWithTheKernelThatBroughtIt) {
  sipring::runtime::uring_features none;
  none.available = true;
  const auto missing = none.missing_required();
  ASSERT_FALSE(missing.empty());
  bool names_multishot_recv = false;
  for (const auto& m : missing)
    if (m.find("multishot recv (Linux 6.0)") != std::string::npos) names_multishot_recv = true;
  EXPECT_TRUE(names_multishot_recv);

  sipring::runtime::uring_features unavailable;
  unavailable.setup_error = "Operation not permitted";
  ASSERT_EQ(unavailable.missing_required().size(), 1u);
  EXPECT_NE(unavailable.missing_required()[0].find("Operation not permitted"), std::string::npos);
}

TEST(UringProbe, DescribeSaysWhatItFound) {
  const auto f = probe_uring();
  const auto text = sipring::runtime::describe(f);
  EXPECT_NE(text.find("io_uring: kernel " + f.kernel_release), std::string::npos);
  if (f.available && f.missing_required().empty()) {
    EXPECT_NE(text.find("every feature sipring needs is present"), std::string::npos);
  }
}

}  // namespace
