#pragma once
// Header-name lookup for stage 2, which knows the message buffer holds at least 24 readable
// bytes from the name's first byte and can load whole words.

#include <cstddef>

#include "sipring/parser/header_id.h"

namespace sipring::parser::internal {

/// lookup_header_name for a name at `name` of `size` bytes; reads name[0..24) whatever `size`.
header_id lookup_header_name_padded(const char* name, std::size_t size) noexcept;

}  // namespace sipring::parser::internal
