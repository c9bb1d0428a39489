#pragma once
// Writing SIP messages into a fixed buffer with memcpy and integer formatting: no allocation.
// The caller sizes the buffer; writes past the end are dropped and overflowed() says so.

#include <cstdint>
#include <cstring>
#include <string_view>

namespace sipring::load {

class sip_writer {
 public:
  sip_writer(char* begin, std::size_t capacity) noexcept : _begin(begin), _p(begin), _end(begin + capacity) {}

  sip_writer& put(std::string_view s) noexcept {
    if (static_cast<std::size_t>(_end - _p) < s.size()) {
      _overflow = true;
      return *this;
    }
    std::memcpy(_p, s.data(), s.size());
    _p += s.size();
    return *this;
  }
  sip_writer& put_uint(std::uint64_t v) noexcept {
    char tmp[20];
    int n = 0;
    do {
      tmp[n++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v);
    if (_end - _p < n) {
      _overflow = true;
      return *this;
    }
    while (n) *_p++ = tmp[--n];
    return *this;
  }
  /// Exactly `digits` lowercase hex digits of v.
  sip_writer& put_hex(std::uint64_t v, int digits) noexcept {
    if (_end - _p < digits) {
      _overflow = true;
      return *this;
    }
    for (int i = digits - 1; i >= 0; --i) {
      _p[i] = "0123456789abcdef"[v & 15];
      v >>= 4;
    }
    _p += digits;
    return *this;
  }
  /// Reserves `digits` characters (spaces) and returns where they are, to patch later.
  char* reserve(int digits) noexcept {
    if (_end - _p < digits) {
      _overflow = true;
      return nullptr;
    }
    char* at = _p;
    std::memset(_p, ' ', digits);
    _p += digits;
    return at;
  }
  std::size_t size() const noexcept { return static_cast<std::size_t>(_p - _begin); }
  char* position() const noexcept { return _p; }
  bool overflowed() const noexcept { return _overflow; }

 private:
  char* _begin;
  char* _p;
  char* _end;
  bool _overflow = false;
};

/// Writes v right-aligned in decimal into exactly `width` characters at `at` (spaces before).
inline void patch_uint(char* at, int width, std::uint64_t v) noexcept {
  for (int i = width - 1; i >= 0; --i) {
    at[i] = (v || i == width - 1) ? static_cast<char>('0' + v % 10) : ' ';
    v /= 10;
  }
}

}  // namespace sipring::load
