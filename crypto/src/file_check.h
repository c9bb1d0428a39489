#pragma once
// Checks a configured file before it is handed to wolfSSL, so that errors name what is wrong.

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

namespace sipring::crypto::detail {

/// False with `error` = "<file>: <reason>" when the file cannot be read or is empty.
inline bool readable(const std::string& file, std::string& error) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    error = file + ": cannot read the file (" + std::strerror(errno) + ")";
    return false;
  }
  if (in.peek() == std::ifstream::traits_type::eof()) {
    error = file + ": the file is empty";
    return false;
  }
  return true;
}

}  // namespace sipring::crypto::detail
