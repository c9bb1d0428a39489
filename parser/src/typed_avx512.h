#pragma once
// Internal: the AVX-512 fast paths of the typed header parsers. Each reads the common, valid
// form of its element from one 64- or 128-byte window with mask operations and returns false
// for anything else (errors included), so that the general parser gives the verdict. They write
// their outputs as they go (copying a struct just written field by field stalls on store
// forwarding): after false the outputs hold partial results, which the general parser
// overwrites or the caller ignores. Call only when cpu_supports(simd_level::avx512).

#include <cstddef>
#include <string_view>

#include "sipring/parser/name_addr.h"
#include "sipring/parser/uri.h"
#include "sipring/parser/via.h"

namespace sipring::parser::avx512 {

/// One name-addr element at value[pos] (LWS before it allowed), written
/// `[display-name] <sip:...> *(;param)`: on success stores what parse_name_addr_uri gives for
/// the element and moves `pos` past the ',' that ends it (`in_list`: list elements end at a ','
/// outside quotes and brackets), or to npos after the last one.
bool name_addr_element(std::string_view value, std::size_t& pos, bool in_list, name_addr& na,
                       uri& u) noexcept;

/// A whole Request-URI (or any URI text) of the form parse_uri's one-pass scanner takes.
bool sip_uri(std::string_view text, uri& out) noexcept;

/// One via-parm at value[pos], as detail::parse_plain_via.
bool via_element(std::string_view value, std::size_t& pos, via& out) noexcept;

}  // namespace sipring::parser::avx512
