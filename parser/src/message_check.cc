#include "sipring/parser/message_check.h"

#include "sipring/parser/auth.h"
#include "sipring/parser/call_id.h"
#include "sipring/parser/content_type.h"
#include "sipring/parser/cseq.h"
#include "sipring/parser/event.h"
#include "sipring/parser/header_values.h"
#include "sipring/parser/name_addr.h"
#include "sipring/parser/numeric_headers.h"
#include "sipring/parser/option_tags.h"
#include "sipring/parser/uri.h"
#include "sipring/parser/via.h"

namespace sipring::parser {

namespace {

// One name-addr and its URI.
error_code check_address(std::string_view element) noexcept {
  name_addr na;
  uri u;
  return parse_name_addr_uri(element, na, u);
}

// A list of name-addrs (Contact, Route, Record-Route, Path); no element may be empty.
error_code check_address_list(std::string_view value) noexcept {
  list_splitter elements(value);
  std::string_view element;
  while (elements.next(element)) {
    if (element.empty()) return error_code::bad_name_addr;
    if (const error_code e = check_address(element); e != error_code::none) return e;
  }
  return error_code::none;
}

error_code check_header(header_id id, std::string_view value) noexcept {
  switch (id) {
    case header_id::via:
      return for_each_via(value, [](const via&) {});
    case header_id::from:
    case header_id::to:
    case header_id::reply_to:
      return check_address(value);
    case header_id::contact:
      return is_contact_star(value) ? error_code::none : check_address_list(value);
    case header_id::route:
    case header_id::record_route:
    case header_id::path:
      return check_address_list(value);
    case header_id::call_id:
      return validate_call_id(value);
    case header_id::cseq: {
      cseq c;
      return parse_cseq(value, c);
    }
    case header_id::max_forwards: {
      std::uint8_t hops = 0;
      return parse_max_forwards(value, hops);
    }
    case header_id::content_length: {
      std::uint32_t length = 0;
      return parse_content_length(value, length);
    }
    case header_id::content_type: {
      media_type t;
      return parse_content_type(value, t);
    }
    case header_id::expires:
    case header_id::min_expires: {
      std::uint32_t seconds = 0;
      return parse_expires(value, seconds);
    }
    case header_id::require:
    case header_id::proxy_require:
    case header_id::unsupported:
      return validate_option_tags(value, empty_list::rejected);
    case header_id::supported:
      return validate_option_tags(value, empty_list::allowed);
    case header_id::authorization:
    case header_id::proxy_authorization: {
      credentials c;
      return parse_credentials(value, c);
    }
    case header_id::www_authenticate:
    case header_id::proxy_authenticate: {
      challenge c;
      return parse_challenge(value, c);
    }
    case header_id::event: {
      event ev;
      return parse_event(value, ev);
    }
    case header_id::subscription_state: {
      subscription_state s;
      return parse_subscription_state(value, s);
    }
    default:
      return error_code::none;
  }
}

}  // namespace

parse_error check_typed_headers(const message_view& m) noexcept {
  if (m.is_request()) {
    const auto offset = static_cast<std::uint32_t>(m.request_uri().data() - m.bytes().data());
    uri u;
    if (parse_uri(m.request_uri(), u) != error_code::none) return {error_code::bad_request_uri, offset};
    // RFC 3261 §19.1.1: headers are not allowed in a Request-URI (RFC 4475 §3.1.2.11).
    if (!u.headers.empty() && (u.scheme == uri_scheme::sip || u.scheme == uri_scheme::sips))
      return {error_code::bad_request_uri, offset};
  }
  for (const header_field& h : m.headers())
    if (const error_code e = check_header(h.id, m.value(h)); e != error_code::none) return {e, h.value.offset};
  return {};
}

}  // namespace sipring::parser
