#pragma once
// The [runtime] keys: how each shard's reactor runs and how long a stop waits. Errors name the
// file, line and key.

#include <variant>

#include "sipring/app/config.h"
#include "sipring/runtime/shard_set.h"

namespace sipring::app {

/// Reads [runtime] (every key optional) into the shard options' reactor settings and stop grace:
///   receive_buffers (a power of two), receive_buffer_size (bytes), coalesce_window_us (0: off),
///   coalesce_count, stop_grace_ms.
std::variant<runtime::shard_set_options, config_error> read_runtime_config(const loaded_config& config);

}  // namespace sipring::app
