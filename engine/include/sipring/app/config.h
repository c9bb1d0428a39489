#pragma once
// The server's configuration file (TOML): the embedded default, or a file given with --config.
// Load errors name the file, line and column.

#include <string>
#include <string_view>
#include <variant>

#include <toml++/toml.h>

namespace sipring::app {

/// The text of config/default.toml, compiled into the binary.
extern const std::string_view embedded_default_config;

struct loaded_config {
  std::string source;  ///< the file's path, or "embedded default"
  toml::table table;
};

struct config_error {
  std::string message;  ///< "FILE:LINE:COLUMN: what is wrong"
};

/// Loads `path`, or the embedded default when `path` is empty.
std::variant<loaded_config, config_error> load_config(const std::string& path);

}  // namespace sipring::app
