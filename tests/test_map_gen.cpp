// Generator invariants over many seeds: counts, valid files, connected free space, every colour
// reachable, some colour pairs not adjacent, neighbours coloured differently, determinism; maze
// maps: long walls across the map, still connected, at the small and the largest sizes.
#include <doctest/doctest.h>

#include <algorithm>
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

namespace {

// The longest side of any box obstacle, units.
double longest_box(const World& w) {
  double longest = 0;
  for (const Obstacle& o : w.obstacles)
    if (o.kind == Obstacle::Kind::Box) longest = std::max({longest, o.max.x - o.min.x, o.max.y - o.min.y});
  return longest;
}

MapParams maze(double width, double height, int regions, int obstacles) {
  MapParams mp;
  mp.style = MapStyle::Maze;
  mp.width = width;
  mp.height = height;
  mp.num_regions = regions;
  mp.num_obstacles = obstacles;
  return mp;
}

}  // namespace

TEST_CASE("maze maps: walled rooms with doors, every free point reachable, deterministic, at 40x30 and 160x120") {
  struct Size {
    MapParams params;
    uint64_t seeds;
  };
  const std::vector<Size> sizes = {{maze(40, 30, 10, 8), test::workload<uint64_t>(20, 5)},
                                   {maze(80, 60, 12, 20), test::workload<uint64_t>(3, 1)},
                                   {maze(160, 120, 16, 40), 1}};
  for (const Size& size : sizes)
    for (uint64_t seed = 2001; seed < 2001 + size.seeds; ++seed) {
      CAPTURE(size.params.width);
      CAPTURE(seed);
      const World w = generate_map(seed, size.params);
      CHECK(w.width == size.params.width);
      CHECK(static_cast<int>(w.regions.size()) == size.params.num_regions);
      REQUIRE(validate_world(w) == "");  // sites free, boxes valid, free space one connected piece
      for (const Region& r : w.regions) CHECK(w.is_free(r.site));

      // Long walls: at least one box crosses most of a room, and walls outnumber the small obstacles.
      CHECK(longest_box(w) > 8);
      int walls = 0;
      for (const Obstacle& o : w.obstacles)
        walls += o.kind == Obstacle::Kind::Box && std::min(o.max.x - o.min.x, o.max.y - o.min.y) <= size.params.wall_thickness + 1e-9;
      CHECK(walls >= 6);
      CHECK(static_cast<int>(w.obstacles.size()) - walls <= size.params.num_obstacles);

      // Walls cross the map both ways: most straight lines from edge to edge meet one (a line
      // misses only where it passes a door on every wall line it crosses).
      int blocked_across = 0, blocked_down = 0;
      for (int k = 1; k <= 5; ++k) {
        blocked_across += !w.segment_free({0.1, w.height * k / 6}, {w.width - 0.1, w.height * k / 6});
        blocked_down += !w.segment_free({w.width * k / 6, 0.1}, {w.width * k / 6, w.height - 0.1});
      }
      CHECK(blocked_across >= 3);
      CHECK(blocked_down >= 3);

      CHECK(generate_map(seed, size.params).fingerprint() == w.fingerprint());
    }
  // Another seed, another maze; the open style of the same seed has no walls.
  const MapParams mp = maze(40, 30, 10, 8);
  CHECK(generate_map(2001, mp).fingerprint() != generate_map(2002, mp).fingerprint());
  CHECK(longest_box(generate_map(2001)) < 8);
}

TEST_CASE("map styles are spelled open and maze, and nothing else") {
  CHECK(parse_map_style("open") == MapStyle::Open);
  CHECK(parse_map_style("maze") == MapStyle::Maze);
  CHECK_FALSE(parse_map_style("Maze").has_value());
  CHECK_FALSE(parse_map_style("").has_value());
  CHECK(std::string(map_style_name(MapStyle::Maze)) == "maze");
  CHECK(MapParams{}.style == MapStyle::Open);
}
