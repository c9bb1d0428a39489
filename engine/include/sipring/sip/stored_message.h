#pragma once
// A SIP message kept beyond the call that received it (a request a proxy forwards and may still
// answer, a message handed to another shard): its own copy of the bytes and its parsed view.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sipring/parser/parse.h"

namespace sipring::sip {

class stored_message {
 public:
  /// Copies `bytes` and parses the copy into storage for `header_count` headers (how many the
  /// first parse found: the copy holds no more); null when it does not parse (it did once: only
  /// a caller passing other bytes sees that).
  static std::unique_ptr<stored_message> copy_of(std::string_view bytes, const parser::parse_options& options,
                                                 std::size_t header_count);

  const parser::message_view& view() const noexcept { return _view; }
  std::string_view bytes() const noexcept { return _bytes; }

 private:
  stored_message() = default;
  std::string _bytes;
  std::vector<parser::header_field> _headers;
  parser::message_view _view;
};

inline std::unique_ptr<stored_message> stored_message::copy_of(std::string_view bytes,
                                                              const parser::parse_options& options,
                                                              std::size_t header_count) {
  std::unique_ptr<stored_message> m(new stored_message);
  m->_bytes.assign(bytes);
  m->_headers.resize(header_count);
  const parser::parse_result r = parser::parse(m->_bytes, m->_headers, options);
  if (!r.ok()) return nullptr;
  m->_view = r.message;
  return m;
}

}  // namespace sipring::sip
