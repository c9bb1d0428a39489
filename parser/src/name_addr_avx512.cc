// AVX-512 fast path of one name-addr element: `[display-name] <sip:...> *(;param)` with the
// display name a token list or a quoted string without escapes, a SIP URI as
// avx512::read_sip_uri takes it, and unquoted parameters without LWS. Same results as
// parse_name_addr_uri when it accepts; false otherwise.

#include "avx512_sip_uri.h"
#include "avx512_window.h"
#include "sipring/parser/name_addr.h"
#include "typed_avx512.h"

namespace sipring::parser::avx512 {

namespace {

// The header params after the address, w[b, e) (starting at ';', no LWS): `*(;token[=value])`
// with value 1*(token / ":" / "[" / "]") or a quoted string without escapes; tag a token,
// expires delta-seconds, q a qvalue, each at most once and unquoted.
template <class W>
bool read_header_params(const W& w, unsigned b, unsigned e, name_addr& na) noexcept {
  using M = typename W::mask;
  na.params = w.text(b, e);  // empty at the end of the element, as the general parser gives it
  na.tag = {};
  na.expires = {};
  na.q = {};
  if (b == e) return true;
  const M r = range<M>(b, e);
  // Quoted values (`+sip.instance="<urn:...>"`, RFC 5626): whole values between '=' and the
  // next ';' or the end, without escapes; their bytes are exempt from the checks below.
  M quoted = 0;
  for (M q = w.eq('"') & r; q != 0;) {
    const unsigned open = first(q);
    q &= q - 1;
    if (q == 0) return false;  // unterminated: the general parser says so
    const unsigned close = first(q);
    q &= q - 1;
    if (!has(w.eq('='), open - 1) || (close + 1 != e && !has(w.eq(';'), close + 1)) ||
        (w.eq('\\') & range<M>(open, close)) != 0)
      return false;
    quoted |= range<M>(open, close + 1);
  }
  const M semi = w.eq(';') & r & ~quoted, equals = w.eq('=') & r & ~quoted;
  if (!has(semi, b) || (r & ~quoted & ~(w.of(value_c) | semi | equals)) != 0) return false;
  const M token = w.of(token_c);
  M starts = semi;
  while (starts != 0) {
    const unsigned p = first(starts);
    starts &= starts - 1;
    const unsigned end = starts != 0 ? first(starts) : e;
    const M eqs = equals & range<M>(p + 1, end);
    const unsigned name_end = eqs != 0 ? first(eqs) : end;
    if (name_end == p + 1 || (range<M>(p + 1, name_end) & ~token) != 0) return false;
    if (eqs != 0 && ((eqs & (eqs - 1)) != 0 || name_end + 1 == end)) return false;
    const std::string_view name = w.text(p + 1, name_end);
    std::string_view* field = nullptr;
    if (name.size() == 1 && (name[0] | 0x20) == 'q') field = &na.q;
    else if (name.size() == 3 && name_is(name, "tag")) field = &na.tag;
    else if (name.size() == 7 && name_is(name, "expires")) field = &na.expires;
    if (field == nullptr) continue;
    // tag, expires and q take a plain value, once.
    if (eqs == 0 || !field->empty() || has(quoted, name_end + 1)) return false;
    *field = w.text(name_end + 1, end);
    if (field == &na.tag && (range<M>(name_end + 1, end) & ~token) != 0) return false;
  }
  if (!na.expires.empty()) {
    std::uint32_t seconds;
    if (!parse_delta_seconds(na.expires, seconds)) return false;
  }
  if (!na.q.empty()) {
    std::uint16_t thousandths;
    if (!parse_qvalue(na.q, thousandths)) return false;
  }
  na.params = w.text(b, e);
  return true;
}

template <class W>
bool element(std::string_view value, std::size_t& pos, bool in_list, name_addr& na, uri& u) noexcept {
  using M = typename W::mask;
  const std::string_view text = value.substr(pos);
  const W w(text);
  const unsigned n = w.size();
  const M blank = w.blank();
  if (w.controls() != 0) return false;  // folding, or a control byte: the general path
  const unsigned begin = first(~blank & w.all());
  if (begin >= n) return false;

  const M lt = w.eq('<');
  unsigned lt_pos = 0;
  std::string_view display;
  bool quoted = false;
  if (w[begin] == '"') {
    const M quotes = w.eq('"') & from<M>(begin + 1);
    if (quotes == 0) return false;
    const unsigned close = first(quotes);
    if ((w.eq('\\') & range<M>(begin + 1, close)) != 0) return false;
    display = w.text(begin + 1, close);
    quoted = true;
    lt_pos = first(lt & from<M>(close + 1));
    if (lt_pos >= n || (range<M>(close + 1, lt_pos) & ~blank) != 0) return false;
  } else {
    lt_pos = first(lt & from<M>(begin));
    if (lt_pos >= n) return false;
    if (lt_pos != begin) {
      // token *(LWS token) [LWS]
      const M token = w.of(token_c);
      const M r = range<M>(begin, lt_pos);
      if ((r & ~(token | blank)) != 0) return false;
      display = w.text(begin, after_last(token & r));
    }
  }

  const unsigned gt_pos = first(w.eq('>') & from<M>(lt_pos + 1));
  if (gt_pos >= n) return false;
  const unsigned uri_begin = read_sip_scheme(w, lt_pos + 1, gt_pos, u);
  if (uri_begin == 0 || !read_sip_uri(w, uri_begin, gt_pos, u)) return false;

  // The element ends at the next ',' (none may come before it after the '>': no parameter
  // character is one) or at the end of the value, which must be in the window.
  const unsigned element_end = in_list ? first(w.eq(',') & from<M>(gt_pos + 1)) : W::capacity;
  if (element_end >= n && text.size() > n) return false;
  const M tail = ~blank & range<M>(gt_pos + 1, element_end < n ? element_end : n);
  const unsigned params_begin = tail != 0 ? first(tail) : gt_pos + 1;
  const unsigned params_end = tail != 0 ? after_last(tail) : gt_pos + 1;
  if (!read_header_params(w, params_begin, params_end, na)) return false;

  na.display_name = display;
  na.display_quoted = quoted;
  na.uri = w.text(lt_pos + 1, gt_pos);
  na.angle_brackets = true;
  pos = element_end < n ? pos + element_end + 1 : std::string_view::npos;
  return true;
}

}  // namespace

bool name_addr_element(std::string_view value, std::size_t& pos, bool in_list, name_addr& na,
                       uri& u) noexcept {
  // Most elements fit 64 bytes; a longer one gets a 128-byte window.
  if (value.size() - pos <= 64) return element<window<64>>(value, pos, in_list, na, u);
  return element<window<128>>(value, pos, in_list, na, u);
}

}  // namespace sipring::parser::avx512
