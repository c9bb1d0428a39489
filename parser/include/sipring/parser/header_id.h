#pragma once
// Header names as constants: one id per header sipring understands, with compact forms mapped
// to the same id. The table is constexpr and never changes at run time.

#include <cstdint>
#include <string_view>

namespace sipring::parser {

enum class header_id : std::uint8_t {
  other = 0,  ///< any header sipring does not know; kept with its name span
  accept,
  accept_encoding,
  allow,
  allow_events,      // compact u
  authorization,
  call_id,           // compact i
  contact,           // compact m
  content_disposition,
  content_encoding,  // compact e
  content_length,    // compact l
  content_type,      // compact c
  cseq,
  date,
  event,             // compact o
  expires,
  from,              // compact f
  max_forwards,
  min_expires,
  path,
  proxy_authenticate,
  proxy_authorization,
  proxy_require,
  record_route,
  refer_to,          // compact r
  reply_to,
  require,
  route,
  subject,           // compact s
  subscription_state,
  supported,         // compact k
  to,                // compact t
  unsupported,
  user_agent,
  via,               // compact v
  www_authenticate,
  count_  ///< number of ids; not a header
};

inline constexpr std::size_t header_id_count = static_cast<std::size_t>(header_id::count_);

/// The id of a header name (case-insensitive, compact forms included); header_id::other when
/// unknown.
header_id lookup_header_name(std::string_view name) noexcept;

/// The id's stable identifier, e.g. "call_id", "other" (for logs, JSON and tests).
std::string_view header_id_name(header_id id) noexcept;

/// The canonical spelling, e.g. "Call-ID"; "" for header_id::other.
std::string_view canonical_name(header_id id) noexcept;

/// True for headers that may appear only once (Call-ID, From, To, CSeq, Max-Forwards,
/// Content-Length, Content-Type, Expires, Min-Expires …).
constexpr bool is_single_valued(header_id id) noexcept {
  constexpr auto bit = [](header_id h) { return std::uint64_t{1} << static_cast<unsigned>(h); };
  constexpr std::uint64_t single = bit(header_id::call_id) | bit(header_id::cseq) |
                                   bit(header_id::from) | bit(header_id::to) |
                                   bit(header_id::max_forwards) | bit(header_id::content_length) |
                                   bit(header_id::content_type) | bit(header_id::expires) |
                                   bit(header_id::min_expires);
  return ((single >> static_cast<unsigned>(id)) & 1) != 0;
}

}  // namespace sipring::parser
