// The inputs libFuzzer found crashing a reader, kept under tests/data/fuzz/<reader>/ (see
// tests/fuzz/run_fuzzers.sh): the doctest suites replay each through the same reader in every
// build, so a fixed crash stays fixed.
#pragma once
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace hjepa::test {

// (file name, bytes) of every regression input of `reader` ("map", "config", "suite", "model").
inline std::vector<std::pair<std::string, std::string>> fuzz_regressions(const std::string& reader) {
  std::vector<std::pair<std::string, std::string>> out;
  const std::filesystem::path dir = std::filesystem::path(HJEPA_TEST_DATA) / "fuzz" / reader;
  if (!std::filesystem::is_directory(dir)) return out;  // no crash found in this reader so far
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    out.emplace_back(entry.path().filename().string(), bytes.str());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace hjepa::test
