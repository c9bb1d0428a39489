#pragma once
// Internal: parse_uri's one-pass SIP URI scanner, shared with parse_name_addr_uri so that a
// bracketed URI is validated in the same pass that finds its '>'.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sipring/parser/uri.h"

namespace sipring::parser::detail {

// What the one-pass scanner found; copied into a uri only once the caller accepts it.
struct sip_uri_parts {
  uri_scheme scheme;
  std::string_view scheme_text, user, password, host, params;
  std::string_view transport, user_param, method, ttl, maddr;
  host_kind host_type;
  std::uint16_t port;
  bool has_password, has_port, lr;
};

/// Scans a "sip:" or "sips:" URI (scheme in any case) at s[from] that ends at a '>'. True when
/// it is the common form (no escapes, no headers, a hostname or IPv4 host) and valid, with
/// `close` the index of that '>' and `parts` what parse_uri gives s[from, close); false for
/// anything else (parse_uri then gives the verdict).
bool scan_bracketed_sip_uri(std::string_view s, std::size_t from, std::size_t& close,
                            sip_uri_parts& parts) noexcept;

/// Writes `parts` into `out` (every field).
void apply(const sip_uri_parts& parts, uri& out) noexcept;

}  // namespace sipring::parser::detail
