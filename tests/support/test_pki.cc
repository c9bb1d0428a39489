#include "test_pki.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace sipring::test {

const std::string& test_pki_dir() {
  static const std::string dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string d = std::string(tmp && *tmp ? tmp : "/tmp") + "/sipring-pki-" + std::to_string(::getpid());
    const std::string cmd = std::string("'") + SIPRING_MAKE_TEST_PKI + "' '" + d + "'";
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("make_test_pki failed: " + cmd);
    static struct cleanup {
      std::string path;
      ~cleanup() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
      }
    } remove_at_exit{d};
    return d;
  }();
  return dir;
}

std::string test_pki(const std::string& name) { return test_pki_dir() + "/" + name; }

}  // namespace sipring::test
