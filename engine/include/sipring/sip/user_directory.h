#pragma once
// The users digest authentication knows: an htdigest file (`user:realm:HA1` lines, `#` comments
// and blank lines allowed). HA1 is H(user:realm:password) in hex: 32 digits for MD5 (what
// Apache's htdigest writes) or 64 for SHA-256 (sipring's extension, RFC 7616 §3.4.2); a user may
// have one line of each. Loaded once at start, read-only after: every shard may look it up at
// once without locks, and a lookup never allocates.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sipring/crypto/digest_hash.h"

namespace sipring::sip {

class user_directory {
 public:
  user_directory() = default;

  /// Reads an htdigest file. On failure every error found, each "FILE:LINE: what is wrong"
  /// ("FILE: …" when the file cannot be read).
  static std::variant<user_directory, std::vector<std::string>> load(const std::string& path);

  /// The same from text already in memory; `file_name` only names the errors.
  static std::variant<user_directory, std::vector<std::string>> parse(std::string_view text,
                                                                      std::string_view file_name);

  /// The HA1 (lowercase hex) of `user` in `realm` for algorithm `a`; empty when there is none.
  /// Names compare exactly (digest hashes them as written).
  std::string_view find(std::string_view user, std::string_view realm,
                        crypto::hash_algorithm a) const noexcept;

  /// True when some user of `realm` has an HA1 for `a` (scans: for start-up, not per message).
  bool holds(crypto::hash_algorithm a, std::string_view realm) const noexcept;

  /// Number of HA1 lines (a user with MD5 and SHA-256 counts twice).
  std::size_t size() const noexcept { return _entries.size(); }

 private:
  struct entry {
    std::string user, realm, ha1;
    crypto::hash_algorithm algorithm;
    std::uint32_t line;
  };
  std::vector<entry> _entries;  // sorted by (user, realm, algorithm)
};

}  // namespace sipring::sip
