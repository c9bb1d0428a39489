#pragma once
// Internal: parse_uri's one-pass SIP URI scanner, shared with parse_name_addr_uri so that a
// bracketed URI is validated in the same pass that finds its '>'.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sipring/parser/uri.h"

namespace sipring::parser::detail {

/// Scans a "sip:" or "sips:" URI (scheme in any case) at s[from] that ends at a '>'. True when
/// it is the common form (no escapes, no headers, a hostname or IPv4 host) and valid, with
/// `close` the index of that '>' and `u` what parse_uri gives s[from, close); false for
/// anything else (parse_uri then gives the verdict), with `u` partly written.
bool scan_bracketed_sip_uri(std::string_view s, std::size_t from, std::size_t& close,
                            uri& u) noexcept;

}  // namespace sipring::parser::detail
