#include "sipring/runtime/log.h"

#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>

#include "sipring/runtime/shard_set.h"

namespace sipring::runtime {

namespace {

std::atomic<std::uint8_t> format_setting{static_cast<std::uint8_t>(log_format::text)};
std::atomic<int> output_fd{-1};
std::atomic<std::uint64_t> lines_dropped{0};

constexpr std::string_view level_names[] = {"error", "warn", "info", "debug", "trace"};

// Appends `text` to `out` (bounded by `end`), escaping what would break a line or JSON.
char* append_escaped(char* out, char* end, std::string_view text, bool json) noexcept {
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (end - out < 7) break;
    // Control characters and bytes outside ASCII (a message's raw bytes need not be UTF-8)
    // are escaped: a log line is always one line of ASCII (and valid JSON in the json format).
    if (u < 0x20 || u >= 0x7f || (json && (c == '"' || c == '\\'))) {
      if (json && (c == '"' || c == '\\')) {
        *out++ = '\\';
        *out++ = c;
      } else if (c == '\r') {
        *out++ = '\\', *out++ = 'r';
      } else if (c == '\n') {
        *out++ = '\\', *out++ = 'n';
      } else {
        out += std::snprintf(out, 7, json ? "\\u%04x" : "\\x%02x", u);
      }
    } else {
      *out++ = c;
    }
  }
  return out;
}

char* append(char* out, char* end, std::string_view text) noexcept {
  for (const char c : text) {
    if (out == end) break;
    *out++ = c;
  }
  return out;
}

}  // namespace

bool parse_log_level(std::string_view text, log_level& out) noexcept {
  for (std::size_t i = 0; i < std::size(level_names); ++i) {
    if (text == level_names[i]) {
      out = static_cast<log_level>(i);
      return true;
    }
  }
  return false;
}

void set_log_options(log_level level, log_format format) noexcept {
  detail::log_threshold.store(static_cast<std::uint8_t>(level), std::memory_order_relaxed);
  format_setting.store(static_cast<std::uint8_t>(format), std::memory_order_relaxed);
}

void set_log_fd(int fd) noexcept { output_fd.store(fd, std::memory_order_relaxed); }

void log_write(log_level level, std::string_view area, const char* format, ...) noexcept {
  char text[2048];
  va_list args;
  va_start(args, format);
  int n = std::vsnprintf(text, sizeof text, format, args);
  va_end(args);
  if (n < 0) return;
  const std::string_view message(text, std::min<std::size_t>(static_cast<std::size_t>(n), sizeof text - 1));

  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char stamp[96];
  std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  const unsigned shard = shard_set::this_shard();
  char shard_text[16];
  std::snprintf(shard_text, sizeof shard_text, "%u", shard);
  const std::string_view level_name = level_names[static_cast<std::size_t>(level)];

  char line[4096];
  char* out = line;
  char* const end = line + sizeof line - 2;
  if (static_cast<log_format>(format_setting.load(std::memory_order_relaxed)) == log_format::json) {
    out = append(out, end, "{\"time\":\"");
    out = append(out, end, stamp);
    out = append(out, end, "\",\"level\":\"");
    out = append(out, end, level_name);
    out = append(out, end, "\",\"shard\":");
    out = append(out, end, shard_text);
    out = append(out, end, ",\"area\":\"");
    out = append_escaped(out, end, area, true);
    out = append(out, end, "\",\"message\":\"");
    out = append_escaped(out, end, message, true);
    out = append(out, end, "\"}");
  } else {
    out = append(out, end, stamp);
    out = append(out, end, " ");
    out = append(out, end, level_name);
    out = append(out, end, " [");
    out = append(out, end, shard_text);
    out = append(out, end, "] ");
    out = append_escaped(out, end, area, false);
    out = append(out, end, ": ");
    out = append_escaped(out, end, message, false);
  }
  *out++ = '\n';
  const int configured = output_fd.load(std::memory_order_relaxed);
  const int fd = configured >= 0 ? configured : STDERR_FILENO;
  // A shard must never stall on its log: when the reader of a pipe (a terminal, journald, a
  // test harness) falls behind, the line is dropped and counted, and the count is reported
  // with the next line that gets through.
  pollfd p{fd, POLLOUT, 0};
  if (::poll(&p, 1, 0) != 1 || (p.revents & POLLOUT) == 0) {
    lines_dropped.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  if (const std::uint64_t dropped = lines_dropped.exchange(0, std::memory_order_relaxed); dropped != 0) {
    char note[160];
    const int length = std::snprintf(note, sizeof note, "%s warn [%s] log: %llu lines dropped (the log's reader was behind)\n",
                                     stamp, shard_text, static_cast<unsigned long long>(dropped));
    if (length > 0) {
      [[maybe_unused]] const auto w = ::write(fd, note, std::min<std::size_t>(static_cast<std::size_t>(length), sizeof note - 1));
    }
  }
  [[maybe_unused]] const auto written = ::write(fd, line, static_cast<std::size_t>(out - line));
}

}  // namespace sipring::runtime
