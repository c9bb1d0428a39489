// BM_Parse/sofia/<message>: sofia-sip's SIP parser (msg_make with the default SIP message
// class) on each message in bench/data, followed by reading the headers a proxy needs, then
// freeing the message. sofia-sip is linked into the benchmark only, as a reference.

#include <benchmark/benchmark.h>
#include <sofia-sip/msg.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_protos.h>

#include <cstdint>
#include <memory>
#include <string>

#include "bench_messages.h"

namespace {

using sipring::bench::expected_message;
using sipring::bench::parsed_summary;

struct msg_deleter {
  void operator()(msg_t* msg) const { msg_destroy(msg); }
};
using msg_ptr = std::unique_ptr<msg_t, msg_deleter>;

msg_ptr parse(const std::string& bytes) {
  return msg_ptr(
      msg_make(sip_default_mclass(), 0, bytes.data(), static_cast<ssize_t>(bytes.size())));
}

std::uint64_t first_byte(const char* s) { return s ? static_cast<unsigned char>(s[0]) : 0; }

// True for fragments of the chain that are header fields, not the start line or the body.
bool is_header_field(const msg_header_t* h) {
  const auto hash = h->sh_class->hc_hash;
  return hash != sip_request_hash && hash != sip_status_hash && hash != sip_separator_hash &&
         hash != sip_payload_hash;
}

// The per-message work every library does: start line, walk of all header fields, each Via
// (host, port, branch), From/To (host, tag), CSeq, Call-ID, each Contact, Max-Forwards,
// Content-Length, each Route and Record-Route. Returns a checksum so none of it is dropped.
std::uint64_t touch(const msg_t* msg, const sip_t* sip) {
  std::uint64_t sum = 0;
  if (sip->sip_request)
    sum += first_byte(sip->sip_request->rq_method_name) +
           first_byte(sip->sip_request->rq_url->url_host);
  else if (sip->sip_status)
    sum += static_cast<std::uint64_t>(sip->sip_status->st_status);
  for (const msg_header_t* h = *msg_chain_head(msg); h; h = h->sh_succ) sum += is_header_field(h);
  for (const sip_via_t* v = sip->sip_via; v; v = v->v_next)
    sum += first_byte(v->v_host) + first_byte(v->v_port) + first_byte(v->v_branch);
  sum += first_byte(sip->sip_from->a_url->url_host) + first_byte(sip->sip_from->a_tag);
  sum += first_byte(sip->sip_to->a_url->url_host) + first_byte(sip->sip_to->a_tag);
  sum += sip->sip_cseq->cs_seq + first_byte(sip->sip_cseq->cs_method_name);
  sum += first_byte(sip->sip_call_id->i_id);
  for (const sip_contact_t* m = sip->sip_contact; m; m = m->m_next)
    sum += first_byte(m->m_url->url_host);
  if (sip->sip_max_forwards) sum += sip->sip_max_forwards->mf_count;
  if (sip->sip_content_length) sum += sip->sip_content_length->l_length;
  for (const sip_route_t* r = sip->sip_route; r; r = r->r_next)
    sum += first_byte(r->r_url->url_host);
  for (const sip_record_route_t* r = sip->sip_record_route; r; r = r->r_next)
    sum += first_byte(r->r_url->url_host);
  return sum;
}

template <typename T>
int count_routes(const T* list) {
  int n = 0;
  for (; list; list = list->r_next) ++n;
  return n;
}

std::string str(const char* s) { return s ? s : ""; }

// Checks once, outside the timing, that sofia-sip parsed the message fully and correctly.
std::string check(const std::string& bytes, const expected_message& want) {
  if (bytes.empty()) return "cannot read bench/data/" + std::string(want.name) + ".sip";
  msg_ptr msg = parse(bytes);
  if (!msg) return "msg_make returned null";
  const sip_t* sip = sip_object(msg.get());
  if (!sip) return "no sip_t";
  if (msg_has_error(msg.get()) || (sip->sip_flags & MSG_FLG_ERROR)) return "parse error flagged";
  if (sip->sip_error) return "erroneous header: " + str(sip->sip_error->er_name);
  if (!msg_is_complete(msg.get())) return "message incomplete";
  if (!sip->sip_via || !sip->sip_from || !sip->sip_to || !sip->sip_cseq || !sip->sip_call_id ||
      !sip->sip_contact || !sip->sip_content_length)
    return "a required header is missing";

  int fields = 0;
  for (const msg_header_t* h = *msg_chain_head(msg.get()); h; h = h->sh_succ)
    fields += is_header_field(h);
  if (fields != want.header_fields)
    return "header fields: expected " + std::to_string(want.header_fields) + ", got " +
           std::to_string(fields);

  parsed_summary got;
  if (sip->sip_request) got.method = str(sip->sip_request->rq_method_name);
  if (sip->sip_status) got.status = sip->sip_status->st_status;
  for (const sip_via_t* v = sip->sip_via; v; v = v->v_next) ++got.vias;
  got.top_branch = str(sip->sip_via->v_branch);
  got.from_tag = str(sip->sip_from->a_tag);
  got.to_tag = str(sip->sip_to->a_tag);
  got.call_id = str(sip->sip_call_id->i_id);
  got.cseq = sip->sip_cseq->cs_seq;
  got.cseq_method = str(sip->sip_cseq->cs_method_name);
  for (const sip_contact_t* m = sip->sip_contact; m; m = m->m_next) ++got.contacts;
  if (sip->sip_max_forwards) got.max_forwards = static_cast<long>(sip->sip_max_forwards->mf_count);
  got.content_length = sip->sip_content_length->l_length;
  got.routes = count_routes(sip->sip_route);
  got.record_routes = count_routes(sip->sip_record_route);
  return sipring::bench::compare(want, got);
}

void parse_message(benchmark::State& state, const expected_message& want) {
  const std::string& bytes = sipring::bench::load_message(want.name);
  if (std::string why = check(bytes, want); !why.empty()) {
    state.SkipWithError(("sofia-sip: " + std::string(want.name) + ": " + why).c_str());
    return;
  }
  for (auto _ : state) {
    msg_ptr msg = parse(bytes);
    if (!msg) {
      state.SkipWithError("parse failed while timing");
      break;
    }
    std::uint64_t sum = touch(msg.get(), sip_object(msg.get()));
    benchmark::DoNotOptimize(sum);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

[[maybe_unused]] const bool registered = [] {
  for (const expected_message& m : sipring::bench::bench_messages)
    benchmark::RegisterBenchmark(("BM_Parse/sofia/" + std::string(m.name)).c_str(), parse_message,
                                 m);
  return true;
}();

}  // namespace
