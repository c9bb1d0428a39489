#pragma once
// Addresses-of-record (RFC 3261 §10.3 step 5, §19.1.4) as lookup keys, and which shard owns one.
//
// The key is the canonical text "user@host" of a SIP or SIPS URI: the location table is looked
// up with it for a REGISTER's To URI and for a request's Request-URI, so two URIs that RFC 3261
// §19.1.4 calls equal (as far as user and host go) give the same key:
//   - the user is unescaped (case-sensitive): "%61lice" is "alice"; an escaped reserved
//     character (";/?:@&=+$,") and an escaped '%' stay escaped, with upper-case hex, because
//     §19.1.4 does not equate them with the character itself;
//   - the host is lower-cased; an IPv4 or IPv6 address is written in its canonical form
//     ("[2001:DB8:0::1]" -> "[2001:db8::1]", RFC 5118 §4.4 / RFC 5952);
//   - the scheme (sip and sips share a key), the password, the port, the parameters and the
//     headers are left out;
//   - a URI without a user gives just the host ("sip:example.com" -> "example.com").
// Hostnames are not otherwise normalised: "example.com." and "example.com" differ.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "sipring/parser/uri.h"

namespace sipring::sip {

/// An upper bound on make_aor_key's length for `u`: size a buffer with it.
std::size_t aor_key_max_size(const parser::uri& u) noexcept;

/// Writes the key of `u` into `out` and returns its length; 0 when `u` is not a SIP or SIPS URI,
/// has no host, or when `out` is too small (aor_key_max_size() always suffices). No allocation.
std::size_t make_aor_key(const parser::uri& u, std::span<char> out) noexcept;

/// The same into `out` (replaced; allocates as std::string does); false, with `out` cleared,
/// when `u` is not a SIP or SIPS URI.
bool make_aor_key(const parser::uri& u, std::string& out);

/// Parses `uri_text` (one URI, no <>) and writes its key; false when it does not parse or is
/// not a SIP or SIPS URI.
bool make_aor_key(std::string_view uri_text, std::string& out);

/// A 64-bit hash of a key, the same on every host, build and run (FNV-1a, then MurmurHash3's
/// 64-bit finaliser so that every bit of the result depends on every byte).
std::uint64_t aor_hash(std::string_view aor_key) noexcept;

/// The shard (0..shard_count-1) whose location_partition holds `aor_key`: aor_hash modulo
/// shard_count. Stable for a given shard count; 0 when shard_count is 0 or 1.
unsigned owner_shard(std::string_view aor_key, unsigned shard_count) noexcept;

}  // namespace sipring::sip
