// Generator invariants over many seeds: counts, valid files, connected free space, every colour
// reachable, some colour pairs not adjacent, neighbours coloured differently, determinism.
#include <doctest/doctest.h>

#include <set>

#include "sim/free_space.hpp"
#include "sim/map_gen.hpp"
#include "sim/voronoi.hpp"
#include "sim/map_io.hpp"
#include "workload.hpp"

using namespace hjepa;

TEST_CASE("generated maps keep their invariants over 500 seeds (100 under HJEPA_TEST_WORKLOAD=small)") {
  int full_obstacles = 0;
  const uint64_t seeds = test::workload<uint64_t>(500, 100);
  for (uint64_t seed = 0; seed < seeds; ++seed) {
    CAPTURE(seed);
    const World w = generate_map(seed);
    REQUIRE(w.regions.size() == 10);
    CHECK(w.obstacles.size() <= 20);
    full_obstacles += w.obstacles.size() == 20;
    REQUIRE(validate_world(w) == "");  // sites free, shapes valid, free space connected

    // Every region (hence every colour) is reachable: its site is free and in the one component.
    const FreeGrid g = make_free_grid(w, 0.1);
    std::vector<int> label;
    REQUIRE(label_free_components(w, g, label) == 1);
    for (const Region& r : w.regions) CHECK(w.is_free(r.site));

    // Neighbours differ in colour, and some pair of present colours never touches.
    const auto adj = region_adjacency(w);
    bool touch[kNumColors][kNumColors] = {};
    std::set<int> present;
    for (size_t i = 0; i < w.regions.size(); ++i) {
      present.insert(static_cast<int>(w.regions[i].color));
      for (size_t j = 0; j < w.regions.size(); ++j)
        if (adj[i][j]) {
          CHECK(w.regions[i].color != w.regions[j].color);
          touch[static_cast<int>(w.regions[i].color)][static_cast<int>(w.regions[j].color)] = true;
        }
    }
    CHECK(present.size() == kNumColors);  // 10 regions: all 8 colours appear
    bool some_pair_apart = false;
    for (int a : present)
      for (int b : present) some_pair_apart |= a != b && !touch[a][b];
    CHECK(some_pair_apart);
  }
  CHECK(full_obstacles >= static_cast<int>(seeds * 49 / 50));  // the clearance rule rarely stops placement short
}

TEST_CASE("generator parameters: region and obstacle counts across their ranges; determinism") {
  for (int regions : {6, 16})
    for (int obstacles : {0, 60}) {
      MapParams mp;
      mp.num_regions = regions;
      mp.num_obstacles = obstacles;
      const World w = generate_map(11, mp);
      CHECK(static_cast<int>(w.regions.size()) == regions);
      CHECK(static_cast<int>(w.obstacles.size()) <= obstacles);
      CHECK(static_cast<int>(w.obstacles.size()) >= obstacles * 3 / 4);
      CHECK(validate_world(w) == "");
    }
  CHECK(generate_map(9).fingerprint() == generate_map(9).fingerprint());
  CHECK(generate_map(9).fingerprint() != generate_map(10).fingerprint());
}
