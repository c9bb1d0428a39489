#pragma once
// Parsing one SIP message (picohttpparser-shaped): stateless, returns a view into the caller's
// buffer and a caller-sized header array, and never allocates.
//
// Padding contract: none. The SIMD scanner never reads past `bytes.end()`: the last partial
// vector is copied into a small stack block first. So any buffer works, and the guard-page
// tests place messages right before a PROT_NONE page.

#include <cstdint>
#include <span>
#include <string_view>

#include "sipring/parser/error.h"
#include "sipring/parser/message_view.h"
#include "sipring/parser/simd_level.h"

namespace sipring::parser {

/// Limits: exceeding one is its own error code (the server answers 513).
struct parse_limits {
  std::uint32_t max_message_size = 64 * 1024;  ///< start line + headers + body
  std::uint16_t max_headers = 256;             ///< header lines (also bounded by the storage)
  std::uint32_t max_header_line = 8 * 1024;    ///< one header line, folding included
};

enum class transport_kind : std::uint8_t {
  datagram,  ///< UDP: one datagram is one message; no Content-Length means "to the end"
  stream,    ///< TCP/TLS: Content-Length is mandatory; short input is `incomplete`
};

struct parse_options {
  transport_kind transport = transport_kind::datagram;
  /// RFC 3261 §8.1.1 makes Max-Forwards mandatory, but §16.6 tells a proxy to add one when it
  /// is missing and RFC 4475 §3.4.1 asks proxies to accept RFC 2543 requests without it; so
  /// only a strict caller turns its absence into missing_max_forwards.
  bool require_max_forwards = false;
  parse_limits limits;
};

struct parse_result {
  parse_error error;          ///< code none on success
  message_view message;       ///< valid only on success
  std::uint32_t consumed = 0; ///< bytes of this message; on a datagram, octets past it are ignored
  bool ok() const noexcept { return error.code == error_code::none; }
};

/// Parses the message at the start of `bytes` with the implementation chosen at start (see
/// simd_level.h). Checks the start line, the header index, that To, From, Call-ID, CSeq and Via
/// are present, that single-valued headers appear once, Content-Length, and that CSeq's method
/// matches a request's method. Other headers are parsed on demand by the typed parsers.
parse_result parse(std::string_view bytes, std::span<header_field> storage,
                   const parse_options& options = {}) noexcept;

/// The same with a given implementation (tests and benchmarks compare them). The level must be
/// one the CPU supports.
parse_result parse_with(simd_level level, std::string_view bytes, std::span<header_field> storage,
                        const parse_options& options = {}) noexcept;

}  // namespace sipring::parser
