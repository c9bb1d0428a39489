// The padding contract (none): every implementation parses a message that ends right before a
// PROT_NONE page without touching it. An over-read crashes the test.

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <vector>

#include "corpus.h"
#include "parse_all_levels.h"
#include "typed_describe.h"
#include "sipring/parser/internal/structural_scan.h"
#include "sipring/parser/parse.h"

namespace sipring::parser {
namespace {

class guarded_buffer {
 public:
  explicit guarded_buffer(std::size_t capacity) {
    _page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    _data_pages = (capacity + _page - 1) / _page + 1;
    void* p = mmap(nullptr, (_data_pages + 1) * _page, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::runtime_error("mmap failed");
    _base = static_cast<char*>(p);
    if (mprotect(_base + _data_pages * _page, _page, PROT_NONE) != 0) throw std::runtime_error("mprotect failed");
  }
  ~guarded_buffer() { munmap(_base, (_data_pages + 1) * _page); }
  guarded_buffer(const guarded_buffer&) = delete;
  guarded_buffer& operator=(const guarded_buffer&) = delete;

  /// Copies `bytes` so that its last byte is the last readable one.
  std::string_view place(std::string_view bytes) {
    char* at = _base + _data_pages * _page - bytes.size();
    std::memcpy(at, bytes.data(), bytes.size());
    return {at, bytes.size()};
  }

 private:
  std::size_t _page = 0, _data_pages = 0;
  char* _base = nullptr;
};

TEST(ParseGuardPage, NoImplementationReadsPastTheEnd) {
  guarded_buffer buffer(64 * 1024);
  std::vector<header_field> storage(512);
  parse_options stream;
  stream.transport = transport_kind::stream;
  std::size_t parses = 0;
  for (const auto& m : testing::torture_corpus()) {
    SCOPED_TRACE(m.tag);
    // The whole message and every prefix (prefixes end mid-line, mid-vector, mid-body).
    for (std::size_t n = m.bytes.size();; n = n > 5 ? n - 5 : 0) {
      const std::string_view placed = buffer.place(std::string_view(m.bytes).substr(0, n));
      for (simd_level level : testing::runnable_levels()) {
        (void)parse_with(level, placed, storage);
        (void)parse_with(level, placed, storage, stream);
        std::vector<internal::structural_masks> masks(internal::block_count(n));
        internal::scanner_for(level)(placed.data(), placed.size(), masks.data());
        internal::line_window window;
        for (std::uint32_t before = ~0u; window.blocks != before;) {  // until it stops growing
          before = window.blocks;
          internal::line_scanner_for(level)(placed.data(), placed.size(), window);
        }
        parses += 3;
      }
      if (n == 0) break;
    }
  }
  EXPECT_GT(parses, 1000u);
}

TEST(ParseGuardPage, NoTypedParserReadsPastTheEnd) {
  // Every header value and Request-URI of the corpus, and every prefix of it, placed right
  // before the guard page and read by each level's typed parsers (the AVX-512 ones load 64- and
  // 128-byte windows).
  guarded_buffer buffer(64 * 1024);
  std::size_t reads = 0;
  auto read_all = [&](std::string_view text) {
    for (std::size_t n = text.size();; --n) {
      const std::string_view placed = buffer.place(text.substr(0, n));
      for (simd_level level : testing::runnable_levels()) {
        (void)testing::describe_name_addrs(level, placed);
        (void)testing::describe_vias(level, placed);
        (void)testing::describe_uri(level, placed);
        reads += 3;
      }
      if (n == 0) break;
    }
  };
  std::vector<header_field> storage(512);
  for (const auto& m : testing::torture_corpus()) {
    SCOPED_TRACE(m.tag);
    const parse_result r = parse_with(simd_level::scalar, m.bytes, storage);
    if (!r.ok()) continue;
    for (const header_field& h : r.message.headers()) read_all(r.message.value(h));
    if (r.message.is_request()) read_all(r.message.request_uri());
  }
  EXPECT_GT(reads, 10000u);
}

}  // namespace
}  // namespace sipring::parser
