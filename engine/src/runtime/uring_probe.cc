#include "sipring/runtime/uring_probe.h"

#include <liburing.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace sipring::runtime {
namespace {

// A ring that closes itself; every trial below uses a fresh one so that a failed trial cannot
// leave state behind for the next.
class scoped_ring {
 public:
  explicit scoped_ring(unsigned flags = 0) {
    io_uring_params params{};
    params.flags = flags;
    _rc = io_uring_queue_init_params(8, &_ring, &params);
    _features = params.features;
  }
  ~scoped_ring() {
    if (_rc == 0) io_uring_queue_exit(&_ring);
  }
  scoped_ring(const scoped_ring&) = delete;
  scoped_ring& operator=(const scoped_ring&) = delete;

  bool ok() const { return _rc == 0; }
  int error() const { return -_rc; }
  unsigned features() const { return _features; }
  io_uring* get() { return &_ring; }

  // Waits up to 1 s for one completion; copies it out and marks it seen.
  bool wait_one(io_uring_cqe& out) {
    __kernel_timespec ts{.tv_sec = 1, .tv_nsec = 0};
    io_uring_cqe* cqe = nullptr;
    if (io_uring_wait_cqe_timeout(&_ring, &cqe, &ts) != 0 || cqe == nullptr) return false;
    out = *cqe;
    io_uring_cqe_seen(&_ring, cqe);
    return true;
  }

 private:
  io_uring _ring{};
  int _rc = -1;
  unsigned _features = 0;
};

class scoped_fd {
 public:
  explicit scoped_fd(int fd = -1) : _fd(fd) {}
  ~scoped_fd() {
    if (_fd >= 0) ::close(_fd);
  }
  scoped_fd(const scoped_fd&) = delete;
  scoped_fd& operator=(const scoped_fd&) = delete;
  int get() const { return _fd; }

 private:
  int _fd;
};

constexpr unsigned buffer_group = 7;
constexpr unsigned ring_entries = 2;
constexpr unsigned buffer_size = 64;

// Registers a small provided-buffer ring on `ring`; the memory is owned by the caller's mapping.
bool register_buffer_ring(io_uring* ring, void* mem) {
  auto* br = static_cast<io_uring_buf_ring*>(mem);
  io_uring_buf_ring_init(br);
  io_uring_buf_reg reg{};
  reg.ring_addr = reinterpret_cast<unsigned long>(br);
  reg.ring_entries = ring_entries;
  reg.bgid = buffer_group;
  if (io_uring_register_buf_ring(ring, &reg, 0) != 0) return false;
  auto* data = static_cast<char*>(mem) + 4096;
  for (unsigned i = 0; i < ring_entries; ++i)
    io_uring_buf_ring_add(br, data + i * buffer_size, buffer_size, static_cast<unsigned short>(i),
                          io_uring_buf_ring_mask(ring_entries), static_cast<int>(i));
  io_uring_buf_ring_advance(br, ring_entries);
  return true;
}

// Provided buffer ring + multishot recv on a socketpair: supported when the first completion
// carries data from the ring and says more will come (IORING_CQE_F_MORE).
void try_buffer_ring_and_multishot_recv(uring_features& f) {
  scoped_ring ring;
  if (!ring.ok()) return;
  void* mem = mmap(nullptr, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) return;
  f.provided_buffer_ring = register_buffer_ring(ring.get(), mem);
  if (f.provided_buffer_ring) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0) {
      scoped_fd a(sv[0]), b(sv[1]);
      io_uring_sqe* sqe = io_uring_get_sqe(ring.get());
      io_uring_prep_recv_multishot(sqe, a.get(), nullptr, 0, 0);
      sqe->flags |= IOSQE_BUFFER_SELECT;
      sqe->buf_group = buffer_group;
      sqe->user_data = 1;
      io_uring_submit(ring.get());
      io_uring_cqe cqe{};
      if (::write(b.get(), "x", 1) == 1 && ring.wait_one(cqe))
        f.multishot_recv = cqe.res == 1 && (cqe.flags & IORING_CQE_F_MORE) &&
                           (cqe.flags & IORING_CQE_F_BUFFER);
      // Cancel the multishot request before the ring and its buffers go away.
      io_uring_sqe* cancel = io_uring_get_sqe(ring.get());
      io_uring_prep_cancel64(cancel, 1, 0);
      io_uring_submit_and_wait(ring.get(), 1);
    }
    io_uring_unregister_buf_ring(ring.get(), static_cast<int>(buffer_group));
  }
  munmap(mem, 8192);
}

// Multishot accept on an abstract unix socket: supported when the accept completes with a
// descriptor and IORING_CQE_F_MORE.
void try_multishot_accept(uring_features& f) {
  scoped_ring ring;
  if (!ring.ok()) return;
  scoped_fd listener(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (listener.get() < 0) return;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::string name = "sipring-probe-" + std::to_string(getpid());
  std::memcpy(addr.sun_path + 1, name.data(), name.size());  // leading NUL: abstract namespace
  const auto len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
  if (bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), len) != 0) return;
  if (listen(listener.get(), 4) != 0) return;
  io_uring_sqe* sqe = io_uring_get_sqe(ring.get());
  io_uring_prep_multishot_accept(sqe, listener.get(), nullptr, nullptr, SOCK_CLOEXEC);
  sqe->user_data = 2;
  io_uring_submit(ring.get());
  scoped_fd client(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  io_uring_cqe cqe{};
  if (client.get() >= 0 && connect(client.get(), reinterpret_cast<sockaddr*>(&addr), len) == 0 &&
      ring.wait_one(cqe)) {
    f.multishot_accept = cqe.res >= 0 && (cqe.flags & IORING_CQE_F_MORE);
    if (cqe.res >= 0) ::close(cqe.res);
  }
  io_uring_sqe* cancel = io_uring_get_sqe(ring.get());
  io_uring_prep_cancel64(cancel, 2, 0);
  io_uring_submit_and_wait(ring.get(), 1);
}

void probe_opcodes(uring_features& f) {
  io_uring_probe* probe = io_uring_get_probe();
  if (probe == nullptr) return;
  auto has = [probe](int op) { return io_uring_opcode_supported(probe, op) != 0; };
  f.op_accept = has(IORING_OP_ACCEPT);
  f.op_connect = has(IORING_OP_CONNECT);
  f.op_close = has(IORING_OP_CLOSE);
  f.op_recv = has(IORING_OP_RECV);
  f.op_recvmsg = has(IORING_OP_RECVMSG);
  f.op_send = has(IORING_OP_SEND);
  f.op_sendmsg = has(IORING_OP_SENDMSG);
  f.op_timeout = has(IORING_OP_TIMEOUT);
  f.op_link_timeout = has(IORING_OP_LINK_TIMEOUT);
  f.op_async_cancel = has(IORING_OP_ASYNC_CANCEL);
  f.op_msg_ring = has(IORING_OP_MSG_RING);
  f.op_send_zc = has(IORING_OP_SEND_ZC);
  io_uring_free_probe(probe);
}

const char* yes_no(bool b) { return b ? "yes" : "no"; }

}  // namespace

std::vector<std::string> uring_features::missing_required() const {
  std::vector<std::string> missing;
  if (!available) {
    missing.push_back("io_uring itself (Linux 5.1; " + setup_error + ")");
    return missing;
  }
  auto need = [&missing](bool have, const char* what) {
    if (!have) missing.emplace_back(what);
  };
  need(feat_nodrop, "IORING_FEAT_NODROP (Linux 5.5)");
  need(feat_fast_poll, "IORING_FEAT_FAST_POLL (Linux 5.7)");
  need(feat_ext_arg, "IORING_FEAT_EXT_ARG (Linux 5.11)");
  need(op_accept && op_connect && op_close && op_recv && op_send && op_recvmsg && op_sendmsg,
       "socket opcodes accept/connect/close/recv/send/recvmsg/sendmsg (Linux 5.6)");
  need(op_timeout && op_link_timeout && op_async_cancel, "timeout and cancel opcodes (Linux 5.5)");
  need(provided_buffer_ring, "provided buffer rings (Linux 5.19)");
  need(multishot_accept, "multishot accept (Linux 5.19)");
  need(multishot_recv, "multishot recv (Linux 6.0)");
  return missing;
}

uring_features probe_uring() {
  uring_features f;
  utsname un{};
  if (uname(&un) == 0) f.kernel_release = un.release;

  {
    scoped_ring ring;
    if (!ring.ok()) {
      f.setup_error = std::strerror(ring.error());
      return f;
    }
    f.available = true;
    const unsigned feats = ring.features();
    f.feat_nodrop = feats & IORING_FEAT_NODROP;
    f.feat_fast_poll = feats & IORING_FEAT_FAST_POLL;
    f.feat_ext_arg = feats & IORING_FEAT_EXT_ARG;
    f.feat_cqe_skip = feats & IORING_FEAT_CQE_SKIP;
  }
  f.setup_single_issuer = scoped_ring(IORING_SETUP_SINGLE_ISSUER).ok();
  f.setup_defer_taskrun = scoped_ring(IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN).ok();
  probe_opcodes(f);
  try_buffer_ring_and_multishot_recv(f);
  try_multishot_accept(f);
  return f;
}

std::string describe(const uring_features& f) {
  std::string out = "io_uring: kernel " + f.kernel_release + ", ";
  if (!f.available) return out + "unavailable (" + f.setup_error + ")\n";
  out += "available\n";
  out += std::string("io_uring: multishot accept ") + yes_no(f.multishot_accept) +
         ", multishot recv " + yes_no(f.multishot_recv) + ", provided buffer rings " +
         yes_no(f.provided_buffer_ring) + ", msg_ring " + yes_no(f.op_msg_ring) + ", send_zc " +
         yes_no(f.op_send_zc) + "\n";
  out += std::string("io_uring: ext_arg ") + yes_no(f.feat_ext_arg) + ", fast_poll " +
         yes_no(f.feat_fast_poll) + ", cqe_skip " + yes_no(f.feat_cqe_skip) + ", single_issuer " +
         yes_no(f.setup_single_issuer) + ", defer_taskrun " + yes_no(f.setup_defer_taskrun) + "\n";
  const auto missing = f.missing_required();
  if (missing.empty()) {
    out += "io_uring: every feature sipring needs is present\n";
  } else {
    for (const auto& m : missing) out += "io_uring: MISSING " + m + "\n";
  }
  return out;
}

}  // namespace sipring::runtime
