// AVX-512 fast path of one via-parm: `token/token/token SP+ host[:port] *(;name[=value])` with a
// hostname or IPv4 host, no quoted value and no LWS inside, then blanks and a ',' or the end of
// the value. Same results as detail::parse_plain_via when it accepts; false otherwise.

#include "avx512_sip_uri.h"
#include "avx512_window.h"
#include "typed_avx512.h"
#include "via_params.h"

namespace sipring::parser::avx512 {

namespace {

template <class W>
bool element(std::string_view value, std::size_t& pos, via& out) noexcept {
  using M = typename W::mask;
  const std::string_view text = value.substr(pos);
  const W w(text);
  const unsigned n = w.size();
  const M blank = w.blank();
  if (w.controls() != 0) return false;  // folding, or a control byte: the general path
  const unsigned begin = first(~blank & w.all());
  const M token = w.of(token_c);

  // sent-protocol: three tokens joined by '/', then SP.
  const M slashes = w.eq('/') & from<M>(begin);
  const unsigned slash1 = first(slashes);
  const unsigned slash2 = first(slashes & from<M>(slash1 + 1));
  if (slash2 >= n || slash1 == begin || slash2 == slash1 + 1 ||
      (range<M>(begin, slash1) & ~token) != 0 || (range<M>(slash1 + 1, slash2) & ~token) != 0)
    return false;
  const unsigned transport_end = first(~token & from<M>(slash2 + 1));
  if (transport_end == slash2 + 1 || transport_end >= n || w[transport_end] != ' ') return false;
  const unsigned host_begin = first(~w.eq(' ') & from<M>(transport_end));

  host_kind kind{};
  const unsigned host_end = first(~w.of(host_c) & from<M>(host_begin));
  if (host_begin >= n || !check_host(w, host_begin, host_end, kind)) return false;
  unsigned i = host_end;
  std::uint32_t port = 0;
  bool has_port = false;
  if (i < n && w[i] == ':') {
    const unsigned digits_end = first(~w.of(digit_c) & from<M>(i + 1));
    if (digits_end == i + 1 || digits_end > i + 6) return false;
    for (unsigned k = i + 1; k < digits_end; ++k) port = port * 10 + std::uint32_t(w[k] - '0');
    if (port > 65535) return false;
    has_port = true;
    i = digits_end;
  }

  // Parameters run to the first byte that is neither a value character nor ';' or '='.
  const unsigned params_begin = i;
  const M semi = w.eq(';'), equals = w.eq('=');
  const unsigned params_end = first(~(w.of(value_c) | semi | equals) & from<M>(i));
  if (params_end > i && w[i] != ';') return false;
  detail::clear_via_params(out);
  M starts = semi & range<M>(i, params_end);
  while (starts != 0) {
    const unsigned p = first(starts);
    starts &= starts - 1;
    const unsigned end = starts != 0 ? first(starts) : params_end;
    const M eqs = equals & range<M>(p + 1, end);
    const unsigned name_end = eqs != 0 ? first(eqs) : end;
    if (name_end == p + 1 || (range<M>(p + 1, name_end) & ~token) != 0) return false;
    header_param param;
    param.name = w.text(p + 1, name_end);
    bool value_is_token = true;
    if (eqs != 0) {
      if ((eqs & (eqs - 1)) != 0 || name_end + 1 == end) return false;
      param.value = w.text(name_end + 1, end);
      param.has_value = true;
      value_is_token = (range<M>(name_end + 1, end) & ~token) == 0;
    }
    if (detail::take_via_param(param, out, value_is_token ? detail::value_tokens::yes
                                                        : detail::value_tokens::no) != error_code::none)
      return false;
  }

  // Then blanks, and a ',' or the end of the value (which must lie in the window).
  const unsigned next = first(~blank & from<M>(params_end));
  if (next < n && w[next] != ',') return false;
  if (next >= n && text.size() > n) return false;

  out.protocol_name = w.text(begin, slash1);
  out.protocol_version = w.text(slash1 + 1, slash2);
  out.transport = w.text(slash2 + 1, transport_end);
  out.sent_by.host = w.text(host_begin, host_end);
  out.sent_by.kind = kind;
  out.sent_by.port = static_cast<std::uint16_t>(port);
  out.sent_by.has_port = has_port;
  out.params = w.text(params_begin, params_end);
  pos = next < n ? pos + next + 1 : std::string_view::npos;
  return true;
}

}  // namespace

bool via_element(std::string_view value, std::size_t& pos, via& out) noexcept {
  // A via-parm is often longer than 64 bytes (branch, received, rport).
  if (value.size() - pos <= 64) return element<window<64>>(value, pos, out);
  return element<window<128>>(value, pos, out);
}

}  // namespace sipring::parser::avx512
