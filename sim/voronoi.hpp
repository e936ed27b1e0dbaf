// Each region of a World as a convex polygon: the map rectangle clipped by the bisector
// half-planes of the other sites. Every edge remembers the region on its other side (-1 = map edge).
#pragma once
#include <vector>

#include "sim/world.hpp"

namespace hjepa {

struct VoronoiCell {
  std::vector<Vec2> points;       // counter-clockwise (world y up)
  std::vector<int> edge_neighbor; // edge k joins points[k] and points[k+1]; region across it, or -1
};

std::vector<VoronoiCell> voronoi_cells(const World& world);

// adjacency[i][j]: regions i and j share a border of positive length (exact, from the cells).
std::vector<std::vector<bool>> region_adjacency(const World& world);

}  // namespace hjepa
