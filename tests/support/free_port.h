#pragma once
// A loopback port that is free for both UDP and TCP right now (bound to 0 and released), for
// integration tests that start servers on loopback.

#include <cstdint>

namespace sipring::testing {

/// 0 when none was found in 50 attempts.
std::uint16_t free_port();

}  // namespace sipring::testing
