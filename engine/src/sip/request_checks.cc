#include "sipring/sip/request_checks.h"

#include "sipring/parser/error.h"
#include "sipring/parser/message_check.h"
#include "sipring/parser/option_tags.h"
#include "sipring/parser/via.h"

namespace sipring::sip {

namespace {

// One of our Vias: our sent-by and our branch prefix.
bool has_our_via(const parser::message_view& m, const local_identity& me) {
  bool found = false;
  for (const parser::header_field& h : m.headers()) {
    if (h.id != parser::header_id::via) continue;
    (void)parser::for_each_via(m.value(h), [&](const parser::via& v) {
      if (!v.branch.starts_with(our_branch_prefix)) return true;
      parser::uri u;
      u.host = v.sent_by.host;
      u.has_port = v.sent_by.has_port;
      u.port = v.sent_by.port;
      u.scheme = parser::uri_scheme::sip;
      if (me.is_this_proxy(u)) found = true;
      return !found;
    });
    if (found) return true;
  }
  return false;
}

}  // namespace

bool all_supported(std::string_view require_value, std::string_view supported, std::string& unsupported_line) {
  parser::option_tag_reader tags(require_value);
  std::string_view tag;
  std::string missing;
  while (tags.next(tag)) {
    if (parser::contains_option_tag(supported, tag)) continue;
    if (!missing.empty()) missing += ", ";
    missing += tag;
  }
  if (missing.empty()) return true;
  unsupported_line = "Unsupported: " + missing + "\r\n";
  return false;
}

refusal check_request(const parser::message_view& request, const parser::uri& request_uri,
                      const local_identity& me) {
  refusal r;
  if (const parser::parse_error e = parser::check_typed_headers(request); e.code != parser::error_code::none) {
    r.status = parser::response_status(e.code);
    r.reason = parser::reason_phrase(e.code);
    return r;
  }
  if (request_uri.scheme != parser::uri_scheme::sip && request_uri.scheme != parser::uri_scheme::sips) {
    r.status = 416;
    r.reason = "Unsupported URI Scheme";
    return r;
  }
  if (has_our_via(request, me)) {
    r.status = 482;
    r.reason = "Loop Detected";
    return r;
  }
  // Proxy-Require: this proxy supports no extension that needs a proxy's help (§16.3 step 5).
  for (const parser::header_field& h : request.headers()) {
    if (h.id != parser::header_id::proxy_require) continue;
    std::string line;
    if (!all_supported(request.value(h), "", line)) {
      r.status = 420;
      r.reason = "Bad Extension";
      r.extra_headers += line;
    }
  }
  return r;
}

}  // namespace sipring::sip
