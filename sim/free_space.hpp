// Free-space grids: which cell centres are free, and whether all free space is one connected piece.
#pragma once
#include <cstdint>
#include <vector>

#include "sim/world.hpp"

namespace hjepa {

struct FreeGrid {
  double cell = 0.1;          // cell side, world units
  int nx = 0, ny = 0;         // cells across and down
  std::vector<uint8_t> free;  // 1 if the cell centre is a free point
  Vec2 center(int i, int j) const { return {(i + 0.5) * cell, (j + 0.5) * cell}; }
  int index(int i, int j) const { return j * nx + i; }
};

FreeGrid make_free_grid(const World& world, double cell);

// Labels the free cells into connected components (4-neighbours joined when the segment between
// their centres is free). Returns the component count; label[c] = -1 for blocked cells.
int label_free_components(const World& world, const FreeGrid& grid, std::vector<int>& label);

// True if every free cell centre (at resolution `cell`) can reach every other. Gaps narrower than
// the cell may be reported as blocked, never the other way round.
bool free_space_connected(const World& world, double cell = 0.1);

}  // namespace hjepa
