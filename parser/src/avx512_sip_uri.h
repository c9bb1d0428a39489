#pragma once
// The AVX-512 fast path's host and SIP URI readers over a classified window (avx512_window.h).
// Each accepts only the common, valid form and says false for anything else, errors included,
// so that the general parser gives the verdict: when they accept, the result is exactly the
// general parser's. Shared by the name-addr, Request-URI and Via fast paths.

#include <array>

#include "avx512_window.h"
#include "sipring/parser/host.h"
#include "uri.h"

namespace sipring::parser::avx512 {

/// Whether w[b, e) (the run of host characters the caller found) is a hostname or an IPv4
/// address as fast::scan_plain_host accepts it; sets `kind`.
template <class W>
inline bool check_host(const W& w, unsigned b, unsigned e, host_kind& kind) noexcept {
  using M = typename W::mask;
  if (e == b) return false;
  const M r = range<M>(b, e);
  const M dot = w.eq('.') & r, dash = w.eq('-') & r;
  const M alnum = r & ~(dot | dash);
  // Labels start and end with alphanum: a dot follows one, a dash sits between two (or dashes).
  if (!has(alnum, b) || (dot & ~(alnum << 1)) != 0 || (dash & ~((alnum | dash) << 1)) != 0 ||
      (dash & ~((alnum | dash) >> 1)) != 0)
    return false;
  if (dash == 0 && (w.of(alpha_c) & r) == 0) {
    std::array<std::uint8_t, 4> v4{};
    if (!parse_ipv4_address(w.text(b, e), v4)) return false;
    kind = host_kind::ipv4;
    return true;
  }
  // The toplabel (the last one, before a trailing dot) starts with a letter.
  const unsigned end = has(dot, e - 1) ? e - 1 : e;
  const M dots_before = dot & below<M>(end);
  const unsigned top = dots_before != 0 ? after_last(dots_before) : b;
  if (!has(w.of(alpha_c), top)) return false;
  kind = host_kind::hostname;
  return true;
}

/// ttl: 1-3 digits, at most 255.
inline bool is_ttl_value(std::string_view v) noexcept {
  if (v.empty() || v.size() > 3) return false;
  unsigned n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + unsigned(c - '0');
  }
  return n <= 255;
}

/// Lowercase-ASCII-literal comparison of a name made of parameter characters (the literals are
/// letters only, so OR-ing 0x20 is exact).
inline bool name_is(std::string_view name, std::string_view lower) noexcept {
  if (name.size() != lower.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i)
    if ((name[i] | 0x20) != lower[i]) return false;
  return true;
}

/// The SIP URI after its scheme, w[b, e): [user[:password]@]host[:port][;params], with no
/// escape, no headers and a hostname or IPv4 host. Writes every field of `parts` but the scheme
/// (read_sip_scheme's), straight into the caller's uri: copying a struct just written field by
/// field stalls on store forwarding. On false `parts` holds whatever was written.
template <class W>
inline bool read_sip_uri(const W& w, unsigned b, unsigned e, uri& parts) noexcept {
  using M = typename W::mask;
  const M rest = range<M>(b, e);
  const M at = w.eq('@') & rest;
  unsigned host_begin = b;
  parts.user = {};
  parts.password = {};
  parts.has_password = false;
  if (at != 0) {
    if ((at & (at - 1)) != 0) return false;
    const unsigned a = first(at);
    const M colon = w.eq(':') & range<M>(b, a);
    const unsigned user_end = colon != 0 ? first(colon) : a;
    if (user_end == b || (range<M>(b, user_end) & ~w.of(user_c)) != 0) return false;
    parts.user = w.text(b, user_end);
    if (colon != 0) {
      if ((range<M>(user_end + 1, a) & ~w.of(password_c)) != 0) return false;
      parts.password = w.text(user_end + 1, a);
      parts.has_password = true;
    }
    host_begin = a + 1;
  }
  parts.headers = {};
  parts.opaque = {};
  const unsigned host_end = first(~w.of(host_c) & from<M>(host_begin));
  if (!check_host(w, host_begin, host_end, parts.host_type)) return false;
  parts.host = w.text(host_begin, host_end);
  unsigned i = host_end;
  parts.port = 0;
  parts.has_port = false;
  if (i < e && w[i] == ':') {
    const unsigned digits_end = first(~w.of(digit_c) & from<M>(i + 1));
    const unsigned digits = digits_end - i - 1;
    if (digits == 0 || digits > 5) return false;
    std::uint32_t port = 0;
    for (unsigned k = i + 1; k < digits_end; ++k) port = port * 10 + std::uint32_t(w[k] - '0');
    if (port > 65535) return false;
    parts.port = static_cast<std::uint16_t>(port);
    parts.has_port = true;
    i = digits_end;
  }
  // One by one: a chained assignment reads each field back (a store-forwarding stall).
  parts.params = {};
  parts.transport = {};
  parts.user_param = {};
  parts.method = {};
  parts.ttl = {};
  parts.maddr = {};
  parts.lr = false;
  if (i == e) return true;
  if (i > e || w[i] != ';') return false;

  // ;name[=value] ... : every byte a parameter character or a separator.
  const M pr = range<M>(i, e);
  const M semi = w.eq(';') & pr, equals = w.eq('=') & pr;
  if ((pr & ~(w.of(param_c) | semi | equals)) != 0) return false;
  const M token = w.of(token_c);
  M starts = semi;
  while (starts != 0) {
    const unsigned p = first(starts);
    starts &= starts - 1;
    const unsigned end = starts != 0 ? first(starts) : e;
    const M eqs = equals & range<M>(p + 1, end);
    unsigned name_end = end;
    std::string_view value;
    if (eqs != 0) {
      if ((eqs & (eqs - 1)) != 0) return false;
      name_end = first(eqs);
      if (name_end + 1 == end) return false;
      value = w.text(name_end + 1, end);
    }
    if (name_end == p + 1) return false;
    const std::string_view name = w.text(p + 1, name_end);
    std::string_view* field = nullptr;
    switch (name.size()) {
      case 2:
        if (name_is(name, "lr")) {
          if (parts.lr) return false;
          parts.lr = true;
        }
        continue;
      case 3:
        if (!name_is(name, "ttl")) continue;
        if (!is_ttl_value(value)) return false;
        field = &parts.ttl;
        break;
      case 4:
        if (!name_is(name, "user")) continue;
        field = &parts.user_param;
        break;
      case 5: {
        if (!name_is(name, "maddr")) continue;
        host_kind k{};
        if (parse_host(value, k) != error_code::none) return false;
        field = &parts.maddr;
        break;
      }
      case 6:
        if (!name_is(name, "method")) continue;
        field = &parts.method;
        break;
      case 9:
        if (!name_is(name, "transport")) continue;
        field = &parts.transport;
        break;
      default:
        continue;
    }
    // transport, user and method take a token.
    if (field != &parts.ttl && field != &parts.maddr &&
        (value.empty() || (range<M>(name_end + 1, end) & ~token) != 0))
      return false;
    if (!field->empty()) return false;
    *field = value;
  }
  parts.params = w.text(i, e);
  return true;
}

/// "sip:" or "sips:" (any case) at w[i], which must end before `e`; returns the index after the
/// ':' and sets the scheme, or 0 when it is not there.
template <class W>
inline unsigned read_sip_scheme(const W& w, unsigned i, unsigned e,
                                uri& parts) noexcept {
  if (i + 4 > e || (w[i] | 0x20) != 's' || (w[i + 1] | 0x20) != 'i' || (w[i + 2] | 0x20) != 'p')
    return 0;
  if (w[i + 3] == ':') {
    parts.scheme = uri_scheme::sip;
    parts.scheme_text = w.text(i, i + 3);
    return i + 4;
  }
  if (i + 5 <= e && (w[i + 3] | 0x20) == 's' && w[i + 4] == ':') {
    parts.scheme = uri_scheme::sips;
    parts.scheme_text = w.text(i, i + 4);
    return i + 5;
  }
  return 0;
}

}  // namespace sipring::parser::avx512
