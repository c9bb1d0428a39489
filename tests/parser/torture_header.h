#pragma once
// Test helper: the raw value of a header in one of the RFC 4475 torture messages, found by
// simple text search (the files stay in shared/testdata; nothing is copied into the tree).

#include <cstddef>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace sipring::parser::torture {

/// The whole file shared/testdata/rfc4475/<tag>.sip; empty when it cannot be read.
inline std::string rfc4475_message(std::string_view tag) {
  std::ifstream in(std::string(SIPRING_TESTDATA_DIR) + "/rfc4475/" + std::string(tag) + ".sip",
                   std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Every tag listed in shared/testdata/rfc4475/rfc4475.tsv (first column, header row skipped).
inline std::vector<std::string> rfc4475_tags() {
  std::ifstream in(std::string(SIPRING_TESTDATA_DIR) + "/rfc4475/rfc4475.tsv");
  std::vector<std::string> tags;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line))
    if (!line.empty()) tags.push_back(line.substr(0, line.find('\t')));
  return tags;
}

/// The value of the `occurrence`-th header named `name` (ASCII case-insensitive, spaces allowed
/// before ':') in the header section of `tag`: everything after the colon up to the CRLF that
/// ends the header, folded continuation lines included, with the leading SP/HT removed.
/// Empty when there is no such header.
inline std::string rfc4475_header(std::string_view tag, std::string_view name,
                                  int occurrence = 0) {
  const std::string msg = rfc4475_message(tag);
  const std::size_t end_of_headers = msg.find("\r\n\r\n");
  std::size_t line = msg.find("\r\n") + 2;  // skip the start line
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c + 32) : c; };
  while (line < end_of_headers + 2) {
    // The header ends at the first CRLF not followed by SP/HT.
    std::size_t end = msg.find("\r\n", line);
    while (end + 2 < msg.size() && (msg[end + 2] == ' ' || msg[end + 2] == '\t'))
      end = msg.find("\r\n", end + 2);
    std::size_t i = 0;
    while (i < name.size() && line + i < end && lower(msg[line + i]) == lower(name[i])) ++i;
    std::size_t colon = line + i;
    while (i == name.size() && colon < end && (msg[colon] == ' ' || msg[colon] == '\t')) ++colon;
    if (i == name.size() && colon < end && msg[colon] == ':' && occurrence-- == 0) {
      std::size_t v = colon + 1;
      while (v < end && (msg[v] == ' ' || msg[v] == '\t')) ++v;
      return msg.substr(v, end - v);
    }
    line = end + 2;
  }
  return {};
}

}  // namespace sipring::parser::torture
