#include "sipring/runtime/cpu_list.h"

#include <algorithm>
#include <charconv>
#include <optional>

namespace sipring::runtime {

namespace {

// Larger than any kernel's NR_CPUS (8192), so a typo like "0-40000000" cannot ask for a huge
// vector before the machine check rejects it.
constexpr unsigned max_cpu_number = 1u << 16;

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

std::optional<unsigned> parse_number(std::string_view s) {
  unsigned value = 0;
  const auto* end = s.data() + s.size();
  const auto [ptr, ec] = std::from_chars(s.data(), end, value);
  if (s.empty() || ec != std::errc() || ptr != end || value >= max_cpu_number) return std::nullopt;
  return value;
}

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

}  // namespace

cpu_list_result parse_cpu_list(std::string_view text, std::span<const unsigned> machine_cpus) {
  cpu_list_result out;
  const auto fail = [&](std::string why) {
    out.cpus.clear();
    out.error = "CPU list " + quoted(text) + ": " + std::move(why);
    return out;
  };
  if (trim(text).empty()) return fail("empty (give CPUs like \"0-3,8\", or \"auto\")");

  std::size_t pos = 0;
  while (pos <= text.size()) {
    const auto comma = std::min(text.find(',', pos), text.size());
    const auto item = trim(text.substr(pos, comma - pos));
    pos = comma + 1;
    if (item.empty()) return fail("an empty item between commas");

    const auto dash = item.find('-');
    const auto first_text = trim(item.substr(0, dash));
    const auto last_text = dash == std::string_view::npos ? first_text : trim(item.substr(dash + 1));
    const auto first = parse_number(first_text);
    const auto last = parse_number(last_text);
    if (!first || !last)
      return fail(quoted(item) + " is not a CPU number or a range like 0-3");
    if (*last < *first) return fail("range " + quoted(item) + " is reversed");
    for (unsigned cpu = *first; cpu <= *last; ++cpu) {
      if (!std::binary_search(machine_cpus.begin(), machine_cpus.end(), cpu))
        return fail("CPU " + std::to_string(cpu) + " (in " + quoted(item) +
                    ") is not on this machine, which has CPUs " + format_cpu_list(machine_cpus));
      out.cpus.push_back(cpu);
    }
  }

  std::sort(out.cpus.begin(), out.cpus.end());
  if (const auto dup = std::adjacent_find(out.cpus.begin(), out.cpus.end()); dup != out.cpus.end())
    return fail("CPU " + std::to_string(*dup) + " is listed twice");
  return out;
}

std::string format_cpu_list(std::span<const unsigned> cpus) {
  std::string out;
  for (std::size_t i = 0; i < cpus.size();) {
    std::size_t j = i;
    while (j + 1 < cpus.size() && cpus[j + 1] == cpus[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(cpus[i]);
    if (j > i) out += '-' + std::to_string(cpus[j]);
    i = j + 1;
  }
  return out;
}

}  // namespace sipring::runtime
