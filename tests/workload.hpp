// The tests' workload: HJEPA_TEST_WORKLOAD=small (set by the sanitizer build's CTest runs, where
// code is several times slower) asks the heavy tests for fewer training steps and episodes. They
// still run every code path; only thresholds that measure learning quality are relaxed.
#pragma once
#include <cstdlib>
#include <cstring>

namespace hjepa::test {

inline bool small_workload() {
  const char* v = std::getenv("HJEPA_TEST_WORKLOAD");
  return v && std::strcmp(v, "small") == 0;
}

// `full` normally, `small` under HJEPA_TEST_WORKLOAD=small.
template <typename T>
T workload(T full, T small) {
  return small_workload() ? small : full;
}

}  // namespace hjepa::test
