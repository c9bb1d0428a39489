#include "messages.h"

#include <arpa/inet.h>

#include "sipring/crypto/digest_hash.h"
#include "sipring/parser/auth.h"
#include "sipring/parser/header_params.h"

namespace sipring::load {

bool decode_call_id(std::string_view call_id, transaction_id& out) noexcept {
  if (call_id.size() < 17 || call_id[16] != '-') return false;
  std::uint64_t v = 0;
  for (int i = 0; i < 16; ++i) {
    const char c = call_id[i];
    unsigned d;
    if (c >= '0' && c <= '9') d = static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f') d = static_cast<unsigned>(c - 'a' + 10);
    else return false;
    v = (v << 4) | d;
  }
  out.slot = static_cast<std::uint32_t>(v >> 32);
  out.generation = static_cast<std::uint32_t>(v);
  return true;
}

message_factory::message_factory(const load_options& o, unsigned shard, std::uint32_t run_nonce,
                                 std::uint16_t via_port)
    : _domain(o.domain) {
  const char* token = o.transport == transport_kind::udp ? "UDP" : o.transport == transport_kind::tcp ? "TCP" : "TLS";
  _via = std::string("Via: SIP/2.0/") + token + " " + o.local_ip + ":" + std::to_string(via_port) +
         ";rport;branch=z9hG4bK";
  char tail[64];
  std::snprintf(tail, sizeof tail, "-%02x-%08x@sipring-load", shard & 0xff, run_nonce);
  _call_id_tail = tail;
  _contact_host = "@" + o.local_ip + ":";
  if (o.transport != transport_kind::udp) _transport_param = std::string(";transport=") + name(o.transport);
  _sdp = "v=0\r\no=load 1 1 IN IP4 " + o.local_ip + "\r\ns=-\r\nc=IN IP4 " + o.local_ip +
         "\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
}

void message_factory::branch(sip_writer& w, const request_args& a) const {
  w.put(_via).put_hex(a.id.packed(), 16).put("-").put_hex(a.branch, 8).put("\r\n");
}

void message_factory::ids(sip_writer& w, const request_args& a, std::string_view method) const {
  w.put("Call-ID: ").put_hex(a.id.packed(), 16).put(_call_id_tail).put("\r\nCSeq: ").put_uint(a.cseq).put(" ");
  w.put(method).put("\r\n");
}

void message_factory::request_uri(sip_writer& w, scenario_kind s, const request_args& a) const {
  w.put("sip:");
  if (s == scenario_kind::message || s == scenario_kind::call) w.put("user").put_uint(a.peer).put("@");
  w.put(_domain);
}

void message_factory::head(sip_writer& w, std::string_view method, const request_args& a, bool user_ruri,
                           std::uint32_t ruri_user, std::uint32_t to_user) const {
  w.put(method).put(" sip:");
  if (user_ruri) w.put("user").put_uint(ruri_user).put("@");
  w.put(_domain).put(" SIP/2.0\r\n");
  branch(w, a);
  w.put("Max-Forwards: 70\r\nFrom: <sip:user").put_uint(a.user).put("@").put(_domain).put(">;tag=f");
  w.put_hex(a.id.packed(), 16).put("\r\nTo: <sip:");
  if (to_user != UINT32_MAX) w.put("user").put_uint(to_user).put("@");
  w.put(_domain).put(">\r\n");
  ids(w, a, method);
}

void message_factory::register_request(sip_writer& w, const request_args& a) const {
  head(w, "REGISTER", a, false, 0, a.user);
  w.put("Contact: <sip:user").put_uint(a.user).put(_contact_host).put_uint(a.contact_port).put(_transport_param);
  w.put(a.unregister ? ">\r\nExpires: 0\r\n" : ">\r\nExpires: 3600\r\n").put(a.authorization).put("Content-Length: 0\r\n\r\n");
}

void message_factory::options_request(sip_writer& w, const request_args& a) const {
  head(w, "OPTIONS", a, false, 0, UINT32_MAX);
  w.put("Accept: application/sdp\r\nContent-Length: 0\r\n\r\n");
}

void message_factory::message_request(sip_writer& w, const request_args& a) const {
  head(w, "MESSAGE", a, true, a.peer, a.peer);
  w.put(a.authorization).put("Content-Type: text/plain\r\nContent-Length: 22\r\n\r\nsipring-load message.\n");
}

void message_factory::invite_request(sip_writer& w, const request_args& a) const {
  head(w, "INVITE", a, true, a.peer, a.peer);
  w.put("Contact: <sip:user").put_uint(a.user).put(_contact_host).put_uint(a.contact_port).put(_transport_param);
  w.put(">\r\n").put(a.authorization).put("Content-Type: application/sdp\r\nContent-Length: ").put_uint(_sdp.size());
  w.put("\r\n\r\n").put(_sdp);
}

void message_factory::ack_non_2xx(sip_writer& w, const request_args& a, std::string_view to) const {
  w.put("ACK sip:user").put_uint(a.peer).put("@").put(_domain).put(" SIP/2.0\r\n");
  branch(w, a);
  w.put("Max-Forwards: 70\r\nFrom: <sip:user").put_uint(a.user).put("@").put(_domain).put(">;tag=f");
  w.put_hex(a.id.packed(), 16).put("\r\nTo: ").put(to).put("\r\n");
  ids(w, a, "ACK");
  w.put("Content-Length: 0\r\n\r\n");
}

void message_factory::in_dialog(sip_writer& w, std::string_view method, const request_args& a,
                                std::string_view target, std::string_view routes, std::string_view to) const {
  w.put(method).put(" ").put(target).put(" SIP/2.0\r\n");
  branch(w, a);
  w.put(routes);
  w.put("Max-Forwards: 70\r\nFrom: <sip:user").put_uint(a.user).put("@").put(_domain).put(">;tag=f");
  w.put_hex(a.id.packed(), 16).put("\r\nTo: ").put(to).put("\r\n");
  ids(w, a, method);
  w.put("Content-Length: 0\r\n\r\n");
}

bool write_digest_answer(sip_writer& w, std::uint16_t status, std::string_view challenge_value,
                         std::string_view user, std::string_view password, std::string_view method,
                         std::string_view uri, std::uint64_t cnonce) {
  parser::challenge c;
  if (parser::parse_challenge(challenge_value, c) != parser::error_code::none || !c.is_digest) return false;
  if (!c.algorithm.empty() && !parser::iequals(c.algorithm, "MD5")) return false;
  using crypto::hash_algorithm;
  char ha1[32], ha2[32], response[32], cn[16];
  const bool qop = parser::qop_offers(c.qop, "auth");
  {
    sip_writer cw(cn, sizeof cn);
    cw.put_hex(cnonce, 16);
  }
  const std::string_view cnonce_text(cn, 16);
  if (!crypto::hash_hex_joined(hash_algorithm::md5, {user, c.realm, password}, ha1) ||
      !crypto::hash_hex_joined(hash_algorithm::md5, {method, uri}, ha2))
    return false;
  const std::string_view h1(ha1, 32), h2(ha2, 32);
  const bool ok = qop ? crypto::hash_hex_joined(hash_algorithm::md5, {h1, c.nonce, "00000001", cnonce_text, "auth", h2},
                                                response)
                      : crypto::hash_hex_joined(hash_algorithm::md5, {h1, c.nonce, h2}, response);
  if (!ok) return false;
  w.put(status == 407 ? "Proxy-Authorization" : "Authorization").put(": Digest username=\"").put(user);
  w.put("\", realm=\"").put(c.realm).put("\", nonce=\"").put(c.nonce).put("\", uri=\"").put(uri);
  w.put("\", response=\"").put(std::string_view(response, 32)).put("\", algorithm=MD5");
  if (qop) w.put(", qop=auth, nc=00000001, cnonce=\"").put(cnonce_text).put("\"");
  if (!c.opaque.empty()) w.put(", opaque=\"").put(c.opaque).put("\"");
  w.put("\r\n");
  return !w.overflowed();
}

}  // namespace sipring::load
