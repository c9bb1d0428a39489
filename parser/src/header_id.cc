#include "sipring/parser/header_id.h"

#include <array>
#include <cstring>

#include "char_class.h"
#include "header_name_lookup.h"

namespace sipring::parser {

using namespace internal::header_names;

header_id lookup_header_name(std::string_view name) noexcept {
  if (name.size() == 1) return lookup_compact(name[0]);
  if (name.empty() || name.size() > max_packed) return header_id::other;
  const auto& b = buckets[bucket_of(name.size(), name.front(), name.back())];
  if (b.ids[0] == header_id::other) return header_id::other;
  char buffer[max_packed] = {};
  std::memcpy(buffer, name.data(), name.size());
  return match_words(b, buffer, name.size());
}

std::string_view header_id_name(header_id id) noexcept {
  static constexpr std::array<std::string_view, header_id_count> names{
      "other", "accept", "accept_encoding", "allow", "allow_events", "authorization", "call_id",
      "contact", "content_disposition", "content_encoding", "content_length", "content_type",
      "cseq", "date", "event", "expires", "from", "max_forwards", "min_expires", "path",
      "proxy_authenticate", "proxy_authorization", "proxy_require", "record_route", "refer_to",
      "reply_to", "require", "route", "subject", "subscription_state", "supported", "to",
      "unsupported", "user_agent", "via", "www_authenticate"};
  return names[static_cast<std::size_t>(id)];
}

std::string_view canonical_name(header_id id) noexcept {
  return canonical[static_cast<std::size_t>(id)];
}

}  // namespace sipring::parser
