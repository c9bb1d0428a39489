// parse() and parse_with(): picks the implementation's finder and runs stage 2.

#include "sipring/parser/parse.h"

#include <limits>

#include "mask_finder.h"
#include "message_indexer.h"
#include "word_finder.h"

namespace sipring::parser {

namespace {

template <class Finder>
parse_result run(std::string_view bytes, std::span<header_field> storage,
                 const parse_options& options, Finder&& finder) noexcept {
  parse_result r;
  internal::message_indexer<std::remove_reference_t<Finder>>(bytes, storage, options, finder).run(r);
  return r;
}

simd_level choose_once() noexcept {
  const simd_choice choice = choose_simd_level_from_environment();
  // A refused override is reported by the server at start; parsing still uses the best level.
  return choice.error.empty() ? choice.level : best_cpu_simd_level();
}

}  // namespace

simd_level active_simd_level() noexcept {
  static const simd_level level = choose_once();
  return level;
}

parse_result parse_with(simd_level level, std::string_view bytes, std::span<header_field> storage,
                        const parse_options& options) noexcept {
  // Offsets are 32-bit; anything this long is over every limit anyway.
  if (bytes.size() > std::numeric_limits<std::uint32_t>::max() / 2)
    bytes = bytes.substr(0, std::numeric_limits<std::uint32_t>::max() / 2);
  switch (level) {
    case simd_level::avx512:
      return run(bytes, storage, options, internal::mask_finder(bytes, internal::scan_lines_avx512));
    case simd_level::avx2:
      return run(bytes, storage, options, internal::mask_finder(bytes, internal::scan_lines_avx2));
    case simd_level::scalar: break;
  }
  return run(bytes, storage, options, internal::word_finder(bytes));
}

parse_result parse(std::string_view bytes, std::span<header_field> storage,
                   const parse_options& options) noexcept {
  return parse_with(active_simd_level(), bytes, storage, options);
}

}  // namespace sipring::parser
