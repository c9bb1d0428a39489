#include "sipring/parser/header_id.h"

#include <array>

#include "char_class.h"

namespace sipring::parser {

namespace {

struct entry {
  std::string_view name;
  header_id id;
};

constexpr std::array<std::string_view, header_id_count> canonical{
    "", "Accept", "Accept-Encoding", "Allow", "Allow-Events", "Authorization", "Call-ID",
    "Contact", "Content-Disposition", "Content-Encoding", "Content-Length", "Content-Type",
    "CSeq", "Date", "Event", "Expires", "From", "Max-Forwards", "Min-Expires", "Path",
    "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Require", "Record-Route", "Refer-To",
    "Reply-To", "Require", "Route", "Subject", "Subscription-State", "Supported", "To",
    "Unsupported", "User-Agent", "Via", "WWW-Authenticate"};

// Compact forms (RFC 3261 §7.3.3 and extensions), indexed by lower-case letter.
constexpr std::array<header_id, 26> make_compact() {
  std::array<header_id, 26> t{};
  auto set = [&t](char c, header_id id) { t[static_cast<std::size_t>(c - 'a')] = id; };
  set('c', header_id::content_type);
  set('e', header_id::content_encoding);
  set('f', header_id::from);
  set('i', header_id::call_id);
  set('k', header_id::supported);
  set('l', header_id::content_length);
  set('m', header_id::contact);
  set('o', header_id::event);
  set('r', header_id::refer_to);
  set('s', header_id::subject);
  set('t', header_id::to);
  set('u', header_id::allow_events);
  set('v', header_id::via);
  return t;
}
constexpr auto compact = make_compact();

// A perfect-enough hash of (length, first, last) into a small table of candidates; the
// candidate is then compared case-insensitively. Built at compile time.
constexpr std::size_t bucket_count = 128;
constexpr std::size_t bucket_of(std::size_t len, char first, char last) {
  return (len * 31 + static_cast<std::size_t>(chars::to_lower(first)) * 7 +
          static_cast<std::size_t>(chars::to_lower(last))) %
         bucket_count;
}

struct bucket {
  std::array<header_id, 2> ids{};
};

constexpr std::array<bucket, bucket_count> make_buckets() {
  std::array<bucket, bucket_count> t{};
  for (std::size_t i = 1; i < header_id_count; ++i) {
    const auto name = canonical[i];
    auto& b = t[bucket_of(name.size(), name.front(), name.back())];
    if (b.ids[0] == header_id::other) b.ids[0] = static_cast<header_id>(i);
    else if (b.ids[1] == header_id::other) b.ids[1] = static_cast<header_id>(i);
    else throw "header name hash: more than two names in one bucket";  // fails compilation
  }
  return t;
}
constexpr auto buckets = make_buckets();

bool equal_ignore_case(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (chars::to_lower(a[i]) != chars::to_lower(b[i])) return false;
  return true;
}

}  // namespace

header_id lookup_header_name(std::string_view name) noexcept {
  if (name.size() == 1) {
    const char c = chars::to_lower(name[0]);
    return (c >= 'a' && c <= 'z') ? compact[static_cast<std::size_t>(c - 'a')] : header_id::other;
  }
  if (name.empty()) return header_id::other;
  const auto& b = buckets[bucket_of(name.size(), name.front(), name.back())];
  for (header_id id : b.ids) {
    if (id == header_id::other) break;
    if (equal_ignore_case(name, canonical[static_cast<std::size_t>(id)])) return id;
  }
  return header_id::other;
}

std::string_view canonical_name(header_id id) noexcept {
  return canonical[static_cast<std::size_t>(id)];
}

bool is_single_valued(header_id id) noexcept {
  switch (id) {
    case header_id::call_id:
    case header_id::cseq:
    case header_id::from:
    case header_id::to:
    case header_id::max_forwards:
    case header_id::content_length:
    case header_id::content_type:
    case header_id::expires:
    case header_id::min_expires:
      return true;
    default:
      return false;
  }
}

}  // namespace sipring::parser
