// Sutherland-Hodgman clipping of the map rectangle by one bisector half-plane per other site.
#include "sim/voronoi.hpp"

namespace hjepa {
namespace {

// Keeps the part of `cell` closer to site a than to site b; new edges on the bisector get label b.
VoronoiCell clip_by_bisector(const VoronoiCell& cell, Vec2 a, Vec2 b, int b_index) {
  const Vec2 normal = b - a, mid = (a + b) * 0.5;
  auto side = [&](Vec2 p) { return dot(p - mid, normal); };  // <= 0 is a's side
  VoronoiCell out;
  const size_t n = cell.points.size();
  for (size_t k = 0; k < n; ++k) {
    const Vec2 p = cell.points[k], q = cell.points[(k + 1) % n];
    const double sp = side(p), sq = side(q);
    const int label = cell.edge_neighbor[k];
    auto crossing = [&] { return p + (q - p) * (sp / (sp - sq)); };
    if (sp <= 0 && sq <= 0) {
      out.points.push_back(p), out.edge_neighbor.push_back(label);
    } else if (sp <= 0) {
      out.points.push_back(p), out.edge_neighbor.push_back(label);
      out.points.push_back(crossing()), out.edge_neighbor.push_back(b_index);
    } else if (sq <= 0) {
      out.points.push_back(crossing()), out.edge_neighbor.push_back(label);
    }
  }
  return out;
}

}  // namespace

std::vector<VoronoiCell> voronoi_cells(const World& world) {
  const VoronoiCell rectangle{{{0, 0}, {world.width, 0}, {world.width, world.height}, {0, world.height}}, {-1, -1, -1, -1}};
  std::vector<VoronoiCell> cells;
  cells.reserve(world.regions.size());
  for (size_t i = 0; i < world.regions.size(); ++i) {
    VoronoiCell cell = rectangle;
    for (size_t j = 0; j < world.regions.size() && cell.points.size() >= 3; ++j)
      if (j != i && !(world.regions[j].site == world.regions[i].site))
        cell = clip_by_bisector(cell, world.regions[i].site, world.regions[j].site, static_cast<int>(j));
    cells.push_back(std::move(cell));
  }
  return cells;
}

std::vector<std::vector<bool>> region_adjacency(const World& world) {
  const size_t n = world.regions.size();
  std::vector<std::vector<bool>> adj(n, std::vector<bool>(n, false));
  const std::vector<VoronoiCell> cells = voronoi_cells(world);
  for (size_t i = 0; i < n; ++i) {
    const VoronoiCell& c = cells[i];
    for (size_t k = 0; k < c.points.size(); ++k) {
      const int j = c.edge_neighbor[k];
      if (j >= 0 && dist(c.points[k], c.points[(k + 1) % c.points.size()]) > 1e-9) adj[i][j] = adj[j][i] = true;
    }
  }
  return adj;
}

}  // namespace hjepa
