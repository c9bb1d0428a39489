#pragma once
// A datagram received by a multishot recvmsg: the kernel writes a small header, the source
// address and the payload into one provided buffer; this finds them.

#include <sys/socket.h>
#include <sys/uio.h>

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

/// A sendmsg header addressed to `to`'s source, sending the gather list `iov` (which, like the
/// datagram's buffer, must outlive the send).
inline msghdr reply_header(const datagram& to, std::span<iovec> iov) noexcept {
  msghdr msg{};
  msg.msg_name = const_cast<sockaddr*>(to.source);
  msg.msg_namelen = to.source_length;
  msg.msg_iov = iov.data();
  msg.msg_iovlen = iov.size();
  return msg;
}

}  // namespace sipring::runtime
