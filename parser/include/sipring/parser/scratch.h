#pragma once
// Storage for a result that a typed parser fills field by field (via, name_addr, uri): it
// skips the zeroing their default member initializers cost on every call (GCC emits a
// `rep stos` for them: tens of cycles on the parser's hot path). The structs are aggregates,
// hence implicit-lifetime types: C++20 creates one in the byte array (P0593).

#include <new>
#include <type_traits>

namespace sipring::parser::detail {

template <class T>
class scratch {
 public:
  static_assert(std::is_aggregate_v<T> && std::is_trivially_destructible_v<T>);
  /// The object; read a field only after a parser has written it.
  T& get() noexcept { return *std::launder(reinterpret_cast<T*>(_bytes)); }

 private:
  alignas(T) unsigned char _bytes[sizeof(T)];
};

}  // namespace sipring::parser::detail
