#pragma once
// The AVX-512 typed parsers' view of a header value: up to 64 (or 128) bytes loaded into
// vectors and classified once into masks (classified_vector), so that "where is the next '>'" or "is every byte of
// this range a host character" is a mask operation instead of a byte loop. Bit i of every mask
// describes byte i of the window; bits at and past the window's size are always clear.
//
// Include only from sources compiled with -mavx512bw -mavx512vbmi -mgfni -mbmi2 (the *_avx512.cc
// files, see parser/CMakeLists.txt), and call those only when cpu_supports(simd_level::avx512).

#include <immintrin.h>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "char_class.h"

namespace sipring::parser::avx512 {

// Character classes of the URI and header grammars (RFC 3261 §25.1), one bit each. '%' is in
// none of them: the fast paths leave escapes to the general parsers.
enum : std::uint8_t {
  user_c = 1 << 0,      ///< unreserved / user-unreserved "&=+$,;?/"
  password_c = 1 << 1,  ///< unreserved / "&=+$,"
  param_c = 1 << 2,     ///< unreserved / param-unreserved "[]/:&+$" (URI parameters)
  host_c = 1 << 3,      ///< alphanum / "-" / "."
  token_c = 1 << 4,     ///< token
  value_c = 1 << 5,     ///< token / ":" / "[" / "]" (an unquoted header parameter value)
  digit_c = 1 << 6,
  alpha_c = 1 << 7,
};

consteval std::array<std::uint8_t, 128> make_class_table() {
  std::array<std::uint8_t, 128> t{};
  auto add = [&t](std::string_view set, std::uint8_t bits) {
    for (char c : set) t[static_cast<unsigned char>(c)] |= bits;
  };
  for (int c = 0; c < 128; ++c) {
    const char ch = static_cast<char>(c);
    auto& v = t[static_cast<std::size_t>(c)];
    if (chars::is(ch, chars::unreserved)) v |= user_c | password_c | param_c;
    if (chars::is(ch, chars::alpha | chars::digit)) v |= host_c;
    if (chars::is_token(ch)) v |= token_c | value_c;
    if (chars::is_digit(ch)) v |= digit_c;
    if (chars::is(ch, chars::alpha)) v |= alpha_c;
  }
  add("&=+$,;?/", user_c);
  add("&=+$,", password_c);
  add("[]/:&+$", param_c);
  add("-.", host_c);
  add(":[]", value_c);
  return t;
}

alignas(64) inline constexpr std::array<std::uint8_t, 128> class_table = make_class_table();

// Masks are 64-bit for a 64-byte window and 128-bit for a 128-byte one; these helpers take
// either.
__extension__ using mask128 = unsigned __int128;  // GCC and Clang both have it

/// Bits [0, i) set; i may be 0 to the mask's width.
template <class M>
inline M below(unsigned i) noexcept {
  if constexpr (sizeof(M) == 8) {
    return _bzhi_u64(~std::uint64_t{0}, i);
  } else {
    if (i < 64) return _bzhi_u64(~std::uint64_t{0}, i);
    return (M{_bzhi_u64(~std::uint64_t{0}, i - 64)} << 64) | ~std::uint64_t{0};
  }
}
/// Bits [b, e) set; b <= e.
template <class M>
inline M range(unsigned b, unsigned e) noexcept { return below<M>(e) & ~below<M>(b); }
/// Bits [i, width) set.
template <class M>
inline M from(unsigned i) noexcept { return ~below<M>(i); }
/// Index of the lowest set bit; the width when none.
inline unsigned first(std::uint64_t m) noexcept { return static_cast<unsigned>(std::countr_zero(m)); }
inline unsigned first(mask128 m) noexcept {
  const auto lo = static_cast<std::uint64_t>(m);
  return lo != 0 ? first(lo) : 64u + first(static_cast<std::uint64_t>(m >> 64));
}
/// One past the index of the highest set bit; 0 when none.
inline unsigned after_last(std::uint64_t m) noexcept {
  return 64u - static_cast<unsigned>(std::countl_zero(m));
}
inline unsigned after_last(mask128 m) noexcept {
  const auto hi = static_cast<std::uint64_t>(m >> 64);
  return hi != 0 ? 64u + after_last(hi) : after_last(static_cast<std::uint64_t>(m));
}
template <class M>
inline bool has(M m, unsigned i) noexcept { return i < sizeof(M) * 8 && ((m >> i) & 1) != 0; }

// The delimiters the fast paths look for, one bit each in two more tables.
constexpr std::string_view delimiters_a = "<>@:;=\",";  // bit k: delimiters_a[k]
constexpr std::string_view delimiters_b = "\\/.- \t";    // bit k: delimiters_b[k]; bit 7: controls
constexpr std::uint8_t control_bit = 1 << 7;             ///< in the second delimiter table

consteval std::array<std::uint8_t, 128> make_delimiter_table(std::string_view set, bool controls) {
  std::array<std::uint8_t, 128> t{};
  for (std::size_t k = 0; k < set.size(); ++k)
    t[static_cast<unsigned char>(set[k])] |= static_cast<std::uint8_t>(1u << k);
  if (controls) {
    for (int c = 0; c < 0x20; ++c)
      if (c != '\t') t[static_cast<std::size_t>(c)] |= control_bit;
    t[0x7f] |= control_bit;
  }
  return t;
}

alignas(64) inline constexpr std::array<std::uint8_t, 128> delimiter_table_a =
    make_delimiter_table(delimiters_a, false);
alignas(64) inline constexpr std::array<std::uint8_t, 128> delimiter_table_b =
    make_delimiter_table(delimiters_b, true);

// The `;name[=value]` loops of the name-addr, Via and URI fast paths are written out in each:
// a shared walker taking a lambda measured ~90 ns slower per INVITE (GCC 12, -O3).

/// One 64-byte vector of a window, classified into 24 masks at once: each of three 128-entry
/// tables gives every byte 8 class bits (one VBMI permute), and a GF(2) affine transform plus
/// a byte permute turn the 64 class bytes into 8 masks (bit k of byte i -> bit i of mask k),
/// which is far cheaper than one compare per mask.
struct classified_vector {
  alignas(64) std::uint64_t masks[24];  // 0-7 classes, 8-15 delimiters_a, 16-23 delimiters_b

  void load(const char* p, std::uint64_t valid) noexcept {
    const __m512i bytes = _mm512_maskz_loadu_epi8(valid, p);
    // Bytes reversed within each 8-byte group: the transform below then keeps byte order.
    const __m512i reversed = _mm512_shuffle_epi8(
        bytes, _mm512_set4_epi32(0x08090a0b, 0x0c0d0e0f, 0x00010203, 0x04050607));
    // Bytes 0x80-0xFF would alias ASCII in the 7-bit permutes: they get no class.
    const __mmask64 ascii = ~_mm512_movepi8_mask(reversed);
    // Transform: result byte j of each group = bit j of the group's 8 (reversed) bytes.
    const __m512i unit_bits = _mm512_set1_epi64(static_cast<long long>(0x8040201008040201ULL));
    // Gather byte j of every group into group j: index 8j + g takes byte 8g + j.
    alignas(64) static constexpr std::array<std::uint8_t, 64> gather = [] {
      std::array<std::uint8_t, 64> g{};
      for (unsigned j = 0; j < 8; ++j)
        for (unsigned k = 0; k < 8; ++k) g[8 * j + k] = static_cast<std::uint8_t>(8 * k + j);
      return g;
    }();
    const __m512i gather_index = _mm512_load_si512(gather.data());
    auto transpose = [&](const std::array<std::uint8_t, 128>& table, std::uint64_t* out) {
      const __m512i classes = _mm512_maskz_mov_epi8(
          ascii, _mm512_permutex2var_epi8(_mm512_load_si512(table.data()), reversed,
                                          _mm512_load_si512(table.data() + 64)));
      const __m512i bits = _mm512_gf2p8affine_epi64_epi8(unit_bits, classes, 0);
      _mm512_store_si512(out, _mm512_maskz_permutexvar_epi8(~__mmask64{0}, gather_index, bits));
    };
    transpose(class_table, masks);
    transpose(delimiter_table_a, masks + 8);
    transpose(delimiter_table_b, masks + 16);
    masks[16 + 7] &= valid;  // NUL is a control byte: the zeroed bytes past the end are not
  }
  void clear() noexcept {
    for (auto& m : masks) m = 0;
  }
  /// The mask of class bit `bit` (a single bit of the class enum).
  std::uint64_t of(std::uint8_t bit) const noexcept {
    return masks[std::countr_zero(static_cast<unsigned>(bit))];
  }
  /// The mask of a delimiter; c must be one of delimiters_a / delimiters_b.
  std::uint64_t eq(char c) const noexcept {
    const std::size_t a = delimiters_a.find(c);
    return a != std::string_view::npos ? masks[8 + a] : masks[16 + delimiters_b.find(c)];
  }
  std::uint64_t controls() const noexcept { return masks[16 + 7]; }
};

/// The first min(size, Bytes) bytes of a text (Bytes: 64 or 128), never reading past them.
template <unsigned Bytes>
class window {
 public:
  using mask = std::conditional_t<Bytes == 64, std::uint64_t, mask128>;
  static constexpr unsigned capacity = Bytes;

  explicit window(std::string_view text) noexcept
      : _p(text.data()), _n(text.size() < Bytes ? static_cast<unsigned>(text.size()) : Bytes) {
    _v[0].load(_p, _bzhi_u64(~std::uint64_t{0}, _n));
    if constexpr (Bytes == 128) {
      if (_n > 64) _v[1].load(_p + 64, _bzhi_u64(~std::uint64_t{0}, _n - 64));
      else _v[1].clear();
    }
  }

  const char* data() const noexcept { return _p; }
  unsigned size() const noexcept { return _n; }
  char operator[](unsigned i) const noexcept { return _p[i]; }
  std::string_view text(unsigned b, unsigned e) const noexcept { return {_p + b, e - b}; }
  /// Every byte of the window.
  mask all() const noexcept { return below<mask>(_n); }

  /// Bytes equal to c, one of the delimiters (delimiters_a, delimiters_b).
  mask eq(char c) const noexcept { return join([c](const classified_vector& v) { return v.eq(c); }); }
  /// Bytes in any of the classes `bits`.
  mask of(std::uint8_t bits) const noexcept {
    return join([bits](const classified_vector& v) { return v.of(bits); });
  }
  /// SP and HT.
  mask blank() const noexcept { return eq(' ') | eq('\t'); }
  /// Control bytes other than HT (CR and LF included: folded values take the general path).
  mask controls() const noexcept {
    return join([](const classified_vector& v) { return v.controls(); });
  }

 private:
  // One mask per vector, joined into the window's mask.
  template <class PerVector>
  mask join(PerVector f) const noexcept {
    if constexpr (Bytes == 64) return f(_v[0]);
    else return (mask{f(_v[1])} << 64) | f(_v[0]);
  }

  const char* _p;
  unsigned _n;
  classified_vector _v[Bytes / 64];
};

}  // namespace sipring::parser::avx512
