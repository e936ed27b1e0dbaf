// libFuzzer target: the model-file reader (agent/jepa/model_file). Each input is tried twice: as
// is, and with the header's length and both checksums recomputed so the fuzzer reaches the
// sections behind them. Any input must load or be refused with ModelError; a model that loads
// must pack and unpack again unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "agent/jepa/model_file.hpp"
#include "model_checksums.hpp"

using namespace hjepa;

namespace {

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
  try_load(test::with_valid_checksums(bytes));
  return 0;
}
