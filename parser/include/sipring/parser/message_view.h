#pragma once
// A parsed SIP message: the start line and an index of every header, as offsets into the
// caller's buffer. Nothing is copied; the view is valid while the buffer and the header storage
// it was parsed into live.
//
// Header values are raw: they may contain line folding (CRLF followed by SP/HT), which every
// typed parser treats as linear white space. Use `header_values.h` to split list headers.

#include <cstdint>
#include <span>
#include <string_view>

#include "sipring/parser/header_id.h"
#include "sipring/parser/method.h"

namespace sipring::parser {

/// A range of the message's bytes: offset from the message's first byte, and length.
struct text_span {
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
};

/// One header line (after unfolding): its id, name and value (value trimmed of surrounding LWS).
struct header_field {
  header_id id = header_id::other;
  text_span name;
  text_span value;
};

class message_view {
 public:
  message_view() = default;

  /// The whole message: start line, headers, empty line and body (nothing after the body).
  std::string_view bytes() const noexcept { return {_base, _size}; }
  bool is_request() const noexcept { return _status_code == 0; }

  // Requests.
  method_id method() const noexcept { return _method; }
  std::string_view method_token() const noexcept { return text(_method_token); }
  std::string_view request_uri() const noexcept { return text(_request_uri); }

  // Responses.
  std::uint16_t status_code() const noexcept { return _status_code; }
  std::string_view reason_phrase() const noexcept { return text(_reason); }

  /// Every header in message order (repeated headers keep their order).
  std::span<const header_field> headers() const noexcept { return _headers; }
  std::string_view name(const header_field& h) const noexcept { return text(h.name); }
  std::string_view value(const header_field& h) const noexcept { return text(h.value); }

  /// The first header with this id, or nullptr.
  const header_field* find(header_id id) const noexcept {
    const auto i = _first[static_cast<std::size_t>(id)];
    return i == no_header ? nullptr : &_headers[i];
  }
  /// Value of the first header with this id; empty when absent.
  std::string_view value_of(header_id id) const noexcept {
    const auto* h = find(id);
    return h ? value(*h) : std::string_view{};
  }
  /// How many header lines carry this id.
  std::uint16_t count(header_id id) const noexcept { return _count[static_cast<std::size_t>(id)]; }

  /// The body located by Content-Length (or the rest of a datagram when there is none).
  std::string_view body() const noexcept { return text(_body); }
  text_span body_span() const noexcept { return _body; }
  /// Offset of the empty line (its CR) that ends the header section; the body starts 2 bytes
  /// later.
  std::uint32_t header_end() const noexcept { return _body.offset - 2; }

  /// Content-Length's value, or -1 when the message has none.
  std::int64_t content_length() const noexcept { return _content_length; }

  std::string_view text(text_span s) const noexcept { return {_base + s.offset, s.length}; }

 private:
  static constexpr std::uint16_t no_header = 0xffff;

  const char* _base = nullptr;
  std::uint32_t _size = 0;
  method_id _method = method_id::extension;
  std::uint16_t _status_code = 0;
  text_span _method_token, _request_uri, _reason, _body;
  std::int64_t _content_length = -1;
  std::span<const header_field> _headers;
  std::uint16_t _first[header_id_count] = {};
  std::uint16_t _count[header_id_count] = {};

 public:
  /// For the parser's stage 2 only: fills the view. Not for other callers.
  struct filler;
  friend struct filler;
};

}  // namespace sipring::parser
