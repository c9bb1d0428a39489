#pragma once
// A shard's timers: a hashed timer wheel (Varghese & Lauck, scheme 6). Insert and cancel are
// O(1) (an intrusive list per slot, the entry owned by whoever waits: usually a coroutine
// frame); advancing costs one step per elapsed tick plus the entries due. An entry due after
// more than one turn of the wheel stays in its slot until its own tick comes. Single-threaded:
// one wheel per shard, driven by its reactor.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace sipring::runtime {

class timer_wheel;

/// One timer. Not copyable or movable while armed (the wheel links to it).
class timer_entry {
 public:
  using callback = void (*)(timer_entry&) noexcept;

  explicit timer_entry(callback fire) noexcept : _fire(fire) {}
  timer_entry(const timer_entry&) = delete;
  timer_entry& operator=(const timer_entry&) = delete;
  ~timer_entry();

  bool armed() const noexcept { return _wheel != nullptr; }

 private:
  friend class timer_wheel;
  timer_entry* _prev = nullptr;
  timer_entry* _next = nullptr;
  timer_wheel* _wheel = nullptr;
  std::uint64_t _tick = 0;  ///< the tick it is due at
  callback _fire;
};

class timer_wheel {
 public:
  using clock = std::chrono::steady_clock;

  /// `tick`: the resolution (a timer never fires early, and at most one tick late after the
  /// reactor wakes); `slots`: a power of two, at least 64.
  explicit timer_wheel(clock::time_point start, std::chrono::nanoseconds tick = std::chrono::milliseconds(1),
                       std::size_t slots = 32768);
  timer_wheel(const timer_wheel&) = delete;
  timer_wheel& operator=(const timer_wheel&) = delete;
  ~timer_wheel();

  /// Arms `t` to fire at `deadline` (re-arms it if armed). A deadline already passed fires at
  /// the next advance() that reaches a new tick.
  void insert(timer_entry& t, clock::time_point deadline) noexcept;
  /// Disarms `t`; nothing when it is not armed.
  void cancel(timer_entry& t) noexcept;

  /// Fires, in deadline order (ties in insertion order), every entry due at or before `now`;
  /// returns how many. A callback may insert and cancel entries, itself included.
  std::size_t advance(clock::time_point now) noexcept;

  /// When the reactor must wake next: the start of the earliest tick that has an entry in its
  /// slot (possibly one due a later turn: waking early is harmless), or nullopt when empty.
  std::optional<clock::time_point> next_wakeup() const noexcept;

  std::size_t size() const noexcept { return _size; }
  std::chrono::nanoseconds tick() const noexcept { return _tick; }

 private:
  struct slot {
    timer_entry* head = nullptr;
    timer_entry* tail = nullptr;
  };

  std::uint64_t tick_of(clock::time_point t) const noexcept;
  /// Ticks from the current one to the first with an occupied slot (0: this one). Not empty.
  std::uint64_t ticks_to_occupied() const noexcept;
  void link(timer_entry& t) noexcept;
  void unlink(timer_entry& t) noexcept;

  clock::time_point _start;
  std::chrono::nanoseconds _tick;
  std::uint64_t _now_tick = 0;  ///< every tick before this one has been processed
  std::size_t _mask;
  std::size_t _size = 0;
  std::vector<slot> _slots;
  std::vector<std::uint64_t> _occupied;  ///< one bit per slot that holds an entry
};

}  // namespace sipring::runtime
