#include "sipring/parser/response_builder.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "char_class.h"
#include "sipring/parser/header_id.h"
#include "sipring/parser/name_addr.h"

namespace sipring::parser {

namespace {

struct reason_entry {
  std::uint16_t status;
  std::string_view phrase;
};

// RFC 3261 §21, plus RFC 3265 (202, 489), RFC 3312 (580), RFC 3329 (494), RFC 3892 (429),
// RFC 4474 / 5626 (439), RFC 5360 (470), RFC 6086 (469). Sorted by status.
constexpr std::array reasons = {
    reason_entry{100, "Trying"},
    reason_entry{180, "Ringing"},
    reason_entry{181, "Call Is Being Forwarded"},
    reason_entry{182, "Queued"},
    reason_entry{183, "Session Progress"},
    reason_entry{200, "OK"},
    reason_entry{202, "Accepted"},
    reason_entry{300, "Multiple Choices"},
    reason_entry{301, "Moved Permanently"},
    reason_entry{302, "Moved Temporarily"},
    reason_entry{305, "Use Proxy"},
    reason_entry{380, "Alternative Service"},
    reason_entry{400, "Bad Request"},
    reason_entry{401, "Unauthorized"},
    reason_entry{402, "Payment Required"},
    reason_entry{403, "Forbidden"},
    reason_entry{404, "Not Found"},
    reason_entry{405, "Method Not Allowed"},
    reason_entry{406, "Not Acceptable"},
    reason_entry{407, "Proxy Authentication Required"},
    reason_entry{408, "Request Timeout"},
    reason_entry{410, "Gone"},
    reason_entry{413, "Request Entity Too Large"},
    reason_entry{414, "Request-URI Too Long"},
    reason_entry{415, "Unsupported Media Type"},
    reason_entry{416, "Unsupported URI Scheme"},
    reason_entry{420, "Bad Extension"},
    reason_entry{421, "Extension Required"},
    reason_entry{423, "Interval Too Brief"},
    reason_entry{429, "Provide Referrer Identity"},
    reason_entry{439, "First Hop Lacks Outbound Support"},
    reason_entry{469, "Bad Info Package"},
    reason_entry{470, "Consent Needed"},
    reason_entry{480, "Temporarily Unavailable"},
    reason_entry{481, "Call/Transaction Does Not Exist"},
    reason_entry{482, "Loop Detected"},
    reason_entry{483, "Too Many Hops"},
    reason_entry{484, "Address Incomplete"},
    reason_entry{485, "Ambiguous"},
    reason_entry{486, "Busy Here"},
    reason_entry{487, "Request Terminated"},
    reason_entry{488, "Not Acceptable Here"},
    reason_entry{489, "Bad Event"},
    reason_entry{491, "Request Pending"},
    reason_entry{493, "Undecipherable"},
    reason_entry{494, "Security Agreement Required"},
    reason_entry{500, "Server Internal Error"},
    reason_entry{501, "Not Implemented"},
    reason_entry{502, "Bad Gateway"},
    reason_entry{503, "Service Unavailable"},
    reason_entry{504, "Server Time-out"},
    reason_entry{505, "Version Not Supported"},
    reason_entry{513, "Message Too Large"},
    reason_entry{580, "Precondition Failure"},
    reason_entry{600, "Busy Everywhere"},
    reason_entry{603, "Decline"},
    reason_entry{604, "Does Not Exist Anywhere"},
    reason_entry{606, "Not Acceptable"},
};

constexpr std::size_t longest_reason = [] {
  std::size_t n = 0;
  for (const auto& r : reasons) n = std::max(n, r.phrase.size());
  return n;
}();

// Appends to the caller's buffer, or only counts when there is none (sizing).
class writer {
 public:
  explicit writer(std::span<char> out) noexcept : _out(out) {}
  writer() noexcept = default;

  void put(std::string_view s) noexcept {
    if (!_out.empty() && !_overflow) {
      if (s.size() > _out.size() - _size) _overflow = true;
      else if (!s.empty()) std::memcpy(_out.data() + _size, s.data(), s.size());
    }
    _size += s.size();
  }
  void put_uint(std::size_t v) noexcept {
    char digits[20];
    std::size_t i = sizeof digits;
    do {
      digits[--i] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0);
    put({digits + i, sizeof digits - i});
  }
  void put_header(header_id id, std::string_view value) noexcept {
    put(canonical_name(id));
    put(": ");
    put(value);
  }
  std::size_t size() const noexcept { return _size; }
  bool overflow() const noexcept { return _overflow; }

 private:
  std::span<char> _out;
  std::size_t _size = 0;
  bool _overflow = false;
};

constexpr std::string_view crlf = "\r\n";

bool inputs_valid(std::uint16_t status, std::string_view reason,
                  const response_options& o) noexcept {
  if (status < 100 || status > 699) return false;
  if (reason.find_first_of(crlf) != std::string_view::npos) return false;
  for (char c : o.to_tag)
    if (!chars::is_token(c)) return false;
  return o.extra_headers.empty() || o.extra_headers.ends_with(crlf);
}

// The request's To lacks a tag (a To that does not parse is copied as it is).
bool to_needs_tag(std::string_view to) noexcept {
  name_addr na;
  return parse_name_addr(to, na) == error_code::none && na.tag.empty();
}

// `add_tag`: whether To gets ";tag=o.to_tag".
void write_response(const message_view& request, std::uint16_t status, std::string_view reason,
                    const response_options& o, bool add_tag, writer& w) noexcept {
  w.put("SIP/2.0 ");
  w.put_uint(status);
  w.put(" ");
  w.put(reason);
  w.put(crlf);
  // §8.2.6.2: the Via values in the same order as in the request.
  for (const header_field& h : request.headers()) {
    if (h.id != header_id::via) continue;
    w.put_header(header_id::via, request.value(h));
    w.put(crlf);
  }
  for (header_id id : {header_id::from, header_id::to, header_id::call_id, header_id::cseq}) {
    const header_field* h = request.find(id);
    if (h == nullptr) continue;  // parse() guarantees them; a hand-made view may lack one
    w.put_header(id, request.value(*h));
    if (id == header_id::to && add_tag) {
      w.put(";tag=");
      w.put(o.to_tag);
    }
    w.put(crlf);
  }
  w.put(o.extra_headers);
  if (!o.body.empty() && !o.content_type.empty()) {
    w.put_header(header_id::content_type, o.content_type);
    w.put(crlf);
  }
  w.put(canonical_name(header_id::content_length));
  w.put(": ");
  w.put_uint(o.body.size());
  w.put("\r\n\r\n");
  w.put(o.body);
}

}  // namespace

std::string_view default_reason(std::uint16_t status) noexcept {
  const auto* it =
      std::lower_bound(reasons.begin(), reasons.end(), status,
                       [](const reason_entry& r, std::uint16_t s) { return r.status < s; });
  return it != reasons.end() && it->status == status ? it->phrase : std::string_view{};
}

std::size_t build_response(const message_view& request, std::uint16_t status,
                           std::string_view reason, const response_options& o,
                           std::span<char> out) noexcept {
  if (reason.empty()) reason = default_reason(status);
  if (!request.is_request() || request.bytes().empty() || out.empty() ||
      !inputs_valid(status, reason, o))
    return 0;
  const bool add_tag = status > 100 && !o.to_tag.empty() &&
                       to_needs_tag(request.value_of(header_id::to));
  writer w(out);
  write_response(request, status, reason, o, add_tag, w);
  return w.overflow() ? 0 : w.size();
}

std::size_t max_response_size(const message_view& request, const response_options& o,
                              std::string_view reason) noexcept {
  static_assert(longest_reason <= 64);
  // Any status is three digits; the padding stands in for the longest default phrase.
  constexpr std::string_view padding(
      "................................................................", longest_reason);
  writer w;
  write_response(request, 100, reason.empty() ? padding : reason, o, !o.to_tag.empty(), w);
  return w.size();
}

}  // namespace sipring::parser
