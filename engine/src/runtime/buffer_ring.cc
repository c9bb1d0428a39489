#include "sipring/runtime/buffer_ring.h"

#include <liburing.h>
#include <sys/mman.h>

#include <cstring>

namespace sipring::runtime {

std::unique_ptr<buffer_ring> buffer_ring::create(io_uring& ring, unsigned count, unsigned size,
                                                 unsigned short group, std::string& why) {
  if (count == 0 || (count & (count - 1)) != 0 || count > 32768) {
    why = "receive buffer count must be a power of two up to 32768";
    return nullptr;
  }
  std::unique_ptr<buffer_ring> r(new buffer_ring(ring, count, size, group));
  // One mapping: the ring of buffer descriptors (page-aligned, as the kernel wants), then the
  // buffers themselves.
  const std::size_t ring_bytes = (sizeof(io_uring_buf) * count + 4095) & ~std::size_t{4095};
  r->_mapped = ring_bytes + std::size_t{count} * size;
  void* mem = mmap(nullptr, r->_mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) {
    why = std::string("mmap of receive buffers failed: ") + std::strerror(errno);
    return nullptr;
  }
  r->_br = static_cast<io_uring_buf_ring*>(mem);
  r->_data = static_cast<char*>(mem) + ring_bytes;
  io_uring_buf_ring_init(r->_br);
  io_uring_buf_reg reg{};
  reg.ring_addr = reinterpret_cast<unsigned long>(r->_br);
  reg.ring_entries = count;
  reg.bgid = group;
  if (const int e = io_uring_register_buf_ring(&ring, &reg, 0); e != 0) {
    munmap(mem, r->_mapped);
    r->_br = nullptr;
    why = std::string("registering the provided-buffer ring failed: ") + std::strerror(-e) +
          " (needs Linux 5.19)";
    return nullptr;
  }
  for (unsigned i = 0; i < count; ++i)
    io_uring_buf_ring_add(r->_br, r->_data + std::size_t{i} * size, size, static_cast<unsigned short>(i),
                          io_uring_buf_ring_mask(count), static_cast<int>(i));
  io_uring_buf_ring_advance(r->_br, static_cast<int>(count));
  return r;
}

buffer_ring::~buffer_ring() {
  if (_br == nullptr) return;
  io_uring_unregister_buf_ring(_ring, _group);
  munmap(_br, _mapped);
}

void buffer_ring::give_back(unsigned short id) noexcept {
  --_in_use;
  io_uring_buf_ring_add(_br, buffer(id).data(), _size, id, io_uring_buf_ring_mask(_count), 0);
  io_uring_buf_ring_advance(_br, 1);
}

}  // namespace sipring::runtime
