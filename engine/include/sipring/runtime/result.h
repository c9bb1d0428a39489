#pragma once
// Errors as values on the hot path: result<T> holds a T or an errno-style error (what io_uring
// completions report). Exceptions stay for start-up and impossible states.

#include <cerrno>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>

namespace sipring::runtime {

/// An errno value (positive): ECANCELED, ETIMEDOUT, ECONNRESET ...
class error {
 public:
  constexpr explicit error(int errno_value) noexcept : _errno(errno_value) {}
  constexpr int value() const noexcept { return _errno; }
  std::error_code code() const noexcept { return {_errno, std::generic_category()}; }
  std::string message() const { return code().message(); }
  friend constexpr bool operator==(error, error) = default;

 private:
  int _errno;
};

/// A T, or the error that prevented it.
template <class T>
class [[nodiscard]] result {
 public:
  result(T value) noexcept(std::is_nothrow_move_constructible_v<T>)  // NOLINT: implicit on purpose
      : _v(std::in_place_index<0>, std::move(value)) {}
  result(error e) noexcept : _v(std::in_place_index<1>, e) {}  // NOLINT

  bool ok() const noexcept { return _v.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }
  /// The value; only when ok().
  T& value() & noexcept { return *std::get_if<0>(&_v); }
  const T& value() const& noexcept { return *std::get_if<0>(&_v); }
  T&& value() && noexcept { return std::move(*std::get_if<0>(&_v)); }
  /// The error; only when !ok().
  error err() const noexcept { return *std::get_if<1>(&_v); }

 private:
  std::variant<T, error> _v;
};

/// Success or an error.
template <>
class [[nodiscard]] result<void> {
 public:
  result() noexcept = default;
  result(error e) noexcept : _errno(e.value()) {}  // NOLINT

  bool ok() const noexcept { return _errno == 0; }
  explicit operator bool() const noexcept { return ok(); }
  error err() const noexcept { return error(_errno); }

 private:
  int _errno = 0;
};

/// A completion's `res` (>= 0, or -errno) as a result.
inline result<int> from_completion(int res) noexcept {
  if (res < 0) return error(-res);
  return res;
}

}  // namespace sipring::runtime
