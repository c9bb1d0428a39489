#pragma once
// The edits a proxy makes to a request it forwards (RFC 3261 §16.6): a new top Via, a new
// Max-Forwards, a Record-Route, the top Route element popped, a new Request-URI, extra header
// lines; for a response relayed upstream, the top Via removed. The result is a gather list (iovec) over the received bytes and the inserted strings:
// the message is never copied. Fixed capacity, no allocation, no exceptions.
//
// Lifetimes: the message's bytes and every string passed in must outlive the gather list. The
// new Max-Forwards text lives in this object, so an iovec list from to_iovec() is valid while
// this object lives and is not modified (a copy makes its own list).

#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "sipring/parser/message_view.h"

namespace sipring::parser {

class forward_edits {
 public:
  static constexpr std::size_t max_edits = 16;
  /// Enough iovecs for any edit list: one segment per edit and one between each two.
  static constexpr std::size_t max_segments = 2 * max_edits + 1;

  /// Starts an empty edit list over `m` (a parsed request; it must outlive this object).
  explicit forward_edits(const message_view& m) noexcept;

  // Each edit returns false, changing nothing, when the edit list is full, the argument is
  // malformed, or the edit was already made. Edits come out in message order whatever the
  // order of the calls. A `full_line` is a complete header line ending in CRLF.

  /// Adds `full_line` ("Via: SIP/2.0/UDP host;branch=z9hG4bK…\r\n") before the first Via line.
  /// Once.
  [[nodiscard]] bool insert_via(std::string_view full_line) noexcept;
  /// Replaces Max-Forwards' value with `hops`, or adds "Max-Forwards: hops" before the empty
  /// line when the request has none (§16.6 step 3). Once.
  [[nodiscard]] bool set_max_forwards(std::uint8_t hops) noexcept;
  /// Adds `full_line` before the first Record-Route line, or right after the new Via (before
  /// the first Via) when there is none. May be called again (RFC 5658 double record-routing):
  /// the lines keep the order of the calls.
  [[nodiscard]] bool insert_record_route(std::string_view full_line) noexcept;
  /// Removes the first Route element: the whole first Route line when it holds one element,
  /// otherwise its first element and the comma after it (§16.6 step 6, §16.4). False when there
  /// is no Route or its first two elements are empty. Once.
  [[nodiscard]] bool drop_top_route() noexcept { return drop_top_routes(1); }
  /// Removes the first `n` Route elements, across Route lines (a proxy that double
  /// record-routed, RFC 5658, finds two of its own on top). False, changing nothing, when there
  /// are fewer or one of them is empty. Once (with drop_top_route).
  [[nodiscard]] bool drop_top_routes(std::size_t n) noexcept;
  /// Removes the last Route element: the whole last Route line when it holds one element,
  /// otherwise that element and the comma before it (§16.4's fix for a strict router upstream,
  /// together with replace_request_uri). False when there is no Route or an element is empty.
  /// Once; not together with drop_top_route() when the request has a single Route element.
  [[nodiscard]] bool drop_last_route() noexcept;
  /// Removes the first Via element: the whole first Via line when it holds one element,
  /// otherwise its first element and the comma after it. For a response a proxy relays
  /// upstream (§16.7 step 3). False when there is no Via or its first elements are empty. Once.
  [[nodiscard]] bool drop_top_via() noexcept;
  /// Replaces the Request-URI (retargeting, §16.6 step 2; strict-router fix, §16.4). The URI
  /// must be non-empty without white space or control characters. Once.
  [[nodiscard]] bool replace_request_uri(std::string_view uri) noexcept;
  /// Adds `full_line` just before the empty line that ends the headers (after every other
  /// header, Content-Length included; e.g. a Content-Length for a datagram that had none).
  [[nodiscard]] bool add_header(std::string_view full_line) noexcept;

  /// How many iovecs to_iovec() fills (never above max_segments).
  std::size_t segment_count() const noexcept;
  /// Fills `out` with the forwarded message's segments in order and returns how many; 0 when
  /// `out` holds fewer than segment_count(). Empty segments are left out.
  std::size_t to_iovec(std::span<struct iovec> out) const noexcept;
  /// Size of the forwarded message in bytes (the sum of the segments).
  std::size_t total_size() const noexcept { return _size; }

 private:
  // At the same offset: insertions in rank order (Via, Record-Route, others), then the edit
  // that removes bytes from there.
  enum class rank : std::uint8_t { via, record_route, appended, replacement };
  enum flag : std::uint8_t {
    done_via = 1,
    done_max_forwards = 2,
    done_route = 4,
    done_request_uri = 8,
    done_top_via = 16,
    done_last_route = 32,
  };

  struct edit {
    std::uint32_t offset = 0;   ///< where in the original bytes
    std::uint32_t removed = 0;  ///< original bytes replaced from there
    std::string_view text;      ///< inserted text, unless own_text
    rank order = rank::appended;
    bool own_text = false;      ///< inserts this object's Max-Forwards text
  };

  bool add(const edit& e) noexcept;
  /// Removes the first element of the first `id` header (its line when it has one element).
  bool drop_first_element(header_id id, std::uint8_t done_flag) noexcept;
  bool once(flag f) const noexcept { return (_done & f) == 0; }
  std::string_view text_of(const edit& e) const noexcept;
  std::uint32_t top_of_headers() const noexcept;     ///< first Via line, or after the start line
  std::uint32_t end_of_start_line() const noexcept;
  std::uint32_t empty_line() const noexcept;         ///< the CRLF that ends the headers

  const message_view* _m;
  edit _edits[max_edits];
  std::uint8_t _count = 0;
  std::uint8_t _done = 0;
  std::size_t _size = 0;
  char _max_forwards[24] = {};  ///< "69" or "Max-Forwards: 69\r\n"
  std::uint8_t _max_forwards_length = 0;
};

}  // namespace sipring::parser
