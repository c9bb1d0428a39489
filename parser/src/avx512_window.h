#pragma once
// The AVX-512 typed parsers' view of a header value: up to 64 bytes loaded into one vector and
// classified once (one VBMI byte permute), so that "where is the next '>'" or "is every byte of
// this range a host character" is a mask operation instead of a byte loop. Bit i of every mask
// describes byte i of the window; bits at and past the window's size are always clear.
//
// Include only from sources compiled with -mavx512bw -mavx512vbmi -mbmi2 (the *_avx512.cc
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

/// One 64-byte vector of a window: its bytes and their classes.
struct classified_vector {
  __m512i bytes;
  __m512i classes;
  std::uint64_t valid;

  void load(const char* p, std::uint64_t valid_bytes) noexcept {
    valid = valid_bytes;
    bytes = _mm512_maskz_loadu_epi8(valid, p);
    const __m512i lo = _mm512_load_si512(class_table.data());
    const __m512i hi = _mm512_load_si512(class_table.data() + 64);
    // Bytes 0x80-0xFF would alias ASCII in the 7-bit permute: they get no class.
    const std::uint64_t ascii = ~_mm512_movepi8_mask(bytes) & valid;
    classes = _mm512_maskz_permutex2var_epi8(ascii, lo, bytes, hi);
  }
  void clear() noexcept {
    valid = 0;
    bytes = classes = _mm512_setzero_si512();
  }
  std::uint64_t eq(char c) const noexcept {
    return _mm512_mask_cmpeq_epi8_mask(valid, bytes, _mm512_set1_epi8(c));
  }
  std::uint64_t of(std::uint8_t bits) const noexcept {
    return _mm512_test_epi8_mask(classes, _mm512_set1_epi8(static_cast<char>(bits)));
  }
  std::uint64_t controls() const noexcept {
    const std::uint64_t low = _mm512_mask_cmplt_epu8_mask(valid, bytes, _mm512_set1_epi8(0x20));
    return (low | eq(0x7f)) & ~eq('\t');
  }
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

  /// Bytes equal to c.
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
