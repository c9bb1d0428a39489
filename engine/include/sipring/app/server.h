#pragma once
// `sipring` serving: places the shards on their CPUs, runs them until SIGINT or SIGTERM (a
// graceful stop), and hands SIGHUP to every shard as an event.

#include <iosfwd>

#include "sipring/app/config.h"

namespace sipring::app {

/// Runs the server on `config`; the process's exit status. Call from the main thread before any
/// other thread exists (it blocks SIGINT, SIGTERM and SIGHUP for every thread it starts, and
/// takes them with sigwaitinfo).
int run_server(const loaded_config& config, std::ostream& out, std::ostream& err);

}  // namespace sipring::app
