#pragma once
// Runs sipp (Debian sip-tester, 3.6) with a scenario of tests/integration/sipp/ for the
// integration tests: to completion under a timeout (run_sipp), or in the background as a UAS
// that the test stops when it is done (sipp_background). The result carries sipp's exit code
// and its successful and failed call counts, read from its -trace_stat file (its final stdout
// summary when that file is missing). sipp's screen output goes to a file, not to a pipe, so
// that a long run never blocks on a full pipe.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "child_process.h"

namespace sipring::testing {

struct sipp_options {
  std::string scenario;          ///< a file of tests/integration/sipp/ ("uas.xml") or a path
  std::string remote;            ///< "127.0.0.1:5060"; empty for a UAS
  std::string transport = "u1";  ///< sipp -t: "u1" (UDP) or "t1" (TCP)
  std::string local_ip = "127.0.0.1";
  uint16_t local_port = 0;       ///< sipp -p; 0: sipp picks one
  std::string service;           ///< sipp -s: the callee user of uac_call.xml, message.xml ...
  std::string injection_file;    ///< sipp -inf (register.xml, register_auth.xml)
  unsigned calls = 1;            ///< sipp -m; 0: no limit (a background UAS)
  unsigned rate = 0;             ///< sipp -r calls/s; 0: sipp's default (10)
  std::chrono::milliseconds recv_timeout{5000};  ///< sipp -recv_timeout: a call waits no longer
  std::vector<std::string> extra;                 ///< more sipp arguments
  std::chrono::milliseconds timeout{30000};       ///< the whole run (run_sipp) is killed after it
};

struct sipp_result {
  int exit_code = -1;  ///< sipp's: 0 every call succeeded, 1 some failed, 97/99 others;
                       ///< run_sipp: -1 when it did not finish in time (then it was stopped)
  bool stopped = false;  ///< it did not exit by itself: SIGTERM (and maybe SIGKILL) stopped it
  bool counts_known = false;  ///< false when neither the stat file nor the summary was readable
  unsigned successful = 0;
  unsigned failed = 0;
  std::string output;  ///< sipp's stdout and stderr (its screens)
  std::string errors;  ///< sipp's -trace_err log: the unexpected messages, if any

  bool all_succeeded(unsigned expected) const {
    return exit_code == 0 && !stopped && counts_known && successful == expected && failed == 0;
  }
};

/// The path of a scenario: `name` itself when it contains a '/', else tests/integration/sipp/name.
std::string sipp_scenario_path(std::string_view name);

/// Runs sipp to completion and returns what it did. Past options.timeout it is stopped
/// (SIGTERM, then SIGKILL a second later) and exit_code is -1; the counts say how far it got.
sipp_result run_sipp(const sipp_options& options);

/// sipp running in the background (a UAS, typically: uas.xml, uas_ringing.xml, uas_busy.xml).
class sipp_background {
 public:
  explicit sipp_background(const sipp_options& options);
  ~sipp_background();  ///< kills it if stop() was not called
  sipp_background(const sipp_background&) = delete;
  sipp_background& operator=(const sipp_background&) = delete;

  /// True while sipp runs.
  bool running();
  /// Waits up to `timeout` for sipp to exit by itself (its -m calls done), then stops it with
  /// SIGTERM (sipp writes its final statistics) and, after `grace`, SIGKILL.
  sipp_result stop(std::chrono::milliseconds timeout = std::chrono::milliseconds(0),
                   std::chrono::milliseconds grace = std::chrono::milliseconds(5000));

 private:
  struct files;
  std::unique_ptr<files> _files;
  std::unique_ptr<child_process> _child;
  std::optional<sipp_result> _result;
};

/// Writes a sipp injection CSV (SEQUENTIAL) for register.xml / register_auth.xml: one line per
/// user, "user;[authentication username=user password=...]" when passwords are given (same
/// size as users), else "user;". Returns the path (a new file in the temporary directory).
std::string write_sipp_users(const std::vector<std::string>& users,
                             const std::vector<std::string>& passwords = {});

/// (successful, failed) from the text of a sipp -trace_stat file (its last line), or nullopt.
std::optional<std::pair<unsigned, unsigned>> parse_sipp_stat_file(std::string_view text);
/// (successful, failed) from sipp's final statistics screen ("Successful call | ... | N"), or
/// nullopt.
std::optional<std::pair<unsigned, unsigned>> parse_sipp_summary(std::string_view text);

}  // namespace sipring::testing
