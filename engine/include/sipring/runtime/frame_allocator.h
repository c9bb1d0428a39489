#pragma once
// Where coroutine frames live: a per-thread (hence per-shard) pool of size classes, so that a
// task costs no malloc on the hot path and no shard ever touches another's allocator. A frame is
// freed on the thread that allocated it: tasks never move between shards (invoke_on creates the
// callee's task on its own shard).

#include <cstddef>

namespace sipring::runtime {

class frame_allocator {
 public:
  /// Frames up to this size come from the pool; bigger ones from operator new.
  static constexpr std::size_t max_pooled = 2048;
  static constexpr std::size_t granule = 64;

  static void* allocate(std::size_t size);
  static void deallocate(void* p, std::size_t size) noexcept;

  /// Frames of this thread's pool now in use (tests and leak checks at stop).
  static std::size_t live_frames() noexcept;
};

/// Base of every coroutine promise type: its frame comes from the frame_allocator.
struct pooled_frame {
  static void* operator new(std::size_t size) { return frame_allocator::allocate(size); }
  static void operator delete(void* p, std::size_t size) noexcept {
    frame_allocator::deallocate(p, size);
  }
};

}  // namespace sipring::runtime
