#pragma once
// The TLS tests' PKI (tests/support/make_test_pki), made once per test binary in a temporary
// directory. See the script for the files it holds.

#include <string>

namespace sipring::test {

/// The directory holding the PKI; throws std::runtime_error when the script fails.
const std::string& test_pki_dir();
/// test_pki_dir() + "/" + name, e.g. test_pki("ca-a.crt").
std::string test_pki(const std::string& name);

}  // namespace sipring::test
