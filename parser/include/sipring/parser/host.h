#pragma once
// Hosts and ports (RFC 3261 §25.1 host / hostport, RFC 5118 and RFC 4291 for IPv6): a hostname,
// an IPv4 dotted quad or an IPv6 reference in brackets, with an optional port. Shared by the
// URI and Via parsers. Views point into the caller's text.

#include <array>
#include <cstdint>
#include <string_view>

#include "sipring/parser/error.h"

namespace sipring::parser {

enum class host_kind : std::uint8_t { hostname, ipv4, ipv6 };

struct host_port {
  std::string_view host;  ///< as written; an IPv6 reference keeps its brackets
  host_kind kind = host_kind::hostname;
  std::uint16_t port = 0;
  bool has_port = false;
};

/// True when `text` is exactly a dotted quad of 1-3 digit parts, each 0-255; stores its bytes.
bool parse_ipv4_address(std::string_view text, std::array<std::uint8_t, 4>& out) noexcept;

/// True when `text` (no brackets) is an IPv6 address in RFC 4291 text form ("::" and a trailing
/// embedded IPv4 included); stores its 16 bytes in network order.
bool parse_ipv6_address(std::string_view text, std::array<std::uint8_t, 16>& out) noexcept;

/// True when `text` matches RFC 3261's hostname rule (labels of alphanum and inner '-', the last
/// label starting with a letter, an optional trailing dot).
bool is_hostname(std::string_view text) noexcept;

/// Classifies `text` as hostname, IPv4 or IPv6 reference ("[...]"); bad_uri when it is none
/// (there is no host-specific code: callers such as the Via parser map it to their own).
error_code parse_host(std::string_view text, host_kind& kind) noexcept;

/// Parses a port: 1*DIGIT with a value 0-65535; bad_number otherwise (empty included).
error_code parse_port(std::string_view digits, std::uint16_t& port) noexcept;

/// Parses `host [":" port]` with nothing around it; bad_uri for a bad host, bad_number for a
/// bad port. An unbracketed IPv6 address is a bad host (its colons would be ambiguous).
error_code parse_host_port(std::string_view text, host_port& out) noexcept;

/// Whether two hosts name the same thing: hostnames case-insensitively, IPv4 and IPv6 by value
/// ([::1] equals [0:0::1]); a hostname never equals an address. Hosts that do not parse are
/// compared case-insensitively as text.
bool host_equal(std::string_view a, std::string_view b) noexcept;

}  // namespace sipring::parser
