// FNV-1a, 64-bit: the one hash for fingerprints, checksums and cache keys (map fingerprints,
// model-file checksums, the model cache's keys and bench config hashes). Not cryptographic:
// it catches corruption and tells inputs apart, nothing more.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace hjepa {

constexpr uint64_t kFnv1aOffset = 1469598103934665603ull;  // the hash of no bytes
constexpr uint64_t kFnv1aPrime = 1099511628211ull;

// The hash h continued by one byte.
constexpr uint64_t fnv1a64_byte(uint64_t h, unsigned char byte) { return (h ^ byte) * kFnv1aPrime; }

// The hash h continued by `size` bytes at `data` (from the start: h = kFnv1aOffset).
inline uint64_t fnv1a64(const void* data, size_t size, uint64_t h = kFnv1aOffset) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < size; ++i) h = fnv1a64_byte(h, bytes[i]);
  return h;
}

inline uint64_t fnv1a64(std::string_view text, uint64_t h = kFnv1aOffset) { return fnv1a64(text.data(), text.size(), h); }

}  // namespace hjepa
