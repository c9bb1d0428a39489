# Warnings and sanitizers, applied to every sipring target through sipring_target_defaults().
# Sanitizers are global (compile and link flags for the whole tree), so that GoogleTest and
# Google Benchmark code built here is instrumented the same way as the code under test.

if(SIPRING_SANITIZE)
  string(REPLACE "," ";" _sipring_sanitizers "${SIPRING_SANITIZE}")
  foreach(_s IN LISTS _sipring_sanitizers)
    if(NOT _s MATCHES "^(address|undefined|thread|leak)$")
      message(FATAL_ERROR "SIPRING_SANITIZE: unknown sanitizer '${_s}' (use address, undefined, thread, leak)")
    endif()
  endforeach()
  add_compile_options(-fsanitize=${SIPRING_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${SIPRING_SANITIZE})
  add_compile_definitions(SIPRING_SANITIZED=1)
  message(STATUS "sipring: sanitizers ${SIPRING_SANITIZE}")
endif()

# Gives a target the project's warning set and include conventions.
function(sipring_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wcast-align -Wimplicit-fallthrough)
  if(SIPRING_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  # GCC 12 reports impossible overlaps in inlined std::string concatenation (GCC bug 105329).
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
endfunction()
