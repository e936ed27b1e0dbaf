// Work counters for benchmarks: how many single-state evaluations of the level-1 predictor P1 this
// thread has made (each column of a batch counts one). A benchmark reads it before and after an
// episode; per thread, so episodes on other threads do not disturb the count.
#pragma once
#include <cstdint>

namespace hjepa {

inline thread_local uint64_t predictor_evaluations = 0;

}  // namespace hjepa
