#include "sipring/parser/event.h"

#include <limits>

#include "char_class.h"
#include "sipring/parser/header_params.h"
#include "sipring/parser/header_values.h"
#include "sipring/parser/numeric_headers.h"
#include "token_text.h"

namespace sipring::parser {

namespace {

// token-nodot (RFC 6665 §8.4): token without '.'.
constexpr bool is_token_nodot(char c) noexcept { return c != '.' && chars::is_token(c); }

// Length of the event-type at the start of `v` (token-nodot *("." token-nodot)); 0 when the
// first part is missing. `ok` is false when a '.' is not followed by another part.
std::size_t event_type_length(std::string_view v, bool& ok) noexcept {
  std::size_t i = 0;
  ok = true;
  for (;;) {
    const std::size_t part = i;
    while (i < v.size() && is_token_nodot(v[i])) ++i;
    if (i == part) {
      ok = false;
      return i;
    }
    if (i >= v.size() || v[i] != '.') return i;
    ++i;
  }
}

// Splits `v` after its leading element of length `n`: what follows must be LWS then the end
// or ';'. Stores the parameter text and returns true when it does.
bool split_params(std::string_view v, std::size_t n, std::string_view& params) noexcept {
  while (n < v.size() && is_lws(v[n])) ++n;
  if (n < v.size() && v[n] != ';') return false;
  params = v.substr(n);
  return true;
}

// A parameter that must carry an unquoted value.
constexpr bool has_plain_value(const header_param& p) noexcept { return p.has_value && !p.quoted; }

}  // namespace

error_code parse_event(std::string_view value, event& out) noexcept {
  const std::string_view v = trim_lws(value);
  bool ok = false;
  const std::size_t n = event_type_length(v, ok);
  std::string_view params;
  if (!ok || !split_params(v, n, params)) return error_code::bad_event;

  std::string_view id;
  bool has_id = false;
  header_param_reader reader(params);
  header_param p;
  while (reader.next(p)) {
    if (!iequals(p.name, "id")) continue;
    if (has_id || !has_plain_value(p) || !is_token_text(p.value)) return error_code::bad_event;
    has_id = true;
    id = p.value;
  }
  if (reader.error() != error_code::none) return reader.error();

  out.package = v.substr(0, n);
  out.id = id;
  out.params = params;
  return error_code::none;
}

error_code parse_subscription_state(std::string_view value, subscription_state& out) noexcept {
  using kind = subscription_state::value_kind;
  const std::string_view v = trim_lws(value);
  std::size_t n = 0;
  while (n < v.size() && chars::is_token(v[n])) ++n;
  std::string_view params;
  if (n == 0 || !split_params(v, n, params)) return error_code::bad_subscription_state;

  subscription_state s;
  s.state_token = v.substr(0, n);
  s.state = iequals(s.state_token, "active")       ? kind::active
            : iequals(s.state_token, "pending")    ? kind::pending
            : iequals(s.state_token, "terminated") ? kind::terminated
                                                   : kind::extension;
  s.params = params;

  // delta-seconds of expires / retry-after into `seconds`; `seen` rejects a repeat.
  auto read_seconds = [](const header_param& p, bool& seen, std::uint32_t& seconds) {
    if (seen || !has_plain_value(p)) return error_code::bad_subscription_state;
    std::uint64_t v64 = 0;
    const error_code e = parse_uint(p.value, std::numeric_limits<std::uint32_t>::max(), v64);
    if (e == error_code::bad_header_value) return error_code::bad_subscription_state;
    if (e != error_code::none) return e;  // bad_number
    seen = true;
    seconds = static_cast<std::uint32_t>(v64);
    return error_code::none;
  };

  bool has_reason = false;
  header_param_reader reader(params);
  header_param p;
  while (reader.next(p)) {
    error_code e = error_code::none;
    if (iequals(p.name, "reason")) {
      if (has_reason || !has_plain_value(p) || !is_token_text(p.value))
        return error_code::bad_subscription_state;
      has_reason = true;
      s.reason = p.value;
    } else if (iequals(p.name, "expires")) {
      e = read_seconds(p, s.has_expires, s.expires);
    } else if (iequals(p.name, "retry-after")) {
      e = read_seconds(p, s.has_retry_after, s.retry_after);
    }
    if (e != error_code::none) return e;
  }
  if (reader.error() != error_code::none) return reader.error();

  out = s;
  return error_code::none;
}

}  // namespace sipring::parser
