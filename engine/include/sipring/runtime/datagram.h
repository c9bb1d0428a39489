#pragma once
// A datagram received by a multishot recvmsg: the kernel writes a small header, the source
// address and the payload into one provided buffer; this finds them.

#include <sys/socket.h>

#include <optional>
#include <span>

namespace sipring::runtime {

struct datagram {
  std::span<char> payload;
  const sockaddr* source = nullptr;
  socklen_t source_length = 0;
  bool truncated = false;  ///< the payload did not fit the buffer (MSG_TRUNC)
};

/// The datagram in `buffer` (an item of reactor::recvmsg_multishot), laid out per `header`
/// (multishot::recvmsg_header()); nullopt when the buffer is malformed.
std::optional<datagram> read_datagram(std::span<char> buffer, const msghdr& header) noexcept;

}  // namespace sipring::runtime
