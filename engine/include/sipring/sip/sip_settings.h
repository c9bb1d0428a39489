#pragma once
// The SIP layer's settings: read from the configuration once at start, then shared read-only by
// every shard.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "sipring/parser/parse.h"
#include "sipring/sip/digest_auth.h"
#include "sipring/sip/local_identity.h"
#include "sipring/sip/registrar.h"

namespace sipring::sip {

struct sip_settings {
  explicit sip_settings(local_identity me) : identity(std::move(me)) {}

  local_identity identity;
  parser::parse_limits limits;
  std::chrono::milliseconds t1{500}, t2{4000}, t4{5000};
  registrar_options registrar;
  /// Digest authentication ([auth]); null when the configuration has none.
  const digest_authenticator* auth = nullptr;
  /// The methods that must authenticate (REGISTER with 401, others from our users with 407).
  std::vector<std::string> auth_methods;
  /// Server / User-Agent text of the responses this server makes.
  std::string server_name = "sipring";
};

}  // namespace sipring::sip
