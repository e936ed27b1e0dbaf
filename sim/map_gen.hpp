// Procedural maps from (seed, MapParams): Voronoi regions coloured so that some colour pairs are
// not adjacent, and small obstacles kept apart so every free point stays reachable.
#pragma once
#include <cstdint>

#include "sim/world.hpp"

namespace hjepa {

struct MapParams {
  double width = 40;           // map width, world units, > 0
  double height = 30;          // map height, world units, > 0
  int num_regions = 10;        // Voronoi sites, 6..16
  int num_obstacles = 20;      // obstacles placed (fewer only if they cannot fit), 0..60
  double circle_fraction = 0.5;  // share of obstacles that are circles (rest are boxes), 0..1
  double min_radius = 0.5;     // circle radius range, units
  double max_radius = 1.3;
  double min_box_side = 0.8;   // box side range, units
  double max_box_side = 2.6;
  double clearance = 1.2;      // minimum gap between obstacles, and to the walls, units
};

World generate_map(uint64_t seed, const MapParams& params = {});

}  // namespace hjepa
