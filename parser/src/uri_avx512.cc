// AVX-512 fast path of parse_uri for a "sip:" / "sips:" URI of up to 64 bytes that
// avx512::read_sip_uri takes (no escape, no headers, a hostname or IPv4 host).

#include "avx512_sip_uri.h"
#include "avx512_window.h"
#include "typed_avx512.h"

namespace sipring::parser::avx512 {

bool sip_uri(std::string_view text, uri& out) noexcept {
  if (text.size() > 64) return false;
  const window<64> w(text);
  const unsigned begin = read_sip_scheme(w, 0, w.size(), out);
  return begin != 0 && read_sip_uri(w, begin, w.size(), out);
}

}  // namespace sipring::parser::avx512
