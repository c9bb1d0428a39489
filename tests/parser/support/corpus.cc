#include "corpus.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

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

}  // namespace sipring::parser::testing
