// The htdigest user file: MD5 (32 hex) and SHA-256 (64 hex) HA1s, comments, lookups, and every
// error naming its file and line.

#include "sipring/sip/user_directory.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <variant>
#include <vector>

namespace {

using sipring::crypto::hash_algorithm;
using sipring::sip::user_directory;

constexpr std::string_view md5_ha1 = "939e7578ed9e3c518a452acee763bce9";
constexpr std::string_view sha_ha1 = "7987c64c30e25f1b74be53f966b49b90f2808aa92faf9a00262392d7b4794232";

user_directory parsed(std::string_view text) {
  auto r = user_directory::parse(text, "users.htdigest");
  if (auto* errors = std::get_if<std::vector<std::string>>(&r)) {
    ADD_FAILURE() << "unexpected errors, first: " << errors->front();
    return {};
  }
  return std::get<user_directory>(std::move(r));
}

std::vector<std::string> errors_of(std::string_view text) {
  auto r = user_directory::parse(text, "users.htdigest");
  if (auto* errors = std::get_if<std::vector<std::string>>(&r)) return *errors;
  ADD_FAILURE() << "parsed without error";
  return {};
}

TEST(user_directory, finds_md5_and_sha256_lines_of_one_user) {
  const std::string text = "# users of the test realm\n\n"
                           "Mufasa:testrealm@host.com:" + std::string(md5_ha1) + "\n"
                           "  # indented comment\n"
                           "Mufasa:testrealm@host.com:" + std::string(sha_ha1) + "\r\n"
                           "alice:example.com:0123456789ABCDEF0123456789abcdef\n";
  const user_directory d = parsed(text);
  EXPECT_EQ(d.size(), 3u);
  EXPECT_EQ(d.find("Mufasa", "testrealm@host.com", hash_algorithm::md5), md5_ha1);
  EXPECT_EQ(d.find("Mufasa", "testrealm@host.com", hash_algorithm::sha256), sha_ha1);
  // Upper-case hex is stored in lower case.
  EXPECT_EQ(d.find("alice", "example.com", hash_algorithm::md5), "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(d.find("alice", "example.com", hash_algorithm::sha256), "");
  EXPECT_EQ(d.find("mufasa", "testrealm@host.com", hash_algorithm::md5), "");  // names are exact
  EXPECT_EQ(d.find("Mufasa", "other", hash_algorithm::md5), "");
  EXPECT_EQ(d.find("bob", "example.com", hash_algorithm::md5), "");
  EXPECT_TRUE(d.holds(hash_algorithm::sha256, "testrealm@host.com"));
  EXPECT_FALSE(d.holds(hash_algorithm::sha256, "example.com"));
  EXPECT_TRUE(d.holds(hash_algorithm::md5, "example.com"));
}

TEST(user_directory, last_line_without_newline_and_realm_with_colon) {
  const user_directory d = parsed("bob:sip:example.com:" + std::string(md5_ha1));
  EXPECT_EQ(d.find("bob", "sip:example.com", hash_algorithm::md5), md5_ha1);
}

TEST(user_directory, empty_file_has_no_users) {
  const user_directory d = parsed("# nobody yet\n\n");
  EXPECT_EQ(d.size(), 0u);
  EXPECT_FALSE(d.holds(hash_algorithm::md5, "example.com"));
}

TEST(user_directory, every_error_names_file_and_line) {
  const std::string text = "alice:example.com:" + std::string(md5_ha1) + "\n"  // 1 fine
                           "no colon at all\n"                                  // 2
                           "bob:" + std::string(md5_ha1) + "\n"                 // 3 one colon
                           ":example.com:" + std::string(md5_ha1) + "\n"        // 4
                           "carol::" + std::string(md5_ha1) + "\n"              // 5
                           "dave:example.com:abc\n"                             // 6
                           "erin:example.com:" + std::string(31, 'a') + "g\n"   // 7
                           "# comment\n"                                        // 8
                           "alice:example.com:" + std::string(32, 'b') + "\n";  // 9 duplicate
  const std::vector<std::string> e = errors_of(text);
  ASSERT_EQ(e.size(), 7u);
  EXPECT_EQ(e[0], "users.htdigest:2: expected user:realm:HA1");
  EXPECT_EQ(e[1], "users.htdigest:3: expected user:realm:HA1");
  EXPECT_EQ(e[2], "users.htdigest:4: empty user name");
  EXPECT_EQ(e[3], "users.htdigest:5: empty realm");
  EXPECT_EQ(e[4], "users.htdigest:6: HA1 must be 32 hex digits (MD5) or 64 (SHA-256), not 3 characters");
  EXPECT_EQ(e[5], "users.htdigest:7: HA1 is not hexadecimal");
  EXPECT_EQ(e[6], "users.htdigest:9: second MD5 HA1 for user 'alice' in realm 'example.com' (first on line 1)");
}

TEST(user_directory, loads_a_file) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("sipring-users-" + std::to_string(::getpid()) + ".htdigest");
  {
    std::ofstream out(path);
    out << "alice:example.com:" << sha_ha1 << "\n";
  }
  auto r = user_directory::load(path.string());
  std::filesystem::remove(path);
  ASSERT_TRUE(std::holds_alternative<user_directory>(r));
  EXPECT_EQ(std::get<user_directory>(r).find("alice", "example.com", hash_algorithm::sha256), sha_ha1);
}

TEST(user_directory, missing_file_is_an_error_naming_it) {
  auto r = user_directory::load("/nonexistent/sipring/users.htdigest");
  ASSERT_TRUE(std::holds_alternative<std::vector<std::string>>(r));
  const auto& e = std::get<std::vector<std::string>>(r);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].rfind("/nonexistent/sipring/users.htdigest: cannot open", 0), 0u) << e[0];
}

}  // namespace
