#pragma once
// What an io_uring submission's user_data points at: the object that wants its completion.
// A plain function pointer rather than a virtual call: the reactor dispatches thousands per turn.

namespace sipring::runtime {

struct io_completion {
  /// Called on the reactor's thread with the completion's res and flags.
  void (*on_cqe)(io_completion& self, int res, unsigned flags) noexcept;
};

}  // namespace sipring::runtime
