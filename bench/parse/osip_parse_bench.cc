// BM_Parse/osip/<message>: GNU oSIP's parser (osip_message_parse) on each message in
// bench/data, followed by reading the same headers as the sofia-sip benchmark, then freeing
// the message. libosip2 is linked into the benchmark only, as a reference.

#include <benchmark/benchmark.h>
#include <osipparser2/osip_parser.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "bench_messages.h"

namespace {

using sipring::bench::expected_message;
using sipring::bench::parsed_summary;

// oSIP's lookup functions take `char*` names; these are never written to.
char branch_name[] = "branch";
char tag_name[] = "tag";

struct message_deleter {
  void operator()(osip_message_t* sip) const { osip_message_free(sip); }
};
using message_ptr = std::unique_ptr<osip_message_t, message_deleter>;

// Parses `bytes` into a new message; null on any error.
message_ptr parse(const std::string& bytes) {
  osip_message_t* sip = nullptr;
  if (osip_message_init(&sip) != 0) return nullptr;
  message_ptr owned(sip);
  if (osip_message_parse(sip, bytes.data(), bytes.size()) != 0) return nullptr;
  return owned;
}

std::uint64_t first_byte(const char* s) { return s ? static_cast<unsigned char>(s[0]) : 0; }

const char* param(osip_list_t* params, char* name) {
  osip_generic_param_t* p = nullptr;
  osip_uri_param_get_byname(params, name, &p);
  return p ? p->gvalue : nullptr;
}

const char* host(const osip_uri_t* uri) { return uri ? uri->host : nullptr; }

// Max-Forwards is kept as a generic header by oSIP: find it and convert it, as sofia-sip does
// while parsing. -1 when absent.
long max_forwards(osip_message_t* sip) {
  osip_header_t* h = nullptr;
  osip_message_get_max_forwards(sip, 0, &h);
  return h && h->hvalue ? std::strtol(h->hvalue, nullptr, 10) : -1;
}

std::uint32_t to_u32(const char* s) {
  return s ? static_cast<std::uint32_t>(std::strtoul(s, nullptr, 10)) : 0;
}

// The number of header entries oSIP kept, across its typed lists and its generic list.
int header_fields(const osip_message_t* sip) {
  int n = osip_list_size(&sip->vias) + osip_list_size(&sip->routes) +
          osip_list_size(&sip->record_routes) + osip_list_size(&sip->contacts) +
          osip_list_size(&sip->allows) + osip_list_size(&sip->accepts) +
          osip_list_size(&sip->authorizations) + osip_list_size(&sip->proxy_authorizations) +
          osip_list_size(&sip->www_authenticates) + osip_list_size(&sip->proxy_authenticates) +
          osip_list_size(&sip->call_infos) + osip_list_size(&sip->headers);
  n += (sip->from != nullptr) + (sip->to != nullptr) + (sip->call_id != nullptr) +
       (sip->cseq != nullptr) + (sip->content_length != nullptr) + (sip->content_type != nullptr) +
       (sip->mime_version != nullptr);
  return n;
}

// Calls `f` on each element of an oSIP list of `T`.
template <typename T, typename F>
void for_each(osip_list_t* list, F f) {
  osip_list_iterator_t it;
  for (auto* e = static_cast<T*>(osip_list_get_first(list, &it)); e;
       e = static_cast<T*>(osip_list_get_next(&it)))
    f(e);
}

// The same per-message work as the sofia-sip benchmark: start line, header-field count, each
// Via (host, port, branch), From/To (host, tag), CSeq, Call-ID, each Contact, Max-Forwards,
// Content-Length, each Route and Record-Route. oSIP leaves numbers as text and Via/From/To
// parameters in lists, so converting and looking them up is part of its work here.
std::uint64_t touch(osip_message_t* sip) {
  std::uint64_t sum = 0;
  if (MSG_IS_REQUEST(sip))
    sum += first_byte(sip->sip_method) + first_byte(host(sip->req_uri));
  else
    sum += static_cast<std::uint64_t>(sip->status_code);
  sum += static_cast<std::uint64_t>(header_fields(sip));
  for_each<osip_via_t>(&sip->vias, [&](osip_via_t* v) {
    sum +=
        first_byte(v->host) + first_byte(v->port) + first_byte(param(&v->via_params, branch_name));
  });
  sum += first_byte(host(sip->from->url)) + first_byte(param(&sip->from->gen_params, tag_name));
  sum += first_byte(host(sip->to->url)) + first_byte(param(&sip->to->gen_params, tag_name));
  sum += to_u32(sip->cseq->number) + first_byte(sip->cseq->method);
  sum += first_byte(sip->call_id->number);
  for_each<osip_contact_t>(&sip->contacts,
                           [&](osip_contact_t* m) { sum += first_byte(host(m->url)); });
  sum += static_cast<std::uint64_t>(max_forwards(sip));
  if (sip->content_length) sum += to_u32(sip->content_length->value);
  for_each<osip_route_t>(&sip->routes, [&](osip_route_t* r) { sum += first_byte(host(r->url)); });
  for_each<osip_record_route_t>(&sip->record_routes,
                                [&](osip_record_route_t* r) { sum += first_byte(host(r->url)); });
  return sum;
}

std::string str(const char* s) { return s ? s : ""; }

// Checks once, outside the timing, that oSIP parsed the message fully and correctly.
std::string check(const std::string& bytes, const expected_message& want) {
  if (bytes.empty()) return "cannot read bench/data/" + std::string(want.name) + ".sip";
  message_ptr msg = parse(bytes);
  if (!msg) return "osip_message_parse failed";
  osip_message_t* sip = msg.get();
  if (osip_list_size(&sip->vias) == 0 || !sip->from || !sip->to || !sip->cseq || !sip->call_id ||
      osip_list_size(&sip->contacts) == 0 || !sip->content_length)
    return "a required header is missing";

  // oSIP keeps each comma-separated value (Allow, Supported) as its own entry, so it may
  // count more entries than header lines, never fewer.
  if (header_fields(sip) < want.header_fields)
    return "header fields: expected at least " + std::to_string(want.header_fields) + ", got " +
           std::to_string(header_fields(sip));

  parsed_summary got;
  if (MSG_IS_REQUEST(sip))
    got.method = str(sip->sip_method);
  else
    got.status = sip->status_code;
  got.vias = osip_list_size(&sip->vias);
  auto* top = static_cast<osip_via_t*>(osip_list_get(&sip->vias, 0));
  got.top_branch = str(param(&top->via_params, branch_name));
  got.from_tag = str(param(&sip->from->gen_params, tag_name));
  got.to_tag = str(param(&sip->to->gen_params, tag_name));
  got.call_id = str(sip->call_id->number);
  if (sip->call_id->host) got.call_id += "@" + str(sip->call_id->host);
  got.cseq = to_u32(sip->cseq->number);
  got.cseq_method = str(sip->cseq->method);
  got.contacts = osip_list_size(&sip->contacts);
  got.max_forwards = max_forwards(sip);
  got.content_length = to_u32(sip->content_length->value);
  got.routes = osip_list_size(&sip->routes);
  got.record_routes = osip_list_size(&sip->record_routes);
  return sipring::bench::compare(want, got);
}

void parse_message(benchmark::State& state, const expected_message& want) {
  static const int parser_ready = parser_init();  // oSIP's header tables, built once
  if (parser_ready != 0) {
    state.SkipWithError("osip: parser_init failed");
    return;
  }
  const std::string& bytes = sipring::bench::load_message(want.name);
  if (std::string why = check(bytes, want); !why.empty()) {
    state.SkipWithError(("osip: " + std::string(want.name) + ": " + why).c_str());
    return;
  }
  for (auto _ : state) {
    message_ptr msg = parse(bytes);
    if (!msg) {
      state.SkipWithError("parse failed while timing");
      break;
    }
    std::uint64_t sum = touch(msg.get());
    benchmark::DoNotOptimize(sum);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

[[maybe_unused]] const bool registered = [] {
  for (const expected_message& m : sipring::bench::bench_messages)
    benchmark::RegisterBenchmark(("BM_Parse/osip/" + std::string(m.name)).c_str(), parse_message,
                                 m);
  return true;
}();

}  // namespace
