#pragma once
// CPU lists as operators write them ("0-3,8", the kernel's cpuset syntax): parsed into sorted
// CPU numbers and formatted back. Start-up code only: it allocates and reports errors as text.

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sipring::runtime {

struct cpu_list_result {
  std::vector<unsigned> cpus;  ///< sorted, no duplicates; empty when error is set
  std::string error;           ///< empty on success, else names the offending part of the text
};

/// Parses "0-3, 8" (ranges and single CPUs, whitespace around any token). Every CPU must be in
/// `machine_cpus` (sorted): a list naming a CPU the machine lacks is an error, not a silent drop.
cpu_list_result parse_cpu_list(std::string_view text, std::span<const unsigned> machine_cpus);

/// The shortest list for `cpus` (sorted, no duplicates): {0,1,2,3,8} -> "0-3,8"; {} -> "".
std::string format_cpu_list(std::span<const unsigned> cpus);

}  // namespace sipring::runtime
