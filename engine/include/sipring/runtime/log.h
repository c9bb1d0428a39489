#pragma once
// One line per event on standard error, written with a single write() so that lines from
// different shards never interleave. Levels and the text/json format come from [log]; the
// level is read on every call, so a disabled level costs one load and one compare.
//
//   SIPRING_LOG(warn, "transport", "dropped datagram from %s: %s", peer.c_str(), why);

#include <atomic>
#include <cstdarg>
#include <cstdint>
#include <string_view>

namespace sipring::runtime {

enum class log_level : std::uint8_t { error, warn, info, debug, trace };
enum class log_format : std::uint8_t { text, json };

/// Parses "error", "warn", "info", "debug" or "trace".
bool parse_log_level(std::string_view text, log_level& out) noexcept;

/// Set once at start (before the shards run); read by every thread.
void set_log_options(log_level level, log_format format) noexcept;

namespace detail {
inline std::atomic<std::uint8_t> log_threshold{static_cast<std::uint8_t>(log_level::info)};
}

inline bool log_enabled(log_level level) noexcept {
  return static_cast<std::uint8_t>(level) <= detail::log_threshold.load(std::memory_order_relaxed);
}

/// Writes one line: time, level, shard, area and the printf-formatted text (control
/// characters in it are escaped, so a message's bytes never break the line).
void log_write(log_level level, std::string_view area, const char* format, ...) noexcept
    __attribute__((format(printf, 3, 4)));

/// Redirects log lines to a file descriptor (tests); -1 restores standard error.
void set_log_fd(int fd) noexcept;

}  // namespace sipring::runtime

#define SIPRING_LOG(level, area, ...)                                                       \
  do {                                                                                      \
    if (::sipring::runtime::log_enabled(::sipring::runtime::log_level::level))              \
      ::sipring::runtime::log_write(::sipring::runtime::log_level::level, area, __VA_ARGS__); \
  } while (0)
