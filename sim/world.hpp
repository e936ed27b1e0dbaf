// World: the constant description of a map (size, coloured Voronoi regions, obstacles).
// It never changes during an episode; everything that does lives in EnvState (env.hpp), including
// which gates are open: the queries below take that as an OpenGates mask (0: every gate closed).
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

// Which gates are open in one episode: bit g set = gate g (the g-th obstacle with p_closed > 0, in
// file order) is absent. 0 = every gate closed, i.e. every obstacle present.
using OpenGates = uint64_t;
constexpr int kMaxGates = 64;

// Advances the gate counter `gate` over `ob` and says whether `ob` is an open gate (absent) under `open`.
inline bool open_gate(const Obstacle& ob, int& gate, OpenGates open) {
  return ob.is_gate() && ((open >> gate++) & 1u);
}

struct World {
  double width = 40, height = 30;    // map size, world units
  std::vector<Region> regions;       // >= 2
  std::vector<Obstacle> obstacles;   // circles and boxes, in file order
  // Gates drawn together: one uniform number per episode, each gate closed when it falls below the gate's
  // p_closed (so gates of equal p are all closed or all open); false = each gate drawn on its own.
  bool gates_shared = false;

  // Index of the region containing p (nearest site; ties go to the lower index).
  int region_at(Vec2 p) const;
  Color color_at(Vec2 p) const { return regions[region_at(p)].color; }
  bool in_bounds(Vec2 p) const { return p.x >= 0 && p.x <= width && p.y >= 0 && p.y <= height; }
  // The obstacle queries see every obstacle except the gates `open` marks open.
  bool in_obstacle(Vec2 p, OpenGates open = 0) const;
  // Inside the map and outside every obstacle's interior.
  bool is_free(Vec2 p, OpenGates open = 0) const { return in_bounds(p) && !in_obstacle(p, open); }
  // Distance along unit direction d from o to the first wall or obstacle, capped at max_dist.
  double raycast(Vec2 o, Vec2 d, double max_dist, OpenGates open = 0) const;
  // True if the segment a-b stays in the map and enters no obstacle.
  bool segment_free(Vec2 a, Vec2 b, OpenGates open = 0) const;
  // Gates: how many, the obstacle index of gate g (-1 if none), and the map as one episode sees it
  // (open gates removed, closed ones plain boxes: a gate-less World for the oracle and the free grids).
  int gate_count() const;
  int gate_obstacle(int gate) const;
  World with_gates(OpenGates open) const;
  // A 64-bit hash of everything above (model files record it to refuse the wrong map). A gate adds its
  // p_closed; plain obstacles hash as they did before gates existed.
  uint64_t fingerprint() const;
};

}  // namespace hjepa
