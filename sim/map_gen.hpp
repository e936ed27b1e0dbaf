// Procedural maps from (seed, MapParams): Voronoi regions coloured so that some colour pairs are
// not adjacent, and small obstacles kept apart so every free point stays reachable. The maze style
// adds rooms first: thin walls on a grid of cells, joined by doors along a random spanning tree.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "sim/world.hpp"

namespace hjepa {

// The declared ranges of the generator's size, region and obstacle counts, shared by `hjepa map`,
// suite files and the tests (map files accept sides up to the same 200).
constexpr double kMapSideMin = 5, kMapSideMax = 200;
constexpr int kMapRegionsMin = 6, kMapRegionsMax = 16;
constexpr int kMapObstaclesMax = 60;
constexpr int kMapGatesMax = 16;  // map.gates; a maze of 40 x 30 has about 4 doors on loops

// The layouts the generator draws; kMapStyleNames spells them (CLI flags, suite files, map.style).
enum class MapStyle {
  Open,  // Voronoi regions with small obstacles scattered over open ground (the original maps)
  Maze,  // the same regions under a grid of walled rooms joined by doors: dead ends, loops, detours
};
inline constexpr const char* kMapStyleNames[] = {"open", "maze"};
const char* map_style_name(MapStyle style);
std::optional<MapStyle> parse_map_style(const std::string& name);  // nullopt for an unknown name

struct MapParams {
  MapStyle style = MapStyle::Open;  // layout: open ground, or rooms, walls and doors (see MapStyle)
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
  // Maze style only. Obstacles above are then placed inside the rooms, clear of the walls.
  double maze_cell_min = 8;    // room side range, units: one side is drawn per map, then fitted to W and H
  double maze_cell_max = 12;
  double wall_thickness = 0.5; // walls are boxes this thick, centred on the cell lines, units
  double door_min = 2.5;       // door width range, units (a 1-unit step passes; the oracle agent
  double door_max = 3.5;       //   gets stuck on a door's jamb less often than with 2-3)
  double extra_doors = 0.15;   // share of the walls off the spanning tree that also get a door (loops), 0..1
  double removed_walls = 0.05; // share of them removed whole (larger, L-shaped rooms), 0..1
  int num_gates = 0;           // maze style: doors closed by a gate (a box with p_closed) whose rooms stay joined
                               //   another way with every gate closed, 0..kMapGatesMax (fewer if the maze has fewer)
  double gate_p_closed = 0.5;  // each gate's probability of being closed in an episode, (0, 1)
};

// "" if the generator accepts the combination of parameters, else what is wrong and what was expected
// (gates are doors in a maze's walls: map.gates > 0 needs map.style maze).
std::string map_params_problem(const MapParams& params);

// Throws std::invalid_argument when map_params_problem(params) is not "".
World generate_map(uint64_t seed, const MapParams& params = {});

}  // namespace hjepa
