#pragma once
// Where a header's whole line lies in the message: from its name to the CRLF that ends it
// (folded continuation lines included). Shared by the message builders.

#include <cstdint>
#include <string_view>

#include "sipring/parser/message_view.h"

namespace sipring::parser::internal {

/// Offset of the header's first byte (its name).
constexpr std::uint32_t line_begin(const header_field& h) noexcept { return h.name.offset; }

/// Offset just past the CRLF that ends the header's line: the first CRLF after its value not
/// followed by SP/HT (parse() checked every line ends in CRLF, and the empty line follows).
inline std::uint32_t line_end(const message_view& m, const header_field& h) noexcept {
  const std::string_view bytes = m.bytes();
  std::size_t i = h.value.offset + h.value.length;
  for (;;) {
    const std::size_t lf = bytes.find('\n', i);
    if (lf == std::string_view::npos) return static_cast<std::uint32_t>(bytes.size());
    if (lf + 1 >= bytes.size() || (bytes[lf + 1] != ' ' && bytes[lf + 1] != '\t'))
      return static_cast<std::uint32_t>(lf + 1);
    i = lf + 1;
  }
}

}  // namespace sipring::parser::internal
