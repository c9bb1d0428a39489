#include "sipring/runtime/frame_allocator.h"

#include <cstdlib>
#include <new>
#include <vector>

namespace sipring::runtime {

namespace {

constexpr std::size_t class_count = frame_allocator::max_pooled / frame_allocator::granule;
constexpr std::size_t chunk_bytes = 64 * 1024;

// Intrusive free lists per size class, carved from 64 KiB chunks that live as long as the
// thread (a shard's frames are reused, never returned to the OS while it runs).
class pool {
 public:
  ~pool() {
    for (void* c : _chunks) std::free(c);
  }

  void* allocate(std::size_t size) {
    const std::size_t k = (size + frame_allocator::granule - 1) / frame_allocator::granule - 1;
    ++_live;
    if (node* n = _free[k]) {
      _free[k] = n->next;
      return n;
    }
    const std::size_t bytes = (k + 1) * frame_allocator::granule;
    if (_left < bytes) refill();
    void* p = _cursor;
    _cursor += bytes;
    _left -= bytes;
    return p;
  }

  void deallocate(void* p, std::size_t size) noexcept {
    const std::size_t k = (size + frame_allocator::granule - 1) / frame_allocator::granule - 1;
    --_live;
    auto* n = static_cast<node*>(p);
    n->next = _free[k];
    _free[k] = n;
  }

  std::size_t live() const noexcept { return _live; }

 private:
  struct node {
    node* next;
  };

  void refill() {
    void* c = std::aligned_alloc(frame_allocator::granule, chunk_bytes);
    if (c == nullptr) throw std::bad_alloc();
    _chunks.push_back(c);
    _cursor = static_cast<char*>(c);
    _left = chunk_bytes;
  }

  node* _free[class_count] = {};
  char* _cursor = nullptr;
  std::size_t _left = 0;
  std::size_t _live = 0;
  std::vector<void*> _chunks;
};

pool& this_thread_pool() {
  thread_local pool p;
  return p;
}

}  // namespace


#if defined(__SANITIZE_ADDRESS__)
// Under AddressSanitizer every frame is its own heap block, so that a use after free or a
// leaked frame is reported (a pool would hide both).
constexpr bool pooled = false;
#else
constexpr bool pooled = true;
#endif

thread_local std::size_t unpooled_live = 0;

void* frame_allocator::allocate(std::size_t size) {
  if (!pooled || size > max_pooled) {
    ++unpooled_live;
    return ::operator new(size);
  }
  return this_thread_pool().allocate(size);
}

void frame_allocator::deallocate(void* p, std::size_t size) noexcept {
  if (!pooled || size > max_pooled) {
    --unpooled_live;
    ::operator delete(p, size);
    return;
  }
  this_thread_pool().deallocate(p, size);
}

std::size_t frame_allocator::live_frames() noexcept {
  return this_thread_pool().live() + unpooled_live;
}

}  // namespace sipring::runtime
