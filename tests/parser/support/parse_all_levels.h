#pragma once
// Parses with every implementation the CPU runs and checks they agree.

#include <string>
#include <string_view>
#include <vector>

#include "sipring/parser/parse.h"

namespace sipring::parser::testing {

/// Everything a parse result says, as text: two results are the same iff their texts are.
std::string describe(const parse_result& r);

/// The levels this CPU can run (scalar always).
std::vector<simd_level> runnable_levels();

/// Parses `bytes` with every runnable level; adds a test failure when any two disagree and
/// returns the scalar result (its view points into `bytes` and `storage`).
parse_result parse_agreeing(std::string_view bytes, std::vector<header_field>& storage,
                            const parse_options& options = {});

}  // namespace sipring::parser::testing
