#pragma once
// The RFC 4475 / RFC 5118 torture messages (shared/testdata), loaded for the parser tests.

#include <string>
#include <vector>

namespace sipring::parser::testing {

struct corpus_message {
  std::string set;    ///< "rfc4475" or "rfc5118"
  std::string tag;    ///< file name without ".sip"
  bool valid;         ///< from the set's .tsv
  std::string bytes;
};

/// Every message of both sets, in file-name order.
const std::vector<corpus_message>& torture_corpus();

/// One message's bytes ("rfc4475", "wsinv"); fails the test when missing.
const std::string& torture_message(const std::string& set, const std::string& tag);

/// The contents of a file.
std::string read_file(const std::string& path);

}  // namespace sipring::parser::testing
