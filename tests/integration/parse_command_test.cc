// `sipring parse`: the real binary on every RFC 4475 / RFC 5118 torture message, on stdin, and
// its JSON checked with python3's json module.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "child_process.h"

namespace {

using sipring::testing::run_command;

const std::string testdata = SIPRING_TESTDATA_DIR;

// The invalid messages and the code each is rejected with (as tests/parser/message_check_test.cc).
const std::map<std::string, std::string> invalid_code = {
    {"clerr", "body_truncated"}, {"ncl", "bad_content_length"}, {"scalar02", "bad_number"},
    {"scalarlg", "bad_number"}, {"ltgtruri", "bad_request_uri"}, {"lwsruri", "bad_request_uri"},
    {"lwsstart", "bad_start_line"}, {"trws", "bad_start_line"}, {"badvers", "bad_version"},
    {"mismatch01", "cseq_method_mismatch"}, {"mismatch02", "cseq_method_mismatch"},
    {"bigcode", "bad_status_code"}, {"insuf", "missing_to"}, {"multi01", "duplicate_header"},
    {"mcl01", "conflicting_content_length"}, {"badinv01", "bad_param"}, {"quotbal", "bad_quoting"},
    {"regbadct", "bad_name_addr"}, {"badaspec", "bad_uri"}, {"baddn", "bad_name_addr"},
    {"escruri", "bad_request_uri"}, {"ipv6-bad", "bad_request_uri"},
    {"ipv6-bug-abnf-3-colons", "bad_request_uri"},
    // Its body is shorter than its Content-Length (see shared/testdata/rfc5118/README.md).
    {"ipv6-in-sdp", "body_truncated"},
};

std::map<std::string, bool> validity(const std::string& set) {
  std::map<std::string, bool> out;
  std::ifstream tsv(testdata + "/" + set + "/" + set + ".tsv");
  std::string line;
  std::getline(tsv, line);
  while (std::getline(tsv, line)) {
    const auto t1 = line.find('\t'), t2 = line.find('\t', t1 + 1);
    out[line.substr(0, t1)] = line.substr(t1 + 1, t2 - t1 - 1) == "valid";
  }
  return out;
}

TEST(ParseCommand, EveryTortureMessageIsAcceptedOrRejectedWithItsCode) {
  std::size_t runs = 0;
  std::string json_files;  // the outputs of the valid messages, checked by one python3 below
  const std::string dir = ::testing::TempDir() + "sipring_parse_json";
  std::filesystem::create_directories(dir);
  for (const std::string set : {"rfc4475", "rfc5118"}) {
    for (const auto& [tag, valid] : validity(set)) {
      SCOPED_TRACE(set + "/" + tag);
      const std::string file = testdata + "/" + set + "/" + tag + ".sip";
      const auto r = run_command({SIPRING_BINARY, "parse", file});
      const auto expected = invalid_code.find(tag);
      if (expected == invalid_code.end()) {
        // baddate is "invalid" only in its Date, which RFC 4475 §3.1.2.12 lets a server ignore.
        EXPECT_TRUE(valid || tag == "baddate") << "an invalid message needs an expected code";
        EXPECT_EQ(r.exit_code, 0) << r.err;
        const std::string json = dir + "/" + tag + ".json";
        std::ofstream(json, std::ios::binary) << r.out;
        json_files += " '" + json + "'";
      } else {
        EXPECT_EQ(r.exit_code, 1);
        EXPECT_TRUE(r.out.empty());
        EXPECT_EQ(r.err.rfind("sipring parse: " + expected->second + " at offset ", 0), 0u) << r.err;
        EXPECT_NE(r.err.find("(SIP status "), std::string::npos);
      }
      ++runs;
    }
  }
  EXPECT_EQ(runs, 61u);
  // Every JSON document is well-formed, strict UTF-8 JSON: python3's parser accepts each.
  const auto check = run_command({"/bin/sh", "-c",
                                  "python3 -c 'import json,sys\nfor f in sys.argv[1:]: json.load(open(f, encoding=\"utf-8\"))\nprint(len(sys.argv)-1)'" +
                                      json_files});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_EQ(check.out, "37\n");  // 27 + baddate from RFC 4475, 9 from RFC 5118
}

TEST(ParseCommand, WsinvJsonHasTheTypedFields) {
  const auto r = run_command({"/bin/sh", "-c",
                              "'" SIPRING_BINARY "' parse - < '" + testdata + "/rfc4475/wsinv.sip' | python3 -c '"
                              "import json,sys; m=json.load(sys.stdin); h=m[\"headers\"];"
                              "vias=[e for x in h if x[\"id\"]==\"via\" for e in x[\"typed\"]];"
                              "print(m[\"method\"], len(vias), vias[1][\"branch\"], vias[2][\"host\"],"
                              "[x[\"typed\"] for x in h if x[\"id\"]==\"max_forwards\"][0],"
                              "[x[\"typed\"] for x in h if x[\"id\"]==\"call_id\"][0],"
                              "[x[\"typed\"][\"number\"] for x in h if x[\"id\"]==\"cseq\"][0],"
                              "[x[\"typed\"][0][\"q\"] for x in h if x[\"id\"]==\"contact\"][0],"
                              "m[\"body_length\"])'"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "INVITE 3 z9hG4bK9ikj8 192.168.255.111 68 wsinv.ndaksdj@192.0.2.1 9 0.33 150\n");
}

TEST(ParseCommand, StreamModeNeedsContentLength) {
  const std::string file = testdata + "/rfc4475/inv2543.sip";
  EXPECT_EQ(run_command({SIPRING_BINARY, "parse", file}).exit_code, 0);
  const auto r = run_command({SIPRING_BINARY, "parse", "--stream", file});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("missing_content_length"), std::string::npos) << r.err;
}

TEST(ParseCommand, UnreadableAndOversizedInput) {
  const auto missing = run_command({SIPRING_BINARY, "parse", "/nonexistent/x.sip"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("cannot read /nonexistent/x.sip"), std::string::npos);
  const auto big = run_command({"/bin/sh", "-c", "head -c 70000 /dev/zero | '" SIPRING_BINARY "' parse -"});
  EXPECT_EQ(big.exit_code, 1);
  EXPECT_NE(big.err.find("message_too_large"), std::string::npos) << big.err;
  EXPECT_NE(big.err.find("SIP status 513"), std::string::npos);
}

}  // namespace
