#include "sipring/sip/aor.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "sipring/parser/host.h"

namespace sipring::sip {

namespace {

// The longest canonical IP literal: "[" + INET6_ADDRSTRLEN - 1 + "]".
constexpr std::size_t max_ip_text = INET6_ADDRSTRLEN + 1;

constexpr int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Escapes that stay escaped in a key: the reserved set of RFC 3261 §19.1.4 and '%' itself (so a
// literal "%3B" written as "%253B" never meets an escaped ';').
constexpr bool keeps_escape(unsigned char c) noexcept {
  return std::string_view(";/?:@&=+$,%").find(static_cast<char>(c)) != std::string_view::npos;
}

constexpr char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// Writes the canonical text of an IP literal host ("[...]" kept for IPv6); 0 when it does not
// parse as one (the URI parser already checked it, so that does not happen for a parsed URI).
std::size_t write_ip(const parser::uri& u, char* out) noexcept {
  char text[INET6_ADDRSTRLEN] = {};
  if (u.host_type == parser::host_kind::ipv4) {
    std::array<std::uint8_t, 4> bytes{};
    if (!parser::parse_ipv4_address(u.host, bytes)) return 0;
    if (inet_ntop(AF_INET, bytes.data(), text, sizeof text) == nullptr) return 0;
    const std::size_t n = std::strlen(text);
    std::memcpy(out, text, n);
    return n;
  }
  std::string_view inner = u.host;
  if (inner.size() >= 2 && inner.front() == '[' && inner.back() == ']') inner = inner.substr(1, inner.size() - 2);
  std::array<std::uint8_t, 16> bytes{};
  if (!parser::parse_ipv6_address(inner, bytes)) return 0;
  if (inet_ntop(AF_INET6, bytes.data(), text, sizeof text) == nullptr) return 0;
  const std::size_t n = std::strlen(text);
  out[0] = '[';
  std::memcpy(out + 1, text, n);
  out[n + 1] = ']';
  return n + 2;
}

}  // namespace

std::size_t aor_key_max_size(const parser::uri& u) noexcept {
  // Unescaping never lengthens the user; the host is copied or rewritten as an IP literal.
  return u.user.size() + 1 + std::max(u.host.size(), max_ip_text);
}

std::size_t make_aor_key(const parser::uri& u, std::span<char> out) noexcept {
  if (u.scheme != parser::uri_scheme::sip && u.scheme != parser::uri_scheme::sips) return 0;
  if (u.host.empty()) return 0;
  std::size_t n = 0;
  bool fits = true;
  auto put = [&](char c) noexcept {
    if (n < out.size()) out[n++] = c;
    else fits = false;
  };
  const std::string_view user = u.user;
  for (std::size_t i = 0; i < user.size(); ++i) {
    const char c = user[i];
    if (c == '%' && i + 2 < user.size() && hex_value(user[i + 1]) >= 0 && hex_value(user[i + 2]) >= 0) {
      const auto v = static_cast<unsigned char>(hex_value(user[i + 1]) * 16 + hex_value(user[i + 2]));
      if (keeps_escape(v)) {
        static constexpr char digits[] = "0123456789ABCDEF";
        put('%');
        put(digits[v >> 4]);
        put(digits[v & 15]);
      } else {
        put(static_cast<char>(v));
      }
      i += 2;
    } else {
      put(c);
    }
  }
  if (!user.empty()) put('@');
  if (u.host_type == parser::host_kind::hostname) {
    for (const char c : u.host) put(lower(c));
  } else {
    char ip[max_ip_text];
    const std::size_t len = write_ip(u, ip);
    if (len == 0) return 0;
    for (std::size_t i = 0; i < len; ++i) put(ip[i]);
  }
  return fits ? n : 0;
}

bool make_aor_key(const parser::uri& u, std::string& out) {
  out.resize(aor_key_max_size(u));
  const std::size_t n = make_aor_key(u, std::span<char>(out.data(), out.size()));
  out.resize(n);
  return n != 0;
}

bool make_aor_key(std::string_view uri_text, std::string& out) {
  parser::uri u;
  if (parser::parse_uri(uri_text, u) != parser::error_code::none) {
    out.clear();
    return false;
  }
  return make_aor_key(u, out);
}

std::uint64_t aor_hash(std::string_view aor_key) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a offset basis
  for (const char c : aor_key) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;  // FNV prime
  }
  // MurmurHash3 fmix64.
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

unsigned owner_shard(std::string_view aor_key, unsigned shard_count) noexcept {
  if (shard_count <= 1) return 0;
  return static_cast<unsigned>(aor_hash(aor_key) % shard_count);
}

}  // namespace sipring::sip
