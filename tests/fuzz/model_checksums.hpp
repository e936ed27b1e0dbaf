// Model-file bytes with the header's length and both checksums recomputed, so that fuzzed (or
// hand-edited) bytes reach the section readers instead of stopping at the checksum. Shared by the
// fuzz target and the doctest that replays its regression inputs.
#pragma once
#include <cstdint>
#include <cstring>
#include <string>

#include "sim/fnv1a.hpp"

namespace hjepa::test {

// Header: magic (8), version (4), file length (8), checksum of those 20 bytes (8); trailer: checksum.
inline std::string with_valid_checksums(std::string bytes) {
  if (bytes.size() < 36) return bytes;
  const uint64_t length = bytes.size();
  std::memcpy(&bytes[12], &length, 8);
  const uint64_t header = fnv1a64(bytes.data(), 20);
  std::memcpy(&bytes[20], &header, 8);
  const uint64_t all = fnv1a64(bytes.data(), bytes.size() - 8);
  std::memcpy(&bytes[bytes.size() - 8], &all, 8);
  return bytes;
}

}  // namespace hjepa::test
