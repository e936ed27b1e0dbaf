# HJEPA_SANITIZE=address,undefined (any list -fsanitize accepts): every target is built and linked
# with those sanitizers, at -O1 with line tables (-g1, after the build type's -g, so it wins) and frame
# pointers, so reports have stacks with file:line; full debug info (-g) made the build about 30% slower
# (one unity source of agent/: 192 s against 139 s). One file is built at -O2 instead (still instrumented):
# the product kernel, agent/nn/gemm.cpp (see agent/CMakeLists.txt).
# UndefinedBehaviorSanitizer stops at the first report (-fno-sanitize-recover), and also checks
# float-to-integer conversions that overflow (not part of GCC's "undefined" group).
# CTest runs the tests with the runtime options set in tests/CMakeLists.txt (HJEPA_SANITIZER_ENV).
# HJEPA_FUZZ adds libFuzzer's coverage instrumentation to every target (the fuzz targets link it).
if(HJEPA_SANITIZE)
  set(_hjepa_san_flags -fsanitize=${HJEPA_SANITIZE} -fno-omit-frame-pointer -O1 -g1)
  if(HJEPA_SANITIZE MATCHES "undefined")
    list(APPEND _hjepa_san_flags -fsanitize=float-cast-overflow -fno-sanitize-recover=undefined,float-cast-overflow)
  endif()
  add_compile_options(${_hjepa_san_flags})
  add_link_options(-fsanitize=${HJEPA_SANITIZE})
  if(HJEPA_SANITIZE MATCHES "undefined")
    add_link_options(-fsanitize=float-cast-overflow)
  endif()
  message(STATUS "hjepa: building with -fsanitize=${HJEPA_SANITIZE}")
endif()

if(HJEPA_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
