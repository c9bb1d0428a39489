#include "corpus.h"

#include <gtest/gtest.h>

#include "sipring/parser/header_params.h"
#include "sipring/parser/header_values.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <unordered_map>

namespace sipring::parser::testing {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

namespace {

std::vector<corpus_message> load() {
  std::vector<corpus_message> out;
  for (const std::string set : {"rfc4475", "rfc5118"}) {
    const std::string dir = std::string(SIPRING_TESTDATA_DIR) + "/" + set;
    std::map<std::string, bool> validity;
    std::istringstream tsv(read_file(dir + "/" + set + ".tsv"));
    std::string line;
    std::getline(tsv, line);  // column names
    while (std::getline(tsv, line)) {
      const auto tab1 = line.find('\t');
      const auto tab2 = line.find('\t', tab1 + 1);
      validity[line.substr(0, tab1)] = line.substr(tab1 + 1, tab2 - tab1 - 1) == "valid";
    }
    for (const auto& [tag, valid] : validity)
      out.push_back({set, tag, valid, read_file(dir + "/" + tag + ".sip")});
  }
  return out;
}

}  // namespace

const std::vector<corpus_message>& torture_corpus() {
  static const std::vector<corpus_message> corpus = load();
  return corpus;
}

const std::string& torture_message(const std::string& set, const std::string& tag) {
  for (const auto& m : torture_corpus())
    if (m.set == set && m.tag == tag) return m.bytes;
  ADD_FAILURE() << "no torture message " << set << "/" << tag;
  static const std::string none;
  return none;
}

std::vector<std::string> torture_tags(const std::string& set) {
  std::vector<std::string> tags;
  for (const auto& m : torture_corpus())
    if (m.set == set) tags.push_back(m.tag);
  return tags;
}

const std::string& testdata_file(const std::string& relative) {
  // Node-based map: references handed out stay valid as the cache grows.
  static std::unordered_map<std::string, std::string> cache;
  auto [it, fresh] = cache.try_emplace(relative);
  if (fresh) {
    const std::string path = std::string(SIPRING_TESTDATA_DIR) + "/" + relative;
    std::ifstream in(path, std::ios::binary);
    if (!in) ADD_FAILURE() << "cannot read " << path;
    else it->second = read_file(path);
  }
  return it->second;
}

std::string_view header_value(std::string_view message, std::string_view name, int nth) {
  const std::string_view m = message;
  const std::size_t start_line_end = m.find("\r\n");
  if (start_line_end == std::string_view::npos) return {};
  std::size_t line = start_line_end + 2;
  // Header lines until the empty line (or the end when there is none).
  while (line < m.size() && m.compare(line, 2, "\r\n") != 0) {
    // The header ends at the first CRLF not followed by SP/HT.
    std::size_t end = m.find("\r\n", line);
    while (end != std::string_view::npos && end + 2 < m.size() && (m[end + 2] == ' ' || m[end + 2] == '\t'))
      end = m.find("\r\n", end + 2);
    if (end == std::string_view::npos) end = m.size();
    const bool continuation = m[line] == ' ' || m[line] == '\t';
    if (!continuation && end - line > name.size() && iequals(m.substr(line, name.size()), name)) {
      std::size_t colon = line + name.size();
      while (colon < end && (m[colon] == ' ' || m[colon] == '\t')) ++colon;
      if (colon < end && m[colon] == ':' && nth-- == 0)
        return trim_lws(m.substr(colon + 1, end - colon - 1));
    }
    line = end + 2;
  }
  return {};
}

std::vector<std::string_view> corpus_header_values(const std::vector<std::string_view>& names) {
  std::vector<std::string_view> out;
  for (const corpus_message& m : torture_corpus())
    for (std::string_view name : names)
      for (int nth = 0;; ++nth) {
        const std::string_view v = header_value(m.bytes, name, nth);
        if (v.empty()) break;
        out.push_back(v);
      }
  return out;
}

}  // namespace sipring::parser::testing
