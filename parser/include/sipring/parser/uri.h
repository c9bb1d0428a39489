#pragma once
// URIs (RFC 3261 §19.1 and §25.1): SIP and SIPS URIs split into their parts, tel and other
// absolute URIs kept whole after their scheme. Views point into the caller's text and keep
// %-escapes as written; compare with escaped_equal() / uri_equal(), decode with unescape().

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sipring/parser/error.h"
#include "sipring/parser/host.h"
#include "sipring/parser/simd_level.h"

namespace sipring::parser {

enum class uri_scheme : std::uint8_t { sip, sips, tel, other };

struct uri {
  uri_scheme scheme = uri_scheme::other;
  std::string_view scheme_text;  ///< as written ("SIP", "soap.beep")

  // SIP and SIPS only (empty for tel and other schemes).
  std::string_view user;      ///< empty when there is no userinfo
  std::string_view password;  ///< may be empty even when has_password ("sip:a:@h")
  bool has_password = false;
  std::string_view host;  ///< an IPv6 reference keeps its brackets
  host_kind host_type = host_kind::hostname;
  std::uint16_t port = 0;
  bool has_port = false;
  std::string_view params;   ///< ";a=b;lr" as written (starts at ';'), or empty
  std::string_view headers;  ///< "a=b&c=d" after the '?' (the '?' excluded), or empty

  // Well-known URI parameters, found during parsing (names matched case-insensitively and with
  // escapes decoded). Values are as written; an empty view means absent.
  std::string_view transport;
  std::string_view user_param;  ///< user=phone / user=ip
  std::string_view method;
  std::string_view ttl;  ///< checked to be 0-255
  std::string_view maddr;  ///< checked to be a host
  bool lr = false;

  // tel and other schemes: everything after "scheme:" (SIP/SIPS: empty).
  std::string_view opaque;
};

/// Parses `text`, which must be exactly one URI (no LWS, no brackets around it). bad_uri for
/// anything wrong: scheme, userinfo, host, port, parameters, headers or a malformed %-escape.
/// The scheme is matched case-insensitively. A known parameter (transport, user, method, ttl,
/// maddr) must have a valid value; these and lr may appear at most once. On error `out` is
/// unspecified (the fast paths write it as they go).
error_code parse_uri(std::string_view text, uri& out) noexcept;

/// parse_uri with a given SIMD implementation (parse_uri uses active_simd_level()): the same
/// results with each. The level must be one the CPU supports.
error_code parse_uri_with(simd_level level, std::string_view text, uri& out) noexcept;

/// Whether two URIs are equivalent by RFC 3261 §19.1.4. For tel and other schemes: same scheme
/// (case-insensitively) and the same opaque part after unescaping (no RFC 3966 normalisation).
/// Hostnames are not normalised ("example.com." differs from "example.com"); header values
/// compare case-sensitively after unescaping, as a multiset in any order.
bool uri_equal(const uri& a, const uri& b) noexcept;

struct uri_param {
  std::string_view name;   ///< as written, escapes included
  std::string_view value;  ///< empty when there is no '='
  bool has_value = false;
};

/// Iterates URI parameters (`uri::params`: empty or starting with ';'). No LWS is allowed;
/// names and values are 1*paramchar (unreserved, "[]/:&+$" and %HH). next() returns false at
/// the end or on an error, after which error() is bad_uri and error_offset() says where.
class uri_param_reader {
 public:
  explicit constexpr uri_param_reader(std::string_view text) noexcept : _text(text) {}

  bool next(uri_param& param) noexcept;
  error_code error() const noexcept { return _error; }
  std::size_t error_offset() const noexcept { return _error_at; }

 private:
  bool fail() noexcept;

  std::string_view _text;
  std::size_t _pos = 0;
  error_code _error = error_code::none;
  std::size_t _error_at = 0;
};

/// The first parameter of `params` whose name equals `name` (case-insensitively, escapes
/// decoded); false when there is none or `params` is malformed before it.
bool find_uri_param(std::string_view params, std::string_view name, uri_param& out) noexcept;

struct uri_header {
  std::string_view name;   ///< as written, escapes included
  std::string_view value;  ///< may be empty ("?subject=")
};

/// Iterates URI headers (`uri::headers`: "a=b&c=d", without the '?'). Each is hname "=" hvalue
/// (unreserved, "[]/?:+$" and %HH). next() returns false at the end or on an error, after which
/// error() is bad_uri and error_offset() says where.
class uri_header_reader {
 public:
  explicit constexpr uri_header_reader(std::string_view text) noexcept : _text(text) {}

  bool next(uri_header& header) noexcept;
  error_code error() const noexcept { return _error; }
  std::size_t error_offset() const noexcept { return _error_at; }

 private:
  bool fail() noexcept;

  std::string_view _text;
  std::size_t _pos = 0;
  error_code _error = error_code::none;
  std::size_t _error_at = 0;
};

/// Decodes %HH escapes of `in` into `out` (at least in.size() bytes); returns the bytes written.
/// A '%' not followed by two hex digits is copied as is. %00 decodes to a NUL byte.
std::size_t unescape(std::string_view in, char* out) noexcept;

/// Whether `a` and `b` decode to the same bytes (ASCII case folded when ignore_case), without
/// allocating. Per RFC 3261 §19.1.4 an escaped reserved character (";/?:@&=+$,") is not equal
/// to the character itself; every other escape is.
bool escaped_equal(std::string_view a, std::string_view b, bool ignore_case) noexcept;

}  // namespace sipring::parser
