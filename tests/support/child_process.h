#pragma once
// Runs a real program (the sipring binary, sipp, openssl, objdump …) for integration tests:
// captures its stdout and stderr, waits for output or exit with a deadline, sends signals, and
// kills and reaps it when the test ends so that no test leaves a process behind.

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sipring::testing {

class child_process {
 public:
  /// Starts argv[0] (looked up in PATH) with the given arguments. Throws std::runtime_error
  /// when it cannot be started.
  explicit child_process(std::vector<std::string> argv);
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  pid_t pid() const { return _pid; }
  bool signal(int sig) const;

  /// Reads output until stdout or stderr contains `needle`; false on timeout or exit first.
  bool wait_for_output(std::string_view needle, std::chrono::milliseconds timeout);

  /// Waits for the process to exit; its exit code (128+N when killed by signal N), or nullopt
  /// on timeout. Reads all remaining output.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);

  const std::string& out() const { return _out; }
  const std::string& err() const { return _err; }

 private:
  bool pump(std::chrono::milliseconds wait);  // reads what is there; false when both pipes closed
  void reap_if_exited();

  pid_t _pid = -1;
  int _out_fd = -1;
  int _err_fd = -1;
  std::optional<int> _exit_code;
  std::string _out;
  std::string _err;
};

struct command_result {
  int exit_code;  ///< -1 when it did not finish in time (then it was killed)
  std::string out;
  std::string err;
};

/// Runs a command to completion (bounded by `timeout`).
command_result run_command(std::vector<std::string> argv,
                           std::chrono::milliseconds timeout = std::chrono::seconds(60));

}  // namespace sipring::testing
