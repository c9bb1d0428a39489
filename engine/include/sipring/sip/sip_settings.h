#pragma once
// The SIP layer's settings: read from the configuration once at start, then shared read-only by
// every shard.

#include <chrono>
#include <cstdint>
#include <string>

#include "sipring/parser/parse.h"
#include "sipring/sip/local_identity.h"
#include "sipring/sip/registrar.h"

namespace sipring::sip {

struct sip_settings {
  explicit sip_settings(local_identity me) : identity(std::move(me)) {}

  local_identity identity;
  parser::parse_limits limits;
  std::chrono::milliseconds t1{500}, t2{4000}, t4{5000};
  registrar_options registrar;
  /// Server / User-Agent text of the responses this server makes.
  std::string server_name = "sipring";
};

}  // namespace sipring::sip
