#include "bench_messages.h"

#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <type_traits>

namespace sipring::bench {

const std::string& load_message(std::string_view name) {
  static std::mutex lock;
  static std::map<std::string, std::string, std::less<>> cache;
  std::lock_guard guard(lock);
  if (auto it = cache.find(name); it != cache.end()) return it->second;
  std::string path = std::string(SIPRING_BENCH_DATA_DIR) + "/" + std::string(name) + ".sip";
  std::ifstream in(path, std::ios::binary);
  std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  return cache.emplace(std::string(name), std::move(bytes)).first->second;
}

namespace {

template <typename T>
std::string differs(std::string_view field, const T& want, const T& got) {
  if (want == got) return {};
  std::string out(field);
  out += ": expected '";
  if constexpr (std::is_arithmetic_v<T>)
    out += std::to_string(want) + "', got '" + std::to_string(got);
  else
    out += std::string(want) + "', got '" + std::string(got);
  return out + "'";
}

}  // namespace

std::string compare(const expected_message& want, const parsed_summary& got) {
  std::string d;
  // The first difference wins; each line only runs while none was found.
  if (d.empty()) d = differs<std::string_view>("method", want.method, got.method);
  if (d.empty()) d = differs("status", want.status, got.status);
  if (d.empty()) d = differs("vias", want.vias, got.vias);
  if (d.empty()) d = differs<std::string_view>("top branch", want.top_branch, got.top_branch);
  if (d.empty()) d = differs<std::string_view>("from tag", want.from_tag, got.from_tag);
  if (d.empty()) d = differs<std::string_view>("to tag", want.to_tag, got.to_tag);
  if (d.empty()) d = differs<std::string_view>("call-id", want.call_id, got.call_id);
  if (d.empty()) d = differs("cseq", want.cseq, got.cseq);
  if (d.empty()) d = differs<std::string_view>("cseq method", want.cseq_method, got.cseq_method);
  if (d.empty()) d = differs("contacts", want.contacts, got.contacts);
  if (d.empty()) d = differs("max-forwards", want.max_forwards, got.max_forwards);
  if (d.empty()) d = differs("content-length", want.content_length, got.content_length);
  if (d.empty()) d = differs("routes", want.routes, got.routes);
  if (d.empty()) d = differs("record-routes", want.record_routes, got.record_routes);
  return d;
}

}  // namespace sipring::bench
