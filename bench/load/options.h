#pragma once
// sipring-load's command line (bench/README.md, "Load generator"): parsed into load_options, or
// a message saying what is wrong (the program then exits 2).

#include <netinet/in.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sipring::load {

enum class scenario_kind : std::uint8_t { register_, options, message, call };
enum class transport_kind : std::uint8_t { udp, tcp, tls };

const char* name(scenario_kind s) noexcept;
const char* name(transport_kind t) noexcept;

/// The offered rate over time: a fixed rate (one step), steps, or a linear ramp (one step per
/// second). Empty `steps` with concurrency > 0: closed loop.
struct rate_plan {
  struct step {
    double rate = 0;        ///< new transactions/s at the step's start
    double rate_end = 0;    ///< at its end (ramp: linear in between; otherwise == rate)
    double seconds = 0;
  };
  std::vector<step> steps;
};

struct load_options {
  scenario_kind scenario = scenario_kind::register_;
  transport_kind transport = transport_kind::udp;
  sockaddr_in target{};
  std::string target_text;  ///< "IP:PORT" as given
  unsigned users = 1000;
  std::string domain;  ///< default: the target IP
  std::string password;
  rate_plan rate;
  unsigned concurrency = 0;  ///< > 0: closed loop
  double duration_s = 10;
  std::uint64_t count = 0;  ///< 0: no bound but the duration
  std::vector<unsigned> cpus;
  unsigned connections = 1;
  bool new_connection_per_transaction = false;
  /// With new_connection_per_transaction over TLS: offer the previous connection's session
  /// ticket (crypto::tls_resumption); psk_only: resumption without a new key exchange
  /// (crypto::tls_context_options::resumption_without_key_exchange).
  bool tls_resume = false, tls_psk_only = false;
  std::string ca_file, server_name;
  std::string local_ip = "127.0.0.1";
  std::uint32_t timeout_ms = 32000;
  std::uint32_t t1_ms = 500;
  bool json = false, quiet = false, progress = false;
  /// Extensions beyond the contract: the open loop's start tick (starts due within it go out
  /// together; 0: automatic, see worker::turn_length) and the reactor's completion coalescing
  /// window (0: off).
  unsigned tick_ms = 0;
  unsigned coalesce_us = 0;
  /// UDP receive: polled at each tick with recvmmsg (true, the default: one wake-up per tick)
  /// or io_uring multishot recvmsg (a wake-up per arrival burst).
  bool poll = true;
};

struct parse_outcome {
  std::optional<load_options> options;
  std::string error;  ///< when options is empty; "help" for --help
};

parse_outcome parse_options(int argc, char** argv);
/// The usage text.
const char* usage() noexcept;

}  // namespace sipring::load
