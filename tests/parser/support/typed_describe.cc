#include "typed_describe.h"

#include <sstream>

#include "sipring/parser/name_addr.h"
#include "sipring/parser/uri.h"
#include "sipring/parser/via.h"

namespace sipring::parser::testing {

namespace {

// Writes " name=offset+length" (or " name=-" when empty).
struct span_writer {
  std::ostringstream& out;
  const char* base;
  void operator()(const char* name, std::string_view s) const {
    out << ' ' << name << '=';
    if (s.empty()) out << '-';
    else out << (s.data() - base) << '+' << s.size();
  }
};

void write_uri(const span_writer& w, const uri& u) {
  w.out << " scheme=" << static_cast<int>(u.scheme);
  w("scheme_text", u.scheme_text);
  w("user", u.user);
  w("password", u.password);
  w.out << " has_password=" << u.has_password;
  w("host", u.host);
  w.out << " host_type=" << static_cast<int>(u.host_type) << " port=" << u.port
        << " has_port=" << u.has_port;
  w("params", u.params);
  w("headers", u.headers);
  w("transport", u.transport);
  w("user_param", u.user_param);
  w("method", u.method);
  w("ttl", u.ttl);
  w("maddr", u.maddr);
  w.out << " lr=" << u.lr;
  w("opaque", u.opaque);
}

}  // namespace

std::string describe_name_addrs(simd_level level, std::string_view value) {
  std::ostringstream s;
  const span_writer w{s, value.data()};
  const error_code e = for_each_name_addr_with(level, value, [&](const name_addr& na, const uri& u) {
    w("display", na.display_name);
    s << " quoted=" << na.display_quoted;
    w("uri", na.uri);
    s << " angle=" << na.angle_brackets;
    w("params", na.params);
    w("tag", na.tag);
    w("expires", na.expires);
    w("q", na.q);
    write_uri(w, u);
    s << '\n';
  });
  s << code_name(e);
  return s.str();
}

std::string describe_vias(simd_level level, std::string_view value) {
  std::ostringstream s;
  const span_writer w{s, value.data()};
  const error_code e = for_each_via_with(level, value, [&](const via& v) {
    w("name", v.protocol_name);
    w("version", v.protocol_version);
    w("transport", v.transport);
    w("host", v.sent_by.host);
    s << " kind=" << static_cast<int>(v.sent_by.kind) << " port=" << v.sent_by.port
      << " has_port=" << v.sent_by.has_port;
    w("branch", v.branch);
    w("received", v.received);
    w("maddr", v.maddr);
    w("ttl", v.ttl);
    s << " rport=" << v.has_rport << v.rport_has_value << ':' << v.rport;
    w("params", v.params);
    s << '\n';
  });
  s << code_name(e);
  return s.str();
}

std::string describe_uri(simd_level level, std::string_view text) {
  std::ostringstream s;
  uri u;
  const error_code e = parse_uri_with(level, text, u);
  s << code_name(e);
  if (e == error_code::none) write_uri(span_writer{s, text.data()}, u);
  return s.str();
}

std::string first_disagreement(std::string (*describe)(simd_level, std::string_view),
                               std::string_view text) {
  const std::string reference = describe(simd_level::scalar, text);
  for (simd_level level : {simd_level::avx2, simd_level::avx512}) {
    if (!cpu_supports(level)) continue;
    const std::string other = describe(level, text);
    if (other != reference)
      return std::string(to_string(level)) + ": " + other + " vs scalar: " + reference;
  }
  return {};
}

std::vector<std::string> mutations(std::string_view sample) {
  static constexpr std::string_view interesting = " \t\r\n<>\"\\;=,@:%[]/.-?&aZ09\x7f\x80\xff";
  std::vector<std::string> out;
  for (std::size_t i = 0; i <= sample.size(); ++i) out.emplace_back(sample.substr(0, i));
  for (std::size_t i = 0; i < sample.size(); ++i) {
    std::string deleted(sample);
    deleted.erase(i, 1);
    out.push_back(std::move(deleted));
    for (char c : interesting) {
      if (c == sample[i]) continue;
      std::string replaced(sample);
      replaced[i] = c;
      out.push_back(std::move(replaced));
    }
  }
  return out;
}

}  // namespace sipring::parser::testing
