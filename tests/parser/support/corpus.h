#pragma once
// The RFC 4475 / RFC 5118 torture messages (shared/testdata), loaded for the parser tests.

#include <string>
#include <string_view>
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

/// The tags of one set ("rfc4475" or "rfc5118"), in file-name order.
std::vector<std::string> torture_tags(const std::string& set);

/// A file under shared/testdata ("rfc4475/wsinv.sip"), read once and kept for the whole run so
/// views into it stay valid; fails the test (and is empty) when it cannot be read.
const std::string& testdata_file(const std::string& relative);

/// The raw value of the `nth` header of `message` whose name matches `name` (ASCII
/// case-insensitive, at the start of a header line, optional SP/HT before ':'): folded
/// continuation lines included, surrounding LWS trimmed. Empty when there is no such header.
std::string_view header_value(std::string_view message, std::string_view name, int nth = 0);

/// Every value (header_value, each occurrence) of the headers named `names` in every torture
/// message; the views point into the corpus, which lives for the whole run.
std::vector<std::string_view> corpus_header_values(const std::vector<std::string_view>& names);

/// The contents of a file.
std::string read_file(const std::string& path);

}  // namespace sipring::parser::testing
