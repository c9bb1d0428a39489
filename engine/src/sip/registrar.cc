#include "sipring/sip/registrar.h"

#include <chrono>
#include <vector>

#include "sipring/parser/call_id.h"
#include "sipring/parser/cseq.h"
#include "sipring/parser/header_params.h"
#include "sipring/parser/header_values.h"
#include "sipring/parser/name_addr.h"
#include "sipring/parser/numeric_headers.h"
#include "sipring/parser/option_tags.h"
#include "sipring/parser/uri.h"
#include "sipring/sip/aor.h"

namespace sipring::sip {

namespace {

using parser::error_code;
using parser::header_id;

// RFC 3261 §10.3 step 7: a registrar may answer 423 only to an interval below one hour.
constexpr std::uint32_t one_hour = 3600;

enum class to_result { ok, bad_to, not_sip };

to_result aor_key_of_to(const parser::message_view& request, std::string& key) {
  key.clear();
  parser::name_addr na;
  parser::uri u;
  if (parser::parse_name_addr_uri(request.value_of(header_id::to), na, u) != error_code::none)
    return to_result::bad_to;
  if (u.scheme != parser::uri_scheme::sip && u.scheme != parser::uri_scheme::sips) return to_result::not_sip;
  return make_aor_key(u, key) ? to_result::ok : to_result::bad_to;
}

// One Contact of the request, checked, with the interval it asks for.
struct contact_plan {
  std::string_view text;  ///< the URI as written (a view of the request)
  parser::uri uri;
  std::uint32_t expires = 0;
  std::uint16_t q = 1000;
  bool has_q = false;
  std::string_view instance;  ///< without quotes
  std::uint32_t reg_id = 0;
  bool has_reg_id = false;
};

// Reads +sip.instance and reg-id (RFC 5626 §4.2) from a Contact's header parameters.
bool read_outbound_params(std::string_view params, contact_plan& c) {
  parser::header_param_reader reader(params);
  parser::header_param p;
  while (reader.next(p)) {
    if (parser::iequals(p.name, "+sip.instance") && p.has_value) {
      c.instance = parser::unquote(p.value);
    } else if (parser::iequals(p.name, "reg-id") && p.has_value) {
      if (!parser::parse_delta_seconds(p.value, c.reg_id)) return false;
      c.has_reg_id = true;
    }
  }
  return reader.error() == error_code::none;
}

// Whether stored binding `b` has the contact of `c` (URI comparison, RFC 3261 §10.3 step 7).
bool same_contact(const binding& b, const contact_plan& c) noexcept {
  parser::uri stored;
  if (parser::parse_uri(b.contact, stored) != error_code::none) return b.contact == c.text;
  return parser::uri_equal(stored, c.uri);
}

const binding* find_contact(std::span<const binding> current, const contact_plan& c) noexcept {
  for (const binding& b : current)
    if (same_contact(b, c)) return &b;
  return nullptr;
}

// The bytes of one Contact line of the 200 at most (append_contact_line): the URI, the
// instance, and the fixed text and numbers around them.
std::size_t contact_line_bound(std::string_view uri, std::string_view instance) noexcept {
  return uri.size() + instance.size() + 80;
}

// Whether the AoR, once `contacts` are applied to `current` (no `Contact: *`), stays within the
// limits: `max_count` bindings and `max_bytes` of Contact lines in the 200 (0: no limit).
bool within_limits(std::span<const binding> current, std::span<const contact_plan> contacts,
                   std::uint32_t max_count, std::size_t max_bytes) noexcept {
  // Every REGISTER comes here: when even keeping every binding and adding every Contact stays
  // within the limits, skip the URI comparisons below.
  std::size_t most_bytes = 0;
  for (const binding& b : current) most_bytes += contact_line_bound(b.contact, b.instance);
  for (const contact_plan& c : contacts) most_bytes += contact_line_bound(c.text, c.instance);
  if ((max_count == 0 || current.size() + contacts.size() <= max_count) && (max_bytes == 0 || most_bytes <= max_bytes))
    return true;
  std::size_t count = 0, bytes = 0;
  for (const binding& b : current) {
    const contact_plan* last = nullptr;  // the request's last word on this binding
    for (const contact_plan& c : contacts)
      if (same_contact(b, c)) last = &c;
    if (last != nullptr && last->expires == 0) continue;
    ++count;
    bytes += last != nullptr ? contact_line_bound(last->text, last->instance) : contact_line_bound(b.contact, b.instance);
  }
  for (std::size_t i = 0; i < contacts.size(); ++i) {
    const contact_plan& c = contacts[i];
    if (c.expires == 0 || find_contact(current, c) != nullptr) continue;
    bool repeated_later = false;  // the same contact twice in one request: the last one counts
    for (std::size_t j = i + 1; j < contacts.size() && !repeated_later; ++j)
      repeated_later = parser::uri_equal(c.uri, contacts[j].uri);
    if (repeated_later) continue;
    ++count;
    bytes += contact_line_bound(c.text, c.instance);
  }
  return (max_count == 0 || count <= max_count) && (max_bytes == 0 || bytes <= max_bytes);
}

// Like Kamailio's and OpenSIPS's registrar (max_contacts, R_TOO_MANY): 503 with this reason.
constexpr register_outcome too_many_contacts{503, "Too many registered contacts"};

// RFC 3261 §10.3 steps 6 and 7 leave the status of an out-of-order REGISTER open ("the update
// MUST be aborted and the request fails"). We answer 400 "Invalid CSeq number", as Kamailio and
// OpenSIPS do (their registrar's R_INV_CSEQ): operators know that line from those servers, and
// the fault is the request's (a stale or replayed REGISTER), not the server's, so a 5xx (which
// tells the client to retry, and pages whoever watches server errors) would mislead.
constexpr register_outcome out_of_order{400, "Invalid CSeq number"};

bool refuses(const binding& b, std::string_view call_id, std::uint32_t cseq) noexcept {
  return b.call_id == call_id && cseq <= b.cseq;
}

void append_unfolded(std::string& out, std::string_view v) {
  for (const char c : v) out.push_back(c == '\r' || c == '\n' ? ' ' : c);
}

void append_q(std::string& out, std::uint16_t q) {
  if (q >= 1000) {
    out += '1';
    return;
  }
  out += '0';
  if (q == 0) return;
  char digits[4] = {'.', static_cast<char>('0' + q / 100), static_cast<char>('0' + q / 10 % 10),
                    static_cast<char>('0' + q % 10)};
  std::size_t n = 4;
  while (digits[n - 1] == '0') --n;
  out.append(digits, n);
}

void append_contact_line(std::string& out, const binding& b, location_partition::clock::time_point now) {
  const auto left = std::chrono::ceil<std::chrono::seconds>(b.expires_at - now).count();
  out += "Contact: <";
  out += b.contact;
  out += ">;expires=";
  out += std::to_string(left);
  if (b.has_q) {
    out += ";q=";
    append_q(out, b.q);
  }
  if (!b.instance.empty()) {
    out += ";+sip.instance=\"";
    out += b.instance;
    out += '"';
  }
  if (b.has_reg_id) {
    out += ";reg-id=";
    out += std::to_string(b.reg_id);
  }
  out += "\r\n";
}

}  // namespace

bool register_aor_key(const parser::message_view& request, std::string& key) {
  return aor_key_of_to(request, key) == to_result::ok;
}

bool registrar_supports(std::string_view option_tag) noexcept { return parser::iequals(option_tag, "path"); }

register_outcome registrar::process(const parser::message_view& request, const transport::flow& source,
                                    location_partition::clock::time_point now, std::string& extra_headers) {
  extra_headers.clear();
  if (!request.is_request() || request.method() != parser::method_id::register_)
    return {500, "Registrar given a request other than REGISTER"};

  // Step 2: Require (§8.2.2.3). The registrar is the UAS, so it must refuse tags it lacks.
  std::string unsupported;
  for (const parser::header_field& h : request.headers()) {
    if (h.id != header_id::require) continue;
    parser::option_tag_reader tags(request.value(h));
    std::string_view tag;
    while (tags.next(tag)) {
      if (registrar_supports(tag)) continue;
      if (!unsupported.empty()) unsupported += ", ";
      unsupported += tag;
    }
    if (tags.error() != error_code::none) return {400, "Bad Require header"};
  }
  if (!unsupported.empty()) {
    extra_headers = "Unsupported: " + unsupported + "\r\n";
    return {420, {}};
  }

  // Step 5: the address-of-record, from To.
  std::string key;
  switch (aor_key_of_to(request, key)) {
    case to_result::ok: break;
    case to_result::bad_to: return {400, "Bad To header"};
    case to_result::not_sip: return {404, "Address-of-record is not a SIP URI"};
  }

  const std::string_view call_id = request.value_of(header_id::call_id);
  if (parser::validate_call_id(call_id) != error_code::none) return {400, "Bad Call-ID header"};
  parser::cseq cseq;
  if (parser::parse_cseq(request.value_of(header_id::cseq), cseq) != error_code::none)
    return {400, "Bad CSeq header"};

  const parser::header_field* expires_header = request.find(header_id::expires);
  std::uint32_t header_expires = 0;
  if (expires_header != nullptr &&
      parser::parse_expires(request.value(*expires_header), header_expires) != error_code::none)
    return {400, "Bad Expires header"};

  // Every Contact, checked before anything changes (the request is atomic).
  bool star = false;
  std::size_t star_elements = 0;
  std::vector<contact_plan> contacts;
  for (const parser::header_field& h : request.headers()) {
    if (h.id != header_id::contact) continue;
    const std::string_view value = request.value(h);
    if (parser::is_contact_star(value)) {
      star = true;
      ++star_elements;
      continue;
    }
    parser::list_splitter elements(value);
    std::string_view element;
    while (elements.next(element))
      if (element == "*") return {400, "Contact * must be the only Contact"};
    bool bad_param = false;
    const auto fail = [&bad_param] {
      bad_param = true;
      return false;
    };
    const error_code e = parser::for_each_name_addr(value, [&](const parser::name_addr& na, const parser::uri& u) {
      contact_plan c;
      c.text = na.uri;
      c.uri = u;
      // Step 7: the Contact's expires parameter, else the Expires header, else the default.
      if (!na.expires.empty()) {
        if (!parser::parse_delta_seconds(na.expires, c.expires)) return fail();
      } else {
        c.expires = expires_header != nullptr ? header_expires : _options.default_expires;
      }
      if (!na.q.empty()) {
        if (!parser::parse_qvalue(na.q, c.q)) return fail();
        c.has_q = true;
      }
      if (!read_outbound_params(na.params, c)) return fail();
      contacts.push_back(c);
      return true;
    });
    if (e != error_code::none || bad_param) return {400, "Bad Contact header"};
  }

  // Step 6: `Contact: *` only alone and with Expires: 0.
  if (star) {
    if (star_elements > 1 || !contacts.empty()) return {400, "Contact * must be the only Contact"};
    if (expires_header == nullptr || header_expires != 0) return {400, "Contact * requires Expires: 0"};
  }

  // Step 7: intervals. Too brief -> 423 with Min-Expires; too long -> shortened.
  for (contact_plan& c : contacts) {
    if (c.expires > 0 && c.expires < _options.min_expires && c.expires < one_hour) {
      extra_headers = "Min-Expires: " + std::to_string(_options.min_expires) + "\r\n";
      return {423, {}};
    }
    if (c.expires > _options.max_expires) c.expires = _options.max_expires;
  }

  // Path (RFC 3327 §5.3): stored with each binding, echoed in the 200.
  std::vector<std::string> path;
  std::vector<std::string_view> path_values;
  for (const parser::header_field& h : request.headers()) {
    if (h.id != header_id::path) continue;
    const std::string_view value = request.value(h);
    parser::list_splitter elements(value);
    std::string_view element;
    while (elements.next(element)) {
      parser::name_addr na;
      if (element.empty() || parser::parse_name_addr(element, na) != error_code::none)
        return {400, "Bad Path header"};
      std::string stored;
      append_unfolded(stored, element);
      path.push_back(std::move(stored));
    }
    path_values.push_back(value);
  }

  // Steps 6 and 7: the Call-ID / CSeq rule, against the bindings as they are now.
  std::span<const binding> current = _partition.lookup(key, now);
  if (star) {
    for (const binding& b : current)
      if (refuses(b, call_id, cseq.number)) return out_of_order;
  }
  for (const contact_plan& c : contacts) {
    if (const binding* b = find_contact(current, c); b != nullptr && refuses(*b, call_id, cseq.number))
      return out_of_order;
  }

  // Limits: more bindings than allowed, or more than the 200 can list, refuse the request
  // whole (a `Contact: *` only removes).
  if (!star && !within_limits(current, contacts, _options.max_contacts, _options.max_contact_bytes))
    return too_many_contacts;

  // Apply: nothing below refuses the request.
  if (star) _partition.remove_all(key);
  for (const contact_plan& c : contacts) {
    current = _partition.lookup(key, now);
    const binding* existing = find_contact(current, c);
    if (c.expires == 0) {
      if (existing != nullptr) _partition.remove(key, existing->id);
      continue;
    }
    binding b;
    b.contact.assign(c.text);
    b.q = c.q;
    b.has_q = c.has_q;
    b.expires_at = now + std::chrono::seconds(c.expires);
    b.call_id.assign(call_id);
    b.cseq = cseq.number;
    b.path = path;
    b.flow = source;
    b.instance.assign(c.instance);
    b.reg_id = c.reg_id;
    b.has_reg_id = c.has_reg_id;
    if (existing != nullptr) _partition.update(key, existing->id, std::move(b));
    else _partition.add(key, std::move(b));
  }

  // Step 8: every current binding, then the Path values as received.
  for (const binding& b : _partition.lookup(key, now)) append_contact_line(extra_headers, b, now);
  for (const std::string_view value : path_values) {
    extra_headers += "Path: ";
    append_unfolded(extra_headers, value);
    extra_headers += "\r\n";
  }
  return {200, {}};
}

}  // namespace sipring::sip
