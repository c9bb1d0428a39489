#include "sipring/runtime/thread_placement.h"

#include <pthread.h>
#include <sched.h>

#include <string>
#include <system_error>

namespace sipring::runtime {

namespace {

// The kernel keeps 16 bytes of a thread's name, the terminating NUL included.
constexpr std::size_t max_thread_name = 15;

std::string describe(int err) { return std::error_code(err, std::generic_category()).message(); }

}  // namespace

std::string pin_current_thread(unsigned cpu) {
  // A dynamically sized set: cpu_set_t stops at CPU 1023, machines do not.
  const std::size_t count = cpu + 1;
  cpu_set_t* set = CPU_ALLOC(count);
  if (set == nullptr) return "cannot pin to CPU " + std::to_string(cpu) + ": out of memory";
  const std::size_t size = CPU_ALLOC_SIZE(count);
  CPU_ZERO_S(size, set);
  CPU_SET_S(cpu, size, set);
  const int rc = pthread_setaffinity_np(pthread_self(), size, set);
  CPU_FREE(set);
  if (rc != 0) return "cannot pin to CPU " + std::to_string(cpu) + ": " + describe(rc);
  return {};
}

std::string name_current_thread(std::string_view name) {
  const std::string cut(name.substr(0, max_thread_name));
  const int rc = pthread_setname_np(pthread_self(), cut.c_str());
  if (rc != 0) return "cannot name the thread '" + cut + "': " + describe(rc);
  return {};
}

}  // namespace sipring::runtime
