#include "sipring/app/parse_command.h"

#include <fstream>
#include <iostream>
#include <iterator>
#include <vector>

#include "json_writer.h"
#include "sipring/parser/auth.h"
#include "sipring/parser/content_type.h"
#include "sipring/parser/cseq.h"
#include "sipring/parser/event.h"
#include "sipring/parser/header_params.h"
#include "sipring/parser/header_values.h"
#include "sipring/parser/message_check.h"
#include "sipring/parser/name_addr.h"
#include "sipring/parser/numeric_headers.h"
#include "sipring/parser/option_tags.h"
#include "sipring/parser/parse.h"
#include "sipring/parser/uri.h"
#include "sipring/parser/via.h"

namespace sipring::app {

namespace {

using namespace sipring::parser;

constexpr std::size_t max_input = 64 * 1024;

std::string_view host_type_name(host_kind k) {
  switch (k) {
    case host_kind::ipv4: return "ipv4";
    case host_kind::ipv6: return "ipv6";
    case host_kind::hostname: break;
  }
  return "hostname";
}

std::string_view scheme_name(uri_scheme s) {
  switch (s) {
    case uri_scheme::sip: return "sip";
    case uri_scheme::sips: return "sips";
    case uri_scheme::tel: return "tel";
    case uri_scheme::other: break;
  }
  return "other";
}

void write_port(json_writer& j, bool has_port, std::uint16_t port) {
  j.key("port");
  if (has_port) j.value(std::int64_t{port});
  else j.null();
}

// A URI's fields; a URI that does not parse is given as text with its error.
void write_uri(json_writer& j, std::string_view text) {
  uri u;
  j.begin_object();
  j.field("text", text);
  if (const error_code e = parse_uri(text, u); e != error_code::none) {
    j.field("error", code_name(e));
    j.end_object();
    return;
  }
  j.field("scheme", scheme_name(u.scheme));
  if (u.scheme == uri_scheme::sip || u.scheme == uri_scheme::sips) {
    j.optional_field("user", u.user);
    if (u.has_password) j.field("password", u.password);
    j.field("host", u.host);
    j.field("host_type", host_type_name(u.host_type));
    write_port(j, u.has_port, u.port);
    j.optional_field("transport", u.transport);
    j.optional_field("user_param", u.user_param);
    j.optional_field("method", u.method);
    j.optional_field("maddr", u.maddr);
    j.optional_field("ttl", u.ttl);
    j.field("lr", u.lr);
    j.key("params");
    j.begin_array();
    uri_param_reader params(u.params);
    uri_param p;
    while (params.next(p)) {
      j.begin_object();
      j.field("name", p.name);
      if (p.has_value) j.field("value", p.value);
      j.end_object();
    }
    j.end_array();
    j.key("headers");
    j.begin_array();
    uri_header_reader headers(u.headers);
    uri_header h;
    while (headers.next(h)) {
      j.begin_object();
      j.field("name", h.name);
      j.field("value", h.value);
      j.end_object();
    }
    j.end_array();
  } else {
    j.field("opaque", u.opaque);
  }
  j.end_object();
}

void write_header_params(json_writer& j, std::string_view text) {
  j.key("params");
  j.begin_array();
  header_param_reader reader(text);
  header_param p;
  while (reader.next(p)) {
    j.begin_object();
    j.field("name", p.name);
    if (p.has_value) j.field("value", p.value);
    j.end_object();
  }
  j.end_array();
}

void write_name_addr(json_writer& j, std::string_view element) {
  name_addr na;
  j.begin_object();
  if (const error_code e = parse_name_addr(element, na); e != error_code::none) {
    j.field("error", code_name(e));
    j.end_object();
    return;
  }
  if (!na.display_name.empty() || na.display_quoted) j.field("display_name", na.display_name);
  j.key("uri");
  write_uri(j, na.uri);
  j.optional_field("tag", na.tag);
  j.optional_field("expires", na.expires);
  j.optional_field("q", na.q);
  write_header_params(j, na.params);
  j.end_object();
}

void write_name_addr_list(json_writer& j, std::string_view value) {
  j.begin_array();
  list_splitter elements(value);
  std::string_view element;
  while (elements.next(element)) write_name_addr(j, element);
  j.end_array();
}

void write_via(json_writer& j, std::string_view value) {
  j.begin_array();
  const error_code e = for_each_via(value, [&j](const via& v) {
    j.begin_object();
    j.field("protocol", v.protocol_name);
    j.field("version", v.protocol_version);
    j.field("transport", v.transport);
    j.field("host", v.sent_by.host);
    j.field("host_type", host_type_name(v.sent_by.kind));
    write_port(j, v.sent_by.has_port, v.sent_by.port);
    j.optional_field("branch", v.branch);
    j.optional_field("received", v.received);
    if (v.has_rport) {
      j.key("rport");
      if (v.rport_has_value) j.value(std::int64_t{v.rport});
      else j.value(true);
    }
    j.optional_field("maddr", v.maddr);
    j.optional_field("ttl", v.ttl);
    write_header_params(j, v.params);
    j.end_object();
  });
  if (e != error_code::none) {
    j.begin_object();
    j.field("error", code_name(e));
    j.end_object();
  }
  j.end_array();
}

void write_auth(json_writer& j, const auth_value& a) {
  j.begin_object();
  j.field("scheme", a.scheme);
  const std::pair<std::string_view, std::string_view> fields[] = {
      {"username", a.username}, {"realm", a.realm},   {"nonce", a.nonce},   {"uri", a.uri},
      {"response", a.response}, {"algorithm", a.algorithm}, {"cnonce", a.cnonce},
      {"opaque", a.opaque},     {"qop", a.qop},       {"nc", a.nc},         {"stale", a.stale},
      {"domain", a.domain}};
  for (const auto& [name, v] : fields)
    if (v.data() != nullptr) j.field(name, v);
  if (!a.is_digest) j.field("params", a.params);
  j.end_object();
}

// A number parsed by `parse` (called here, before its result is read); null when it fails.
template <class T, class F>
void write_number(json_writer& j, std::string_view value, F&& parse) {
  T n{};
  if (parse(value, n) == error_code::none) j.value(static_cast<std::int64_t>(n));
  else j.null();
}

// The typed description of one header; nothing for headers without a typed parser.
void write_typed(json_writer& j, header_id id, std::string_view value) {
  switch (id) {
    case header_id::via: j.key("typed"); write_via(j, value); return;
    case header_id::from:
    case header_id::to:
    case header_id::reply_to: j.key("typed"); write_name_addr(j, value); return;
    case header_id::contact:
      j.key("typed");
      if (is_contact_star(value)) {
        j.begin_object();
        j.field("star", true);
        j.end_object();
      } else {
        write_name_addr_list(j, value);
      }
      return;
    case header_id::route:
    case header_id::record_route:
    case header_id::path: j.key("typed"); write_name_addr_list(j, value); return;
    case header_id::call_id: j.field("typed", value); return;
    case header_id::cseq: {
      cseq c;
      if (parse_cseq(value, c) != error_code::none) return;
      j.key("typed");
      j.begin_object();
      j.field("number", std::int64_t{c.number});
      j.field("method", c.method_token);
      j.end_object();
      return;
    }
    case header_id::max_forwards: {
      j.key("typed");
      write_number<std::uint8_t>(j, value, parse_max_forwards);
      return;
    }
    case header_id::content_length: {
      j.key("typed");
      write_number<std::uint32_t>(j, value, parse_content_length);
      return;
    }
    case header_id::expires:
    case header_id::min_expires: {
      j.key("typed");
      write_number<std::uint32_t>(j, value, parse_expires);
      return;
    }
    case header_id::content_type: {
      media_type t;
      if (parse_content_type(value, t) != error_code::none) return;
      j.key("typed");
      j.begin_object();
      j.field("type", t.type);
      j.field("subtype", t.subtype);
      write_header_params(j, t.params);
      j.end_object();
      return;
    }
    case header_id::require:
    case header_id::proxy_require:
    case header_id::supported:
    case header_id::unsupported: {
      j.key("typed");
      j.begin_array();
      option_tag_reader tags(value);
      std::string_view tag;
      while (tags.next(tag)) j.value(tag);
      j.end_array();
      return;
    }
    case header_id::authorization:
    case header_id::proxy_authorization: {
      credentials c;
      if (parse_credentials(value, c) != error_code::none) return;
      j.key("typed");
      write_auth(j, c);
      return;
    }
    case header_id::www_authenticate:
    case header_id::proxy_authenticate: {
      challenge c;
      if (parse_challenge(value, c) != error_code::none) return;
      j.key("typed");
      write_auth(j, c);
      return;
    }
    case header_id::event: {
      event ev;
      if (parse_event(value, ev) != error_code::none) return;
      j.key("typed");
      j.begin_object();
      j.field("package", ev.package);
      j.optional_field("id", ev.id);
      write_header_params(j, ev.params);
      j.end_object();
      return;
    }
    case header_id::subscription_state: {
      subscription_state s;
      if (parse_subscription_state(value, s) != error_code::none) return;
      j.key("typed");
      j.begin_object();
      j.field("state", s.state_token);
      j.optional_field("reason", s.reason);
      if (s.has_expires) j.field("expires", std::int64_t{s.expires});
      if (s.has_retry_after) j.field("retry_after", std::int64_t{s.retry_after});
      j.end_object();
      return;
    }
    default: return;
  }
}

std::string describe(const message_view& m) {
  std::string out;
  json_writer j(out);
  j.begin_object();
  if (m.is_request()) {
    j.field("type", "request");
    j.field("method", m.method_token());
    j.key("request_uri");
    write_uri(j, m.request_uri());
  } else {
    j.field("type", "response");
    j.field("status", std::int64_t{m.status_code()});
    j.field("reason", m.reason_phrase());
  }
  j.field("version", "SIP/2.0");
  j.key("headers");
  j.begin_array();
  for (const header_field& h : m.headers()) {
    j.begin_object();
    j.field("name", m.name(h));
    j.field("id", header_id_name(h.id));
    j.field("value", m.value(h));
    write_typed(j, h.id, m.value(h));
    j.end_object();
  }
  j.end_array();
  j.field("body_length", static_cast<std::int64_t>(m.body().size()));
  j.end_object();
  out += '\n';
  return out;
}

int report(std::ostream& err, parse_error e) {
  err << "sipring parse: " << code_name(e.code) << " at offset " << e.offset << ": "
      << reason_phrase(e.code) << " (SIP status " << response_status(e.code) << ")\n";
  return 1;
}

}  // namespace

int run_parse_command(const parse_command_options& options, std::istream& in, std::ostream& out,
                      std::ostream& err) {
  std::ifstream file;
  std::istream* source = &in;
  if (!options.path.empty() && options.path != "-") {
    file.open(options.path, std::ios::binary);
    if (!file) {
      err << "sipring parse: cannot read " << options.path << "\n";
      return 2;
    }
    source = &file;
  }
  // Read one byte more than the limit, to tell "at the limit" from "over it".
  std::string bytes(max_input + 1, '\0');
  source->read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(source->gcount()));
  if (bytes.size() > max_input) return report(err, {error_code::message_too_large, max_input});

  parse_options po;
  po.transport = options.stream ? transport_kind::stream : transport_kind::datagram;
  std::vector<header_field> storage(po.limits.max_headers);
  const parse_result r = parse(bytes, storage, po);
  if (!r.ok()) return report(err, r.error);
  const std::uint32_t start = static_cast<std::uint32_t>(r.message.bytes().data() - bytes.data());
  if (const parse_error e = check_typed_headers(r.message); e.code != error_code::none)
    return report(err, {e.code, e.offset + start});
  out << describe(r.message);
  return 0;
}

}  // namespace sipring::app
