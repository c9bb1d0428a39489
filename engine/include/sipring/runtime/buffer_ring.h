#pragma once
// A provided-buffer ring (io_uring's IORING_REGISTER_PBUF_RING): receive operations pick a free
// buffer in the kernel, the completion says which, and the buffer goes back to the ring when the
// received_buffer that holds it is destroyed. One per reactor, on its thread only.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>

struct io_uring;
struct io_uring_buf_ring;

namespace sipring::runtime {

class buffer_ring {
 public:
  /// Registers `count` (a power of two) buffers of `size` bytes as group `group` of `ring`.
  static std::unique_ptr<buffer_ring> create(io_uring& ring, unsigned count, unsigned size,
                                             unsigned short group, std::string& why);
  ~buffer_ring();
  buffer_ring(const buffer_ring&) = delete;
  buffer_ring& operator=(const buffer_ring&) = delete;

  unsigned short group() const noexcept { return _group; }
  unsigned buffer_size() const noexcept { return _size; }
  /// Buffers now held by received_buffer objects (the kernel has the others).
  unsigned in_use() const noexcept { return _in_use; }

  std::span<char> buffer(unsigned short id) const noexcept {
    return {_data + std::size_t{id} * _size, _size};
  }
  /// The kernel filled buffer `id`; the caller holds it until give_back().
  void taken(unsigned short) noexcept { ++_in_use; }
  /// Returns buffer `id` to the kernel.
  void give_back(unsigned short id) noexcept;

 private:
  buffer_ring(io_uring& ring, unsigned count, unsigned size, unsigned short group) noexcept
      : _ring(&ring), _count(count), _size(size), _group(group) {}

  io_uring* _ring;
  unsigned _count;
  unsigned _size;
  unsigned short _group;
  unsigned _in_use = 0;
  io_uring_buf_ring* _br = nullptr;
  char* _data = nullptr;
  std::size_t _mapped = 0;
};

/// A received buffer: its bytes are valid until this is destroyed, which returns it to the ring.
class received_buffer {
 public:
  received_buffer() noexcept = default;
  received_buffer(buffer_ring& ring, unsigned short id, std::size_t length) noexcept
      : _ring(&ring), _id(id), _bytes(ring.buffer(id).first(length)) {
    ring.taken(id);
  }
  received_buffer(received_buffer&& o) noexcept
      : _ring(std::exchange(o._ring, nullptr)), _id(o._id), _bytes(o._bytes) {}
  received_buffer& operator=(received_buffer&& o) noexcept {
    if (this != &o) {
      release();
      _ring = std::exchange(o._ring, nullptr);
      _id = o._id;
      _bytes = o._bytes;
    }
    return *this;
  }
  received_buffer(const received_buffer&) = delete;
  received_buffer& operator=(const received_buffer&) = delete;
  ~received_buffer() { release(); }

  /// What the kernel wrote (for recvmsg: its io_uring_recvmsg_out header, name and payload).
  std::span<char> bytes() const noexcept { return _bytes; }
  bool empty() const noexcept { return _ring == nullptr; }
  /// Gives the buffer back now.
  void release() noexcept {
    if (_ring) std::exchange(_ring, nullptr)->give_back(_id);
  }

 private:
  buffer_ring* _ring = nullptr;
  unsigned short _id = 0;
  std::span<char> _bytes;
};

}  // namespace sipring::runtime
