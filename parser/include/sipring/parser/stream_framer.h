#pragma once
// Cutting a TCP/TLS byte stream into whole SIP messages (RFC 3261 §18.3: Content-Length is
// mandatory on streams) and eating CRLF keep-alives (RFC 5626 §3.5.1, RFC 3261 §7.5).
//
// Framing only: it finds where each message ends, it does not validate it. The caller passes
// every framed message to parse() with transport_kind::stream.
//
// The framer owns one buffer, allocated once in the constructor and never grown (a large one
// is mapped on its own pages, so that an idle connection holds only the pages it wrote). The caller
// copies received bytes into write_area(), calls commit(), then calls next() until it answers
// need_more. Between messages the unconsumed tail is moved to the front when a maximum-size
// message might not fit otherwise, so such a message always fits.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "sipring/parser/error.h"

namespace sipring::parser {

struct framer_event {
  enum class kind : std::uint8_t {
    need_more,  ///< no whole message buffered: receive more bytes
    message,    ///< `message` holds one whole message (start line, headers, body)
    ping,       ///< a double-CRLF keep-alive between messages: answer with one CRLF ("pong")
    error,      ///< the stream can no longer be framed: close the connection (see `error`)
  };
  kind what = kind::need_more;
  /// Points into the framer's buffer; valid until the next call to write_area, append, commit
  /// or next.
  std::string_view message;
  /// For kind::error: message_too_large, missing_content_length, bad_content_length or
  /// conflicting_content_length. none otherwise.
  error_code error = error_code::none;
};

class stream_framer {
 public:
  /// Allocates the buffer (max_message_size bytes, at least 4) once; nothing is allocated later.
  explicit stream_framer(std::uint32_t max_message_size = 64 * 1024);

  /// Free space to copy received bytes into (compacting first when needed). Empty after an error;
  /// never empty otherwise once next() has answered need_more.
  std::span<char> write_area() noexcept;

  /// Records that the first n bytes of the last write_area() were written (n <= its size).
  void commit(std::size_t n) noexcept;

  /// Copies as much of `bytes` as fits (write_area + commit); returns how many were taken.
  std::size_t append(std::span<const char> bytes) noexcept;

  /// The next event from the buffered bytes. After an error every call answers the same error.
  framer_event next() noexcept;

  /// Received bytes not yet handed out as a message or ping (skipped CRLFs not included).
  std::size_t buffered() const noexcept { return _end - _begin; }

  /// none, or the error that stopped the framer.
  error_code error() const noexcept { return _error; }

  std::uint32_t max_message_size() const noexcept { return _max; }

 private:
  framer_event fail(error_code code) noexcept;
  /// Skips lone CRLFs at a message boundary; answers ping, need_more, or message (= go on).
  framer_event::kind skip_keepalives() noexcept;
  /// Looks for the end of the header section from where the last search stopped.
  bool find_header_end() noexcept;
  /// Finds Content-Length in the header section and sets _message_size (or an error).
  error_code size_message() noexcept;

  /// Frees the buffer: munmap for a mapped one (`mapped` bytes), delete[] otherwise.
  struct buffer_release {
    std::size_t mapped;  // 0: from new[]
    void operator()(char* p) const noexcept;
  };

  std::unique_ptr<char[], buffer_release> _buf;
  std::uint32_t _max;
  std::size_t _capacity;
  std::size_t _begin = 0;  // first unconsumed byte
  std::size_t _end = 0;    // one past the last received byte
  // State of the message at _begin, offsets relative to _begin.
  bool _in_message = false;        // past the keep-alive CRLFs: a message has begun
  std::size_t _scanned = 0;        // bytes searched for the header end without finding it
  std::size_t _header_size = 0;    // header section incl. its empty line; 0 while unknown
  std::size_t _message_size = 0;   // header section + body; 0 while unknown
  error_code _error = error_code::none;
};

}  // namespace sipring::parser
