#pragma once
// wolfSSL's error codes in sipring's words (tls_error.cc). Private to crypto/.

#include "sipring/crypto/tls_error.h"

namespace sipring::crypto::detail {

/// Maps a wolfSSL or wolfCrypt error code (negative, or a WOLFSSL_ERROR_* value) to a reason.
tls_error from_wolfssl(int code) noexcept;

}  // namespace sipring::crypto::detail
