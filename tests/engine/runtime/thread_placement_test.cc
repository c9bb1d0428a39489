#include "sipring/runtime/thread_placement.h"

#include <gtest/gtest.h>
#include <pthread.h>
#include <sched.h>

#include <string>
#include <thread>
#include <vector>

namespace {

using namespace sipring::runtime;

std::vector<unsigned> affinity_of(pthread_t thread) {
  cpu_set_t set;
  CPU_ZERO(&set);
  EXPECT_EQ(pthread_getaffinity_np(thread, sizeof set, &set), 0);
  std::vector<unsigned> cpus;
  for (unsigned cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  return cpus;
}

std::string name_of(pthread_t thread) {
  char name[16] = {};
  EXPECT_EQ(pthread_getname_np(thread, name, sizeof name), 0);
  return name;
}

TEST(ThreadPlacement, PinsAThreadToExactlyOneCpu) {
  std::string error;
  std::vector<unsigned> cpus;
  std::thread t([&] {
    error = pin_current_thread(0);
    cpus = affinity_of(pthread_self());
  });
  t.join();
  EXPECT_EQ(error, "");
  EXPECT_EQ(cpus, std::vector<unsigned>{0});
}

TEST(ThreadPlacement, PinningLeavesOtherThreadsAlone) {
  const auto before = affinity_of(pthread_self());
  std::thread t([] { EXPECT_EQ(pin_current_thread(0), ""); });
  t.join();
  EXPECT_EQ(affinity_of(pthread_self()), before);
}

TEST(ThreadPlacement, PinningToAMissingCpuSaysWhy) {
  std::string error;
  std::thread t([&] { error = pin_current_thread(4000); });  // past CPU_SETSIZE, and no such CPU
  t.join();
  EXPECT_NE(error.find("cannot pin to CPU 4000: "), std::string::npos) << error;
}

TEST(ThreadPlacement, NamesAThread) {
  std::string error, name;
  std::thread t([&] {
    error = name_current_thread("sipring/0");
    name = name_of(pthread_self());
  });
  t.join();
  EXPECT_EQ(error, "");
  EXPECT_EQ(name, "sipring/0");
}

TEST(ThreadPlacement, LongNamesAreCutToFifteenCharacters) {
  std::string error, name;
  std::thread t([&] {
    error = name_current_thread("sipring/1234567890");
    name = name_of(pthread_self());
  });
  t.join();
  EXPECT_EQ(error, "");
  EXPECT_EQ(name, "sipring/1234567");
}

}  // namespace
