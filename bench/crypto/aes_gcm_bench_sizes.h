#pragma once
// Record sizes of the BM_AesGcm family: a typical SIP message (1 KiB) and a full TLS record (16 KiB).
#include <array>
#include <cstddef>

namespace sipring::bench {
inline constexpr std::array<std::size_t, 2> aes_gcm_record_sizes{1024, 16384};
}  // namespace sipring::bench
