// `hjepa map`: generate a map from a seed and write it as a hjepa-map/1 file.
#include <cstdio>

#include "app/cli_common.hpp"
#include "sim/map_io.hpp"

namespace hjepa {

int cmd_map(int argc, char** argv) {
  CLI::App app{"Generate a map from a seed and write it as a hjepa-map/1 JSON file.", "hjepa map"};
  uint64_t seed = 0;
  std::string out;
  MapParams mp;
  app.add_option("--map-seed", seed, "Generator seed (>= 0)")->required()->check(seed_check());
  app.add_option("--out", out, "File to write")->required();
  add_generator_options(app, mp);  // the generator's parameters from the table (map.*, agent/config.hpp)
  return run_command(app, argc, argv, [&] {
    const World world = generate_map(static_cast<uint64_t>(seed), checked_map_params(mp));
    try {
      save_map(world, out);
    } catch (const MapError& e) {
      throw UsageError(e.what());
    }
    const std::string gates = world.gate_count() > 0 ? " (" + std::to_string(world.gate_count()) + (world.gate_count() == 1 ? " gate)" : " gates)") : "";
    std::fprintf(stderr, "wrote %s: %g x %g %s map, %zu regions, %zu obstacles%s\n", out.c_str(), world.width, world.height,
                 map_style_name(mp.style), world.regions.size(), world.obstacles.size(), gates.c_str());
    return 0;
  });
}

}  // namespace hjepa
