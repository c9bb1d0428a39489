#pragma once
// Placing a shard's thread: pin it to its one CPU, and give it a name that top, perf and gdb
// show ("sipring/3"). Called once by each thread on itself at start-up.

#include <string>
#include <string_view>

namespace sipring::runtime {

/// Restricts the calling thread to exactly `cpu`. Returns "" on success, else why it failed
/// (the CPU is offline, outside the process's cgroup, ...).
std::string pin_current_thread(unsigned cpu);

/// Names the calling thread; names longer than the kernel's 15 characters are cut to 15.
/// Returns "" on success, else why it failed.
std::string name_current_thread(std::string_view name);

}  // namespace sipring::runtime
