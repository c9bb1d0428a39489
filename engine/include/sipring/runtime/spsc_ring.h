#pragma once
// A bounded single-producer / single-consumer queue between two shards: the producer's thread
// pushes, the consumer's thread pops, no lock. One per ordered pair of shards (shard_set).

#include <atomic>
#include <cstddef>
#include <memory>
#include <new>

namespace sipring::runtime {

template <class T>
class spsc_ring {
 public:
  /// `capacity`: a power of two.
  explicit spsc_ring(std::size_t capacity)
      : _mask(capacity - 1), _slots(std::make_unique<T[]>(capacity)) {}

  /// Producer: false when full.
  bool push(const T& v) noexcept {
    const std::size_t tail = _tail.load(std::memory_order_relaxed);
    if (tail - _head_cache == _mask + 1) {
      _head_cache = _head.load(std::memory_order_acquire);
      if (tail - _head_cache == _mask + 1) return false;
    }
    _slots[tail & _mask] = v;
    // seq_cst: ordered before the producer's read of the consumer's "sleeping" flag.
    _tail.store(tail + 1, std::memory_order_seq_cst);
    return true;
  }

  /// Consumer: false when empty.
  bool pop(T& out) noexcept {
    const std::size_t head = _head.load(std::memory_order_relaxed);
    if (head == _tail_cache) {
      _tail_cache = _tail.load(std::memory_order_acquire);
      if (head == _tail_cache) return false;
    }
    out = _slots[head & _mask];
    _head.store(head + 1, std::memory_order_release);
    return true;
  }

  /// Consumer: whether there is nothing to pop (seq_cst: see push).
  bool empty() const noexcept {
    return _head.load(std::memory_order_relaxed) == _tail.load(std::memory_order_seq_cst);
  }

 private:
  static constexpr std::size_t line = 64;
  const std::size_t _mask;
  std::unique_ptr<T[]> _slots;
  alignas(line) std::atomic<std::size_t> _head{0};  ///< consumer's
  std::size_t _tail_cache = 0;                      ///< consumer's copy of _tail
  alignas(line) std::atomic<std::size_t> _tail{0};  ///< producer's
  std::size_t _head_cache = 0;                      ///< producer's copy of _head
};

}  // namespace sipring::runtime
