#pragma once
// `sipring --check-config FILE`: every configuration error of FILE, or that it is valid.

#include <iosfwd>
#include <string>
#include <vector>

#include "sipring/app/config.h"

namespace sipring::app {

/// Every error a server started on `config` would refuse (placement on this machine, [runtime],
/// the SIP keys); empty when it is valid.
std::vector<config_error> check_config(const loaded_config& config);

/// Loads `path` and prints each error (FILE:LINE:COLUMN: [table] key ...) on `err`, exit status
/// 1; or a one-line summary on `out`, exit status 0.
int run_check_config(const std::string& path, std::ostream& out, std::ostream& err);

}  // namespace sipring::app
