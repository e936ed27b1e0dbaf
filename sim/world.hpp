// World: the constant description of a map (size, coloured Voronoi regions, obstacles).
// It never changes during an episode; everything that does lives in EnvState (env.hpp).
#pragma once
#include <cstdint>
#include <vector>

#include "sim/color.hpp"
#include "sim/geometry.hpp"

namespace hjepa {

struct Region {
  Vec2 site;    // Voronoi site: the region is every point closer to it than to any other site
  Color color;  // palette colour
};

struct World {
  double width = 40, height = 30;    // map size, world units
  std::vector<Region> regions;       // >= 2
  std::vector<Obstacle> obstacles;   // circles and boxes, in file order

  // Index of the region containing p (nearest site; ties go to the lower index).
  int region_at(Vec2 p) const;
  Color color_at(Vec2 p) const { return regions[region_at(p)].color; }
  bool in_bounds(Vec2 p) const { return p.x >= 0 && p.x <= width && p.y >= 0 && p.y <= height; }
  bool in_obstacle(Vec2 p) const;
  // Inside the map and outside every obstacle's interior.
  bool is_free(Vec2 p) const { return in_bounds(p) && !in_obstacle(p); }
  // Distance along unit direction d from o to the first wall or obstacle, capped at max_dist.
  double raycast(Vec2 o, Vec2 d, double max_dist) const;
  // True if the segment a-b stays in the map and enters no obstacle.
  bool segment_free(Vec2 a, Vec2 b) const;
  // A 64-bit hash of everything above (model files record it to refuse the wrong map).
  uint64_t fingerprint() const;
};

}  // namespace hjepa
