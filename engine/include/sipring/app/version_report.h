#pragma once
// The text of `sipring --version`: version, wolfSSL and AES-NI state, parser SIMD level,
// io_uring features. Every line is probed on this machine, not assumed.

#include <string>

namespace sipring::app {

std::string version_report();

}  // namespace sipring::app
