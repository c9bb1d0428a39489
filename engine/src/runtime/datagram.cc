#include "sipring/runtime/datagram.h"

#include <liburing.h>

namespace sipring::runtime {

std::optional<datagram> read_datagram(std::span<char> buffer, const msghdr& header) noexcept {
  msghdr h = header;
  io_uring_recvmsg_out* out = io_uring_recvmsg_validate(buffer.data(), static_cast<int>(buffer.size()), &h);
  if (out == nullptr) return std::nullopt;
  datagram d;
  d.payload = {static_cast<char*>(io_uring_recvmsg_payload(out, &h)),
               io_uring_recvmsg_payload_length(out, static_cast<int>(buffer.size()), &h)};
  d.source = static_cast<const sockaddr*>(io_uring_recvmsg_name(out));
  d.source_length = out->namelen;
  d.truncated = (out->flags & MSG_TRUNC) != 0;
  return d;
}

}  // namespace sipring::runtime
