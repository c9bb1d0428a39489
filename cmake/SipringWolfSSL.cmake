# Imports the wolfSSL that scripts/build-wolfssl built with AES-NI as the target wolfssl::wolfssl.
# Debian's libwolfssl-dev (without AES-NI) is never used: its headers would shadow ours, so the
# include directory is added ahead of the system ones.

set(_wolfssl_lib "${SIPRING_WOLFSSL_ROOT}/lib/libwolfssl.a")
set(_wolfssl_inc "${SIPRING_WOLFSSL_ROOT}/include")

if(NOT EXISTS "${_wolfssl_lib}" OR NOT EXISTS "${_wolfssl_inc}/wolfssl/options.h")
  message(FATAL_ERROR
    "wolfSSL with AES-NI not found in ${SIPRING_WOLFSSL_ROOT}.\n"
    "Run scripts/setup (or scripts/build-wolfssl): it builds wolfSSL from Debian's source package "
    "with --enable-aesni --enable-intelasm into that prefix. Set SIPRING_WOLFSSL_ROOT to use another.")
endif()

file(STRINGS "${_wolfssl_inc}/wolfssl/options.h" _wolfssl_aesni REGEX "^#define WOLFSSL_AESNI")
if(NOT _wolfssl_aesni)
  message(FATAL_ERROR "wolfSSL in ${SIPRING_WOLFSSL_ROOT} was built without AES-NI (no WOLFSSL_AESNI in options.h)")
endif()

find_package(Threads REQUIRED)
add_library(wolfssl::wolfssl STATIC IMPORTED GLOBAL)
set_target_properties(wolfssl::wolfssl PROPERTIES
  IMPORTED_LOCATION "${_wolfssl_lib}"
  INTERFACE_INCLUDE_DIRECTORIES "${_wolfssl_inc}"
  INTERFACE_LINK_LIBRARIES "m;Threads::Threads")
message(STATUS "sipring: wolfSSL with AES-NI from ${SIPRING_WOLFSSL_ROOT}")
