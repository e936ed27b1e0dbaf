// Procedural maps from (seed, MapParams): Voronoi regions coloured so that some colour pairs are
// not adjacent, and small obstacles kept apart so every free point stays reachable.
#pragma once
#include <cstdint>

#include "sim/world.hpp"

namespace hjepa {

// The declared ranges of the generator's size, region and obstacle counts, shared by `hjepa map`,
// suite files and the tests (map files accept sides up to the same 200).
constexpr double kMapSideMin = 5, kMapSideMax = 200;
constexpr int kMapRegionsMin = 6, kMapRegionsMax = 16;
constexpr int kMapObstaclesMax = 60;

struct MapParams {
  double width = 40;           // map width, world units, kMapSideMin..kMapSideMax
  double height = 30;          // map height, world units, kMapSideMin..kMapSideMax
  int num_regions = 10;        // Voronoi sites, kMapRegionsMin..kMapRegionsMax
  int num_obstacles = 20;      // obstacles placed (fewer only if they cannot fit), 0..kMapObstaclesMax
  double circle_fraction = 0.5;  // share of obstacles that are circles (rest are boxes), 0..1
  double min_radius = 0.5;     // circle radius range, units
  double max_radius = 1.3;
  double min_box_side = 0.8;   // box side range, units
  double max_box_side = 2.6;
  double clearance = 1.2;      // minimum gap between obstacles, and to the walls, units
};

World generate_map(uint64_t seed, const MapParams& params = {});

}  // namespace hjepa
