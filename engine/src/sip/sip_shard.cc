#include "sipring/sip/sip_shard.h"

#include <random>

#include "sipring/parser/error.h"
#include "sipring/parser/numeric_headers.h"
#include "sipring/parser/parse.h"
#include "sipring/parser/response_builder.h"
#include "sipring/parser/uri.h"
#include "sipring/runtime/log.h"
#include "sipring/sip/request_checks.h"
#include "sipring/sip/response_flow.h"
#include "sipring/sip/salvaged_response.h"

namespace sipring::sip {

namespace {

constexpr std::string_view allow_line =
    "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, MESSAGE, SUBSCRIBE, NOTIFY, REFER, INFO, UPDATE, PRACK\r\n";

std::string_view printable_prefix(std::string_view bytes) noexcept {
  const std::size_t eol = bytes.find_first_of("\r\n");
  return bytes.substr(0, std::min<std::size_t>(eol == std::string_view::npos ? bytes.size() : eol, 120));
}

std::string source_text(const transport::flow& f) {
  return std::string(transport::protocol_name(f.transport)) + " " + f.remote.to_string();
}

}  // namespace

sip_shard::sip_shard(transport::transport_layer& transports, const sip_settings& settings)
    : _transports(transports), _settings(settings), _headers(settings.limits.max_headers),
      _out(settings.limits.max_message_size + 4096) {
  std::random_device rd;
  _tag_secret = (std::uint64_t{rd()} << 32) ^ rd();
}

sip_shard::~sip_shard() = default;

transport::message_sink sip_shard::sink_for(sip_shard* self) noexcept {
  return {self, &deliver, &closed};
}

void sip_shard::deliver(void* self, transport::inbound_message& m) { static_cast<sip_shard*>(self)->on_message(m); }

void sip_shard::closed(void*, const transport::flow&) {}

void sip_shard::on_message(transport::inbound_message& m) {
  parser::parse_options options;
  options.transport = transport::is_stream(m.from.transport) ? parser::transport_kind::stream
                                                              : parser::transport_kind::datagram;
  options.limits = _settings.limits;
  if (m.truncated) {
    // Only the datagram's start arrived: the message is larger than any we accept.
    on_unparsed(m, {parser::error_code::message_too_large, 0});
    return;
  }
  const parser::parse_result r = parser::parse(m.bytes, _headers, options);
  if (!r.ok()) {
    on_unparsed(m, r.error);
    return;
  }
  if (runtime::log_enabled(runtime::log_level::debug))
    SIPRING_LOG(debug, "sip", "in from %s: %.*s", source_text(m.from).c_str(),
                static_cast<int>(m.bytes.size()), m.bytes.data());
  if (r.message.is_request()) {
    ++_stats.requests;
    on_request(m, r.message);
  } else {
    ++_stats.responses;
    on_response(m, r.message);
  }
}

void sip_shard::on_unparsed(transport::inbound_message& m, const parser::parse_error& e) {
  const std::uint16_t status = parser::response_status(e.code) != 0 ? parser::response_status(e.code) : 400;
  const std::string_view reason = parser::reason_phrase(e.code);
  // A tag from the raw bytes: retransmissions of the same bad request get the same one.
  std::uint64_t h = _tag_secret ^ 0xcbf29ce484222325ULL;
  for (const char c : m.bytes.substr(0, 512)) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  char tag[17];
  for (int i = 0; i < 16; ++i) tag[i] = "0123456789abcdef"[(h >> (4 * i)) & 15];
  const salvaged_response s =
      build_salvaged_response(m.bytes, status, reason, {tag, 16}, std::span<char>(_out.data(), _out.size()));
  if (s.size == 0) {
    ++_stats.dropped;
    SIPRING_LOG(info, "sip", "dropped a message from %s: %.*s (no answer possible: %s); starts \"%.*s\"",
                source_text(m.from).c_str(), static_cast<int>(reason.size()), reason.data(),
                m.bytes.starts_with("SIP/") ? "a response" : "no usable Via",
                static_cast<int>(printable_prefix(m.bytes).size()), printable_prefix(m.bytes).data());
    return;
  }
  ++_stats.refused;
  SIPRING_LOG(info, "sip", "refused a request from %s: %u %.*s; starts \"%.*s\"", source_text(m.from).c_str(),
              static_cast<unsigned>(status), static_cast<int>(reason.size()), reason.data(),
              static_cast<int>(printable_prefix(m.bytes).size()), printable_prefix(m.bytes).data());
  (void)_transports.send(response_flow(s.top_via, m.from), std::string_view(_out.data(), s.size));
}

std::string_view sip_shard::stateless_tag(const parser::message_view& request) noexcept {
  // FNV-1a over what identifies the request (§17.2.3 without the method's ACK mapping) and a
  // per-process secret, so a retransmission gets the same tag and nobody can predict it.
  std::uint64_t h = _tag_secret ^ 0xcbf29ce484222325ULL;
  auto mix = [&h](std::string_view s) {
    for (const char c : s) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  };
  mix(request.value_of(parser::header_id::call_id));
  mix(request.value_of(parser::header_id::from));
  mix(request.value_of(parser::header_id::cseq));
  mix(request.value_of(parser::header_id::via));
  for (int i = 0; i < 16; ++i) _tag[i] = "0123456789abcdef"[(h >> (4 * i)) & 15];
  return {_tag, 16};
}

void sip_shard::answer(const parser::message_view& request, const parser::via& top, const transport::flow& from,
                       std::uint16_t status, std::string_view reason, std::string_view extra) {
  if (request.method() == parser::method_id::ack) return;  // an ACK is never answered
  parser::response_options o;
  o.to_tag = stateless_tag(request);
  o.extra_headers = extra;
  const std::size_t n = parser::build_response(request, status, reason, o, std::span<char>(_out.data(), _out.size()));
  if (n == 0) {
    SIPRING_LOG(warn, "sip", "could not build a %u response to a request from %s", static_cast<unsigned>(status),
                source_text(from).c_str());
    return;
  }
  if (status >= 300) {
    ++_stats.refused;
    if (reason.empty()) reason = parser::default_reason(status);
    SIPRING_LOG(info, "sip", "refused %.*s %.*s from %s: %u %.*s", static_cast<int>(request.method_token().size()),
                request.method_token().data(), static_cast<int>(request.request_uri().size()),
                request.request_uri().data(), source_text(from).c_str(), static_cast<unsigned>(status),
                static_cast<int>(reason.size()), reason.data());
  }
  if (runtime::log_enabled(runtime::log_level::debug))
    SIPRING_LOG(debug, "sip", "out to %s: %.*s", source_text(from).c_str(), static_cast<int>(n), _out.data());
  (void)_transports.send(response_flow(top, from), std::string_view(_out.data(), n));
}

void sip_shard::on_request(transport::inbound_message& m, const parser::message_view& request) {
  // The top Via says where answers go; parse() guarantees one is present.
  parser::via top;
  bool have_top = false;
  const parser::error_code via_error = parser::for_each_via(request.value_of(parser::header_id::via), [&](const parser::via& v) {
    top = v;
    have_top = true;
    return false;
  });
  if (via_error != parser::error_code::none || !have_top) {
    ++_stats.dropped;
    SIPRING_LOG(info, "sip", "dropped %.*s from %s: the top Via does not parse (no answer possible)",
                static_cast<int>(request.method_token().size()), request.method_token().data(),
                source_text(m.from).c_str());
    return;
  }

  parser::uri ruri;
  if (parser::parse_uri(request.request_uri(), ruri) != parser::error_code::none) {
    answer(request, top, m.from, 400, "Bad Request-URI");
    return;
  }
  if (refusal r = check_request(request, ruri, _settings.identity)) {
    answer(request, top, m.from, r.status, r.reason, r.extra_headers);
    return;
  }

  const bool to_us = ruri.user.empty() && _settings.identity.is_our_domain(ruri.host);
  // §16.3 step 3: Max-Forwards 0 ends the request here, except an OPTIONS, which a proxy may
  // answer itself.
  std::uint8_t hops = 70;
  const bool has_max_forwards = request.find(parser::header_id::max_forwards) != nullptr;
  if (has_max_forwards) (void)parser::parse_max_forwards(request.value_of(parser::header_id::max_forwards), hops);
  if (has_max_forwards && hops == 0 && !(request.method() == parser::method_id::options)) {
    answer(request, top, m.from, 483, "Too Many Hops");
    return;
  }

  if (request.method() == parser::method_id::options && (to_us || hops == 0)) {
    std::string extra(allow_line);
    extra += "Accept: application/sdp\r\nSupported: path\r\n";
    answer(request, top, m.from, 200, "OK", extra);
    return;
  }
  if (request.method() == parser::method_id::ack) return;  // no transaction to match yet

  if (!_settings.identity.is_our_domain(ruri.host)) {
    answer(request, top, m.from, 403, "Forbidden (not relaying)");
    return;
  }
  answer(request, top, m.from, 404, "Not Found");
}

void sip_shard::on_response(transport::inbound_message& m, const parser::message_view& response) {
  ++_stats.dropped;
  SIPRING_LOG(info, "sip", "dropped a %u response from %s: no transaction", static_cast<unsigned>(response.status_code()),
              source_text(m.from).c_str());
}

}  // namespace sipring::sip
