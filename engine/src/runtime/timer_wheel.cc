#include "sipring/runtime/timer_wheel.h"

#include <algorithm>
#include <bit>
#include <stdexcept>

namespace sipring::runtime {

timer_entry::~timer_entry() {
  if (_wheel != nullptr) _wheel->cancel(*this);
}

timer_wheel::timer_wheel(clock::time_point start, std::chrono::nanoseconds tick, std::size_t slots)
    : _start(start), _tick(tick), _mask(slots - 1), _slots(slots), _occupied((slots + 63) / 64) {
  if (slots < 64 || !std::has_single_bit(slots))
    throw std::invalid_argument("timer_wheel: slots must be a power of two, at least 64");
  if (tick.count() <= 0) throw std::invalid_argument("timer_wheel: tick must be positive");
}

timer_wheel::~timer_wheel() {
  // Entries outlive the wheel only by mistake; leave them disarmed rather than dangling.
  for (slot& s : _slots)
    for (timer_entry* t = s.head; t != nullptr; t = t->_next) t->_wheel = nullptr;
}

std::uint64_t timer_wheel::tick_of(clock::time_point t) const noexcept {
  if (t <= _start) return 0;
  // Rounded up: a timer never fires before its deadline.
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t - _start).count();
  return static_cast<std::uint64_t>((ns + _tick.count() - 1) / _tick.count());
}

void timer_wheel::link(timer_entry& t) noexcept {
  const std::size_t i = t._tick & _mask;
  slot& s = _slots[i];
  t._prev = s.tail;
  t._next = nullptr;
  if (s.tail != nullptr) s.tail->_next = &t;
  else s.head = &t;
  s.tail = &t;
  _occupied[i / 64] |= std::uint64_t{1} << (i % 64);
  t._wheel = this;
  ++_size;
}

void timer_wheel::unlink(timer_entry& t) noexcept {
  const std::size_t i = t._tick & _mask;
  slot& s = _slots[i];
  if (t._prev != nullptr) t._prev->_next = t._next;
  else s.head = t._next;
  if (t._next != nullptr) t._next->_prev = t._prev;
  else s.tail = t._prev;
  if (s.head == nullptr) _occupied[i / 64] &= ~(std::uint64_t{1} << (i % 64));
  t._prev = t._next = nullptr;
  t._wheel = nullptr;
  --_size;
}

void timer_wheel::insert(timer_entry& t, clock::time_point deadline) noexcept {
  if (t._wheel != nullptr) t._wheel->cancel(t);
  const std::uint64_t tick = tick_of(deadline);
  t._tick = tick < _now_tick ? _now_tick : tick;
  link(t);
}

void timer_wheel::cancel(timer_entry& t) noexcept {
  if (t._wheel == this) unlink(t);
}

std::size_t timer_wheel::advance(clock::time_point now) noexcept {
  // The last tick that has fully begun (deadlines round up, `now` rounds down).
  const std::uint64_t target =
      now <= _start ? 0
                    : static_cast<std::uint64_t>(
                          std::chrono::duration_cast<std::chrono::nanoseconds>(now - _start).count() /
                          _tick.count());
  std::size_t fired = 0;
  // Ticks _now_tick .. target inclusive are due. Past one whole turn every slot is visited once.
  while (_now_tick <= target && _size != 0) {
    // Empty slots are skipped a word of the occupancy bitmap at a time.
    const std::uint64_t gap = ticks_to_occupied();
    if (gap != 0) {
      // Never past target + 1: a later insert for a tick before it must not be delayed.
      _now_tick = std::min(_now_tick + gap, target + 1);
      continue;
    }
    const std::uint64_t tick = _now_tick;
    slot& s = _slots[tick & _mask];
    // Fire the entries of this tick in insertion order; a callback may link new ones (into
    // this slot too, at its tail) or cancel others, so walk from the head each time.
    for (timer_entry* t = s.head; t != nullptr;) {
      if (t->_tick > tick) {  // due a later turn
        t = t->_next;
        continue;
      }
      timer_entry& due = *t;
      unlink(due);
      ++fired;
      due._fire(due);
      t = s.head;  // the list may have changed under the callback
      // Entries before the first still-due one are all later turns: skip them again cheaply.
      while (t != nullptr && t->_tick > tick) t = t->_next;
    }
    ++_now_tick;
  }
  if (_size == 0 && _now_tick <= target) _now_tick = target + 1;
  return fired;
}

std::uint64_t timer_wheel::ticks_to_occupied() const noexcept {
  // The first occupied slot at or after the current tick's, wrapping once around the wheel
  // (the wheel is not empty, so one is found).
  const std::size_t slots = _mask + 1;
  const std::size_t start = _now_tick & _mask;
  for (std::size_t step = 0; step <= slots;) {
    const std::size_t i = (start + step) & _mask;
    const std::uint64_t word = _occupied[i / 64] >> (i % 64);
    if (word != 0) return step + static_cast<std::size_t>(std::countr_zero(word));
    step += 64 - (i % 64);
  }
  return 0;
}

std::optional<timer_wheel::clock::time_point> timer_wheel::next_wakeup() const noexcept {
  if (_size == 0) return std::nullopt;
  return _start + _tick * static_cast<std::int64_t>(_now_tick + ticks_to_occupied());
}

}  // namespace sipring::runtime
