// libFuzzer target: the suite-file reader (app/bench/suite). Any input must be read or refused
// with UsageError; a suite that reads must read back from what suite_to_json writes (hjepa bench
// saves the effective suite beside its results for exactly that).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "app/bench/suite.hpp"
#include "app/usage_error.hpp"

using namespace hjepa;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  Suite suite;
  try {
    suite = suite_from_json(text, "/tmp/hjepa-fuzz/suite.json");
  } catch (const UsageError&) {
    return 0;
  }
  try {
    const Suite again = suite_from_json(suite_to_json(suite), "/tmp/hjepa-fuzz/suite.json");
    if (suite_to_json(again) != suite_to_json(suite)) std::abort();
  } catch (const UsageError&) {
    std::abort();  // the effective suite written by hjepa bench must read back
  }
  return 0;
}
