// libFuzzer target: the map-file reader (sim/map_io). Any input must either load or be refused with
// MapError; a map that loads must survive a write/read round trip unchanged and a few env steps.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "sim/env.hpp"
#include "sim/map_io.hpp"

using namespace hjepa;

namespace {

void require(bool ok) {
  if (!ok) std::abort();  // an invariant the reader promises is broken: libFuzzer keeps the input
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  World world;
  try {
    world = map_from_json(text, "fuzz.json");
  } catch (const MapError&) {
    return 0;
  }
  require(validate_world(world).empty());
  require(map_from_json(map_to_json(world), "round trip").fingerprint() == world.fingerprint());
  Env env(world, Task{{world.regions[0].color}}, EnvParams{});
  env.reset(1);
  for (int k = 0; k < 8 && !env.done(); ++k) require(world.is_free(env.step(0.8 * k).info.true_position, env.state().open_gates));
  return 0;
}
