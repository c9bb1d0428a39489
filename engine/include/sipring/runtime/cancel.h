#pragma once
// Cancellation of one pending operation at a time: the caller hands a cancel_token to an
// awaitable (an io_uring operation, a sleep); cancel() then makes that operation complete
// with ECANCELED (an io_uring operation through IORING_OP_ASYNC_CANCEL, a timer at once).
// A token cancelled before the operation starts cancels it as soon as it is attached.
// Single-threaded: a token belongs to one shard.

namespace sipring::runtime {

class cancel_token {
 public:
  /// What a pending operation registers: how to cancel it.
  struct target {
    void (*cancel)(target&) noexcept;
  };

  cancel_token() noexcept = default;
  cancel_token(const cancel_token&) = delete;
  cancel_token& operator=(const cancel_token&) = delete;

  /// Cancels the operation now attached, and any attached later.
  void cancel() noexcept {
    _cancelled = true;
    if (target* t = _target) {
      _target = nullptr;
      t->cancel(*t);
    }
  }
  bool cancelled() const noexcept { return _cancelled; }

  /// For awaitables: registers the pending operation (cancelled at once if the token is).
  void attach(target& t) noexcept {
    if (_cancelled) {
      t.cancel(t);
      return;
    }
    _target = &t;
  }
  /// For awaitables: the operation completed.
  void detach(target& t) noexcept {
    if (_target == &t) _target = nullptr;
  }

 private:
  target* _target = nullptr;
  bool _cancelled = false;
};

}  // namespace sipring::runtime
