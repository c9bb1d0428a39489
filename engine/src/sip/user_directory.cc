#include "sipring/sip/user_directory.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <tuple>
#include <utility>

namespace sipring::sip {

namespace {

constexpr bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (is_blank(s.front()))) s.remove_prefix(1);
  while (!s.empty() && (is_blank(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

constexpr bool is_hex(char c) noexcept {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

constexpr char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

auto key_of(std::string_view user, std::string_view realm, crypto::hash_algorithm a) noexcept {
  return std::tuple<std::string_view, std::string_view, crypto::hash_algorithm>(user, realm, a);
}

}  // namespace

std::variant<user_directory, std::vector<std::string>> user_directory::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int e = errno;
    return std::vector<std::string>{path + ": cannot open: " + (e ? std::strerror(e) : "unknown error")};
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::vector<std::string>{path + ": read error"};
  return parse(text.str(), path);
}

std::variant<user_directory, std::vector<std::string>> user_directory::parse(
    std::string_view text, std::string_view file_name) {
  user_directory dir;
  std::vector<std::pair<std::uint32_t, std::string>> problems;  // (line, what is wrong)
  auto fail = [&](std::uint32_t line, std::string what) { problems.emplace_back(line, std::move(what)); };

  std::uint32_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const std::size_t eol = text.find('\n');
    const std::string_view raw = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);

    const std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#') continue;

    const std::size_t first = line.find(':');
    const std::size_t last = line.rfind(':');
    if (first == std::string_view::npos || first == last) {
      fail(line_no, "expected user:realm:HA1");
      continue;
    }
    const std::string_view user = line.substr(0, first);
    const std::string_view realm = line.substr(first + 1, last - first - 1);
    const std::string_view ha1 = line.substr(last + 1);
    if (user.empty()) {
      fail(line_no, "empty user name");
      continue;
    }
    if (realm.empty()) {
      fail(line_no, "empty realm");
      continue;
    }
    crypto::hash_algorithm algorithm;
    if (ha1.size() == crypto::hex_size(crypto::hash_algorithm::md5)) {
      algorithm = crypto::hash_algorithm::md5;
    } else if (ha1.size() == crypto::hex_size(crypto::hash_algorithm::sha256)) {
      algorithm = crypto::hash_algorithm::sha256;
    } else {
      fail(line_no, "HA1 must be 32 hex digits (MD5) or 64 (SHA-256), not " +
                        std::to_string(ha1.size()) + " characters");
      continue;
    }
    if (!std::all_of(ha1.begin(), ha1.end(), is_hex)) {
      fail(line_no, "HA1 is not hexadecimal");
      continue;
    }
    std::string ha1_lower(ha1);
    std::transform(ha1_lower.begin(), ha1_lower.end(), ha1_lower.begin(), lower);
    dir._entries.push_back(
        entry{std::string(user), std::string(realm), std::move(ha1_lower), algorithm, line_no});
  }

  auto key = [](const entry& e) { return key_of(e.user, e.realm, e.algorithm); };
  std::stable_sort(dir._entries.begin(), dir._entries.end(),
                   [&](const entry& a, const entry& b) { return key(a) < key(b); });
  for (std::size_t i = 1; i < dir._entries.size(); ++i) {
    const entry& prev = dir._entries[i - 1];
    const entry& e = dir._entries[i];
    if (key(prev) == key(e))
      fail(e.line, "second " + std::string(crypto::algorithm_name(e.algorithm)) + " HA1 for user '" +
                       e.user + "' in realm '" + e.realm + "' (first on line " +
                       std::to_string(prev.line) + ")");
  }

  if (!problems.empty()) {
    // In line order: duplicates are found in a second pass.
    std::stable_sort(problems.begin(), problems.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> errors;
    for (auto& [line, what] : problems)
      errors.push_back(std::string(file_name) + ":" + std::to_string(line) + ": " + what);
    return errors;
  }
  return dir;
}

std::string_view user_directory::find(std::string_view user, std::string_view realm,
                                      crypto::hash_algorithm a) const noexcept {
  const auto wanted = key_of(user, realm, a);
  auto it = std::lower_bound(_entries.begin(), _entries.end(), wanted,
                             [](const entry& e, const auto& k) {
                               return key_of(e.user, e.realm, e.algorithm) < k;
                             });
  if (it == _entries.end() || key_of(it->user, it->realm, it->algorithm) != wanted) return {};
  return it->ha1;
}

bool user_directory::holds(crypto::hash_algorithm a, std::string_view realm) const noexcept {
  return std::any_of(_entries.begin(), _entries.end(),
                     [&](const entry& e) { return e.algorithm == a && e.realm == realm; });
}

}  // namespace sipring::sip
