#pragma once
// The header-name table and its lookup, inline so that stage 2 (message_indexer.h) pays no call
// per header. Names up to 24 bytes hash on (length, first, last) into a bucket of at most two
// candidates, then compare as three 64-bit words folded to lower case. Built at compile time;
// never changes at run time.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "char_class.h"
#include "sipring/parser/header_id.h"

namespace sipring::parser::internal {

namespace header_names {

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

// Names up to 24 bytes are compared as three 64-bit words, folded to lower case by setting
// bit 0x20 of every byte: that maps A-Z to a-z and leaves every other token character distinct
// from the lower-case letters and '-' that canonical names are made of.
constexpr std::size_t max_packed = 24;

struct packed_name {
  std::array<std::uint64_t, 3> words{};
};

constexpr packed_name pack_lower(std::string_view name) {
  packed_name p;
  for (std::size_t i = 0; i < name.size() && i < max_packed; ++i)
    p.words[i / 8] |= std::uint64_t{static_cast<unsigned char>(chars::to_lower(name[i]))} << (8 * (i % 8));
  return p;
}

constexpr std::array<packed_name, header_id_count> make_packed() {
  std::array<packed_name, header_id_count> t{};
  for (std::size_t i = 1; i < header_id_count; ++i) {
    if (canonical[i].size() > max_packed) throw "header name longer than 24 bytes";
    t[i] = pack_lower(canonical[i]);
  }
  return t;
}
constexpr auto packed = make_packed();

inline std::uint64_t load_word(const char* p) noexcept {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

// Any byte of `x` equal to CR: folding maps CR (0x0D) onto '-' (0x2D), the one collision
// between token-or-not bytes and the characters of canonical names.
inline bool has_cr(std::uint64_t x) noexcept {
  const std::uint64_t t = x ^ 0x0d0d0d0d0d0d0d0dull;
  const std::uint64_t highs = 0x8080808080808080ull;
  return (~(((t & ~highs) + ~highs) | t | ~highs)) != 0;
}

// Compares the name in `raw` (masked to its length) with the bucket's candidates.
inline header_id match(const bucket& b, const std::array<std::uint64_t, 3>& raw,
                       const std::array<std::uint64_t, 3>& fold) noexcept {
  const std::uint64_t w0 = raw[0] | fold[0], w1 = raw[1] | fold[1], w2 = raw[2] | fold[2];
  for (header_id id : b.ids) {
    if (id == header_id::other) break;
    const auto& c = packed[static_cast<std::size_t>(id)].words;
    if (((w0 ^ c[0]) | (w1 ^ c[1]) | (w2 ^ c[2])) == 0)
      return has_cr(raw[0]) || has_cr(raw[1]) || has_cr(raw[2]) ? header_id::other : id;
  }
  return header_id::other;
}

// Loads a name of `size` (2..24) bytes from `p`, which has 24 readable bytes, and matches it.
inline header_id match_words(const bucket& b, const char* p, std::size_t size) noexcept {
  std::array<std::uint64_t, 3> raw{}, fold{};
  for (std::size_t i = 0; i < 3; ++i) {
    const std::size_t left = size > 8 * i ? size - 8 * i : 0;
    const std::uint64_t mask = left >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * left)) - 1;
    raw[i] = load_word(p + 8 * i) & mask;
    fold[i] = 0x2020202020202020ull & mask;
  }
  return match(b, raw, fold);
}

inline header_id lookup_compact(char c0) noexcept {
  const char c = chars::to_lower(c0);
  return (c >= 'a' && c <= 'z') ? compact[static_cast<std::size_t>(c - 'a')] : header_id::other;
}

// Stage 2's table: names of token characters only (no CR, no NUL), so folding with 0x20 and
// comparing the words is the whole test. A multiplicative hash of the first word plus the
// length picks the one candidate slot; the multiplier was searched offline and the table
// refuses to build if two names (compact forms included) share a slot.
constexpr std::uint64_t token_hash_multiplier = 0xdd6bcb420b633227ull;
constexpr unsigned token_hash_bits = 7;

constexpr std::size_t token_slot(std::uint64_t word0, std::size_t size) {
  return static_cast<std::size_t>(((word0 + size) * token_hash_multiplier) >> (64 - token_hash_bits));
}

struct token_entry {
  std::array<std::uint64_t, 3> words{};  ///< lower-case name, zero-padded; all zero when empty
  header_id id = header_id::other;
};

constexpr std::array<token_entry, std::size_t{1} << token_hash_bits> make_token_table() {
  std::array<token_entry, std::size_t{1} << token_hash_bits> t{};
  auto add = [&t](std::string_view name, header_id id) {
    const packed_name p = pack_lower(name);
    auto& e = t[token_slot(p.words[0], name.size())];
    if (e.id != header_id::other) throw "header name hash: two names in one slot";  // fails compilation
    e.words = p.words;
    e.id = id;
  };
  for (std::size_t i = 1; i < header_id_count; ++i) add(canonical[i], static_cast<header_id>(i));
  for (char c = 'a'; c <= 'z'; ++c)
    if (compact[static_cast<std::size_t>(c - 'a')] != header_id::other)
      add(std::string_view(&c, 1), compact[static_cast<std::size_t>(c - 'a')]);
  return t;
}
inline constexpr auto token_table = make_token_table();

// The masks that keep the first `size` bytes of each of the three words, for size 0..24.
constexpr std::array<std::array<std::uint64_t, 3>, max_packed + 1> make_size_masks() {
  std::array<std::array<std::uint64_t, 3>, max_packed + 1> t{};
  for (std::size_t size = 0; size <= max_packed; ++size)
    for (std::size_t i = 0; i < 3; ++i) {
      const std::size_t left = size > 8 * i ? size - 8 * i : 0;
      t[size][i] = left >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * left)) - 1;
    }
  return t;
}
inline constexpr auto size_masks = make_size_masks();

}  // namespace header_names

/// The id of a header name of `size` (>= 1) token characters at `name`, which has 24 readable
/// bytes whatever `size`: lookup_header_name's answer, for stage 2.
inline header_id lookup_token_name(const char* name, std::size_t size) noexcept {
  using namespace header_names;
  if (size > max_packed) return header_id::other;
  const auto& mask = size_masks[size];
  constexpr std::uint64_t fold = 0x2020202020202020ull;
  const std::uint64_t w0 = (load_word(name) | fold) & mask[0];
  const std::uint64_t w1 = (load_word(name + 8) | fold) & mask[1];
  const std::uint64_t w2 = (load_word(name + 16) | fold) & mask[2];
  const token_entry& e = token_table[token_slot(w0, size)];
  const std::uint64_t diff = (w0 ^ e.words[0]) | (w1 ^ e.words[1]) | (w2 ^ e.words[2]);
  return diff == 0 ? e.id : header_id::other;
}

/// lookup_header_name for a name at `name` of `size` bytes; reads name[0..24) whatever `size`
/// (stage 2 calls it only when the message has that many bytes left).
inline header_id lookup_header_name_padded(const char* name, std::size_t size) noexcept {
  using namespace header_names;
  if (size == 1) return lookup_compact(name[0]);
  if (size == 0 || size > max_packed) return header_id::other;
  const auto& b = buckets[bucket_of(size, name[0], name[size - 1])];
  if (b.ids[0] == header_id::other) return header_id::other;
  return match_words(b, name, size);
}

}  // namespace sipring::parser::internal
