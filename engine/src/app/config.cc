#include "sipring/app/config.h"

#include <fstream>
#include <sstream>

namespace sipring::app {

namespace {

config_error describe_parse_error(const std::string& source, const toml::parse_error& err) {
  std::ostringstream out;
  out << source << ':' << err.source().begin.line << ':' << err.source().begin.column << ": "
      << err.description();
  return {out.str()};
}

}  // namespace

std::variant<loaded_config, config_error> load_config(const std::string& path) {
  const std::string source = path.empty() ? std::string("embedded default") : path;
  std::string text;
  if (path.empty()) {
    text = embedded_default_config;
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) return config_error{path + ": cannot open the configuration file"};
    std::ostringstream buf;
    buf << in.rdbuf();
    text = buf.str();
  }
  try {
    return loaded_config{source, toml::parse(text, source)};
  } catch (const toml::parse_error& err) {
    return describe_parse_error(source, err);
  }
}

}  // namespace sipring::app
