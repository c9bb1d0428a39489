#pragma once
// What the running kernel's io_uring offers, probed at start: the opcodes sipring submits, the
// ring features it relies on, and trials of the features no opcode probe can show (provided
// buffer rings, multishot accept and multishot recv). `sipring --version` prints it; the reactor
// refuses to start, naming what is missing, when a required feature is absent.

#include <string>
#include <vector>

namespace sipring::runtime {

struct uring_features {
  bool available = false;      ///< io_uring_queue_init succeeded
  std::string setup_error;     ///< why not, when !available (strerror of the failure)
  std::string kernel_release;  ///< uname -r

  // Ring features (IORING_FEAT_*).
  bool feat_nodrop = false;
  bool feat_fast_poll = false;
  bool feat_ext_arg = false;
  bool feat_cqe_skip = false;

  // Setup flags the kernel accepts.
  bool setup_single_issuer = false;
  bool setup_defer_taskrun = false;

  // Opcodes.
  bool op_accept = false, op_connect = false, op_close = false;
  bool op_recv = false, op_recvmsg = false, op_send = false, op_sendmsg = false;
  bool op_timeout = false, op_link_timeout = false, op_async_cancel = false;
  bool op_msg_ring = false, op_send_zc = false;

  // Tried for real.
  bool provided_buffer_ring = false;
  bool multishot_accept = false;
  bool multishot_recv = false;

  /// The features the reactor cannot run without, each with the kernel that brought it,
  /// e.g. "multishot recv (Linux 6.0)". Empty when everything required is there.
  std::vector<std::string> missing_required() const;
};

/// Probes the kernel. Costs a few rings and sockets, created and closed here; call once at start.
uring_features probe_uring();

/// A multi-line human-readable report ("io_uring: ..." lines) for --version.
std::string describe(const uring_features& features);

}  // namespace sipring::runtime
