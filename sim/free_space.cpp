// Free-space grids and the connectivity check used by the map loader and the generator.
#include "sim/free_space.hpp"

#include <algorithm>
#include <cmath>

namespace hjepa {

FreeGrid make_free_grid(const World& world, double cell) {
  FreeGrid g;
  g.cell = cell;
  g.nx = std::max(1, static_cast<int>(std::floor(world.width / cell)));
  g.ny = std::max(1, static_cast<int>(std::floor(world.height / cell)));
  g.free.assign(static_cast<size_t>(g.nx) * g.ny, 1);
  // Rasterise each obstacle over the cells of its bounding box (centres strictly inside are blocked).
  for (const auto& ob : world.obstacles) {
    const int i0 = std::max(0, static_cast<int>(std::floor(ob.min.x / cell - 0.5)));
    const int i1 = std::min(g.nx - 1, static_cast<int>(std::ceil(ob.max.x / cell - 0.5)));
    const int j0 = std::max(0, static_cast<int>(std::floor(ob.min.y / cell - 0.5)));
    const int j1 = std::min(g.ny - 1, static_cast<int>(std::ceil(ob.max.y / cell - 0.5)));
    for (int j = j0; j <= j1; ++j)
      for (int i = i0; i <= i1; ++i)
        if (contains(ob, g.center(i, j))) g.free[g.index(i, j)] = 0;
  }
  return g;
}

int label_free_components(const World& world, const FreeGrid& g, std::vector<int>& label) {
  label.assign(g.free.size(), -1);
  std::vector<int> stack;
  int count = 0;
  for (int start = 0; start < static_cast<int>(g.free.size()); ++start) {
    if (!g.free[start] || label[start] >= 0) continue;
    label[start] = count;
    stack.push_back(start);
    while (!stack.empty()) {
      const int c = stack.back();
      stack.pop_back();
      const int i = c % g.nx, j = c / g.nx;
      const int di[4] = {1, -1, 0, 0}, dj[4] = {0, 0, 1, -1};
      for (int k = 0; k < 4; ++k) {
        const int ni = i + di[k], nj = j + dj[k];
        if (ni < 0 || nj < 0 || ni >= g.nx || nj >= g.ny) continue;
        const int n = g.index(ni, nj);
        if (!g.free[n] || label[n] >= 0) continue;
        if (!world.segment_free(g.center(i, j), g.center(ni, nj))) continue;
        label[n] = count;
        stack.push_back(n);
      }
    }
    ++count;
  }
  return count;
}

bool free_space_connected(const World& world, double cell) {
  const FreeGrid g = make_free_grid(world, cell);
  std::vector<int> label;
  return label_free_components(world, g, label) <= 1;
}

}  // namespace hjepa
