// libFuzzer target: the model-file reader (agent/jepa/model_file). Each input is tried twice: as
// is, and with the header's length and both checksums recomputed so the fuzzer reaches the
// sections behind them. Any input must load or be refused with ModelError; a model that loads
// must pack and unpack again unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "agent/jepa/model_file.hpp"

using namespace hjepa;

namespace {

uint64_t fnv1a64(const char* data, size_t size) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < size; ++i) h = (h ^ static_cast<unsigned char>(data[i])) * 1099511628211ull;
  return h;
}

// Header: magic (8), version (4), file length (8), checksum of those 20 bytes (8); trailer: checksum.
std::string with_valid_checksums(std::string bytes) {
  if (bytes.size() < 36) return bytes;
  const uint64_t length = bytes.size();
  std::memcpy(&bytes[12], &length, 8);
  const uint64_t header = fnv1a64(bytes.data(), 20);
  std::memcpy(&bytes[20], &header, 8);
  const uint64_t all = fnv1a64(bytes.data(), bytes.size() - 8);
  std::memcpy(&bytes[bytes.size() - 8], &all, 8);
  return bytes;
}

void try_load(const std::string& bytes) {
  ModelFile model;
  try {
    model = unpack_model_file(bytes, "fuzz.hjepa");
  } catch (const ModelError&) {
    return;
  }
  const std::string packed = pack_model_file(model_sections(model));
  try {
    const ModelFile again = unpack_model_file(packed, "round trip");
    if (pack_model_file(model_sections(again)) != packed) std::abort();
  } catch (const ModelError&) {
    std::abort();  // what we wrote must read back
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  try_load(bytes);
  try_load(with_valid_checksums(bytes));
  return 0;
}
