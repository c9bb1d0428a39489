#pragma once
// The typed parsers' results as text, for comparing SIMD implementations: two results are the
// same iff their texts are. Spans are written as offset+length from the parsed text's first
// byte (an empty span as "-"). Shared by the unit tests and the fuzz target (no GoogleTest).

#include <string>
#include <string_view>
#include <vector>

#include "sipring/parser/simd_level.h"

namespace sipring::parser::testing {

/// for_each_name_addr_with(level, value): every element's fields and URI, then the code.
std::string describe_name_addrs(simd_level level, std::string_view value);

/// for_each_via_with(level, value): every via-parm's fields, then the code.
std::string describe_vias(simd_level level, std::string_view value);

/// parse_uri_with(level, text): the code, and the fields on success.
std::string describe_uri(simd_level level, std::string_view text);

/// The first level whose text differs from scalar's for `describe`, as "avx512: <text> vs
/// scalar: <text>"; empty when every runnable level agrees.
std::string first_disagreement(std::string (*describe)(simd_level, std::string_view),
                               std::string_view text);

/// Variants of `sample` for differential tests: every prefix, every byte deleted, and every
/// byte replaced by each of the bytes the typed grammars care about.
std::vector<std::string> mutations(std::string_view sample);

}  // namespace sipring::parser::testing
