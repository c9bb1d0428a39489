#pragma once
// Include this first in every crypto source that uses wolfSSL: wolfSSL's headers depend on the
// build's options.h being seen before anything else, or structures change size under us.
#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/settings.h>
