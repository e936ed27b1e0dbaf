// Procedural map generation: spaced Voronoi sites, a colouring with distinct neighbours and at
// least one non-adjacent colour pair, and obstacles separated by a clearance (so free space is
// connected by construction; it is still verified, and obstacles are dropped until it is).
#include "sim/map_gen.hpp"
#include "sim/voronoi.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "sim/free_space.hpp"
#include "sim/rng.hpp"

namespace hjepa {
namespace {

double point_box_distance(Vec2 p, Vec2 lo, Vec2 hi) {
  const double dx = std::max({0.0, lo.x - p.x, p.x - hi.x}), dy = std::max({0.0, lo.y - p.y, p.y - hi.y});
  return std::sqrt(dx * dx + dy * dy);
}

// Euclidean gap between two obstacles (0 when they touch or overlap).
double gap(const Obstacle& a, const Obstacle& b) {
  using K = Obstacle::Kind;
  if (a.kind == K::Circle && b.kind == K::Circle) return std::max(0.0, dist(a.center, b.center) - a.radius - b.radius);
  if (a.kind == K::Circle) return std::max(0.0, point_box_distance(a.center, b.min, b.max) - a.radius);
  if (b.kind == K::Circle) return gap(b, a);
  const double dx = std::max({0.0, a.min.x - b.max.x, b.min.x - a.max.x});
  const double dy = std::max({0.0, a.min.y - b.max.y, b.min.y - a.max.y});
  return std::sqrt(dx * dx + dy * dy);
}

double distance_to(const Obstacle& o, Vec2 p) {
  return o.kind == Obstacle::Kind::Circle ? std::max(0.0, dist(p, o.center) - o.radius)
                                          : point_box_distance(p, o.min, o.max);
}

std::vector<Vec2> place_sites(Rng& rng, const MapParams& mp) {
  std::vector<Vec2> sites;
  double spacing = 0.6 * std::sqrt(mp.width * mp.height / mp.num_regions);
  const double margin = std::min({1.0, mp.width / 4, mp.height / 4});
  while (static_cast<int>(sites.size()) < mp.num_regions) {
    bool placed = false;
    for (int attempt = 0; attempt < 500 && !placed; ++attempt) {
      const Vec2 p{rng.uniform(margin, mp.width - margin), rng.uniform(margin, mp.height - margin)};
      placed = std::all_of(sites.begin(), sites.end(), [&](Vec2 s) { return dist(s, p) >= spacing; });
      if (placed) sites.push_back(p);
    }
    if (!placed) spacing *= 0.9;
  }
  return sites;
}

// Colours regions, most-connected first, so neighbours differ and, when possible, every palette
// colour appears; retries palette shuffles until some pair of present colours shares no border.
void assign_colors(Rng& rng, World& w) {
  const int n = static_cast<int>(w.regions.size());
  const auto adj = region_adjacency(w);
  std::vector<int> degree(n, 0), order_regions(n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) degree[i] += adj[i][j];
  for (int i = 0; i < n; ++i) order_regions[i] = i;
  std::stable_sort(order_regions.begin(), order_regions.end(), [&](int a, int b) { return degree[a] > degree[b]; });
  std::vector<Color> fallback;
  for (int attempt = 0; attempt < 64; ++attempt) {
    std::array<int, kNumColors> palette;
    for (int c = 0; c < kNumColors; ++c) palette[c] = c;
    for (int c = kNumColors - 1; c > 0; --c) std::swap(palette[c], palette[rng.below(c + 1)]);
    std::vector<int> color(n, -1);
    std::array<int, kNumColors> used{};
    bool proper = true;
    for (int i : order_regions) {
      int best = -1;
      for (int c : palette) {
        bool clash = false;
        for (int j = 0; j < n; ++j) clash |= adj[i][j] && color[j] == c;
        if (!clash && (best < 0 || used[c] < used[best])) best = c;
      }
      if (best < 0) proper = false, best = palette[0];
      color[i] = best;
      ++used[best];
    }
    for (int i = 0; i < n; ++i) w.regions[i].color = static_cast<Color>(color[i]);
    if (!proper) continue;
    if (fallback.empty())
      for (const auto& r : w.regions) fallback.push_back(r.color);
    std::array<std::array<bool, kNumColors>, kNumColors> touch{};
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j)
        if (adj[i][j]) touch[color[i]][color[j]] = true;
    for (int a = 0; a < kNumColors; ++a)
      for (int b = a + 1; b < kNumColors; ++b)
        if (used[a] && used[b] && !touch[a][b]) return;
  }
  for (int i = 0; i < n && !fallback.empty(); ++i) w.regions[i].color = fallback[i];
}

Obstacle random_obstacle(Rng& rng, const MapParams& mp) {
  const double m = mp.clearance;
  if (rng.uniform() < mp.circle_fraction) {
    const double r = rng.uniform(mp.min_radius, mp.max_radius);
    return Obstacle::circle({rng.uniform(m + r, mp.width - m - r), rng.uniform(m + r, mp.height - m - r)}, r);
  }
  const double sx = rng.uniform(mp.min_box_side, mp.max_box_side), sy = rng.uniform(mp.min_box_side, mp.max_box_side);
  const Vec2 lo{rng.uniform(m, mp.width - m - sx), rng.uniform(m, mp.height - m - sy)};
  return Obstacle::box(lo, {lo.x + sx, lo.y + sy});
}

}  // namespace

World generate_map(uint64_t seed, const MapParams& mp) {
  Rng rng(seed);
  World w;
  w.width = mp.width;
  w.height = mp.height;
  for (Vec2 s : place_sites(rng, mp)) w.regions.push_back({s, Color::Red});
  assign_colors(rng, w);

  const double site_clearance = 0.8;  // keeps every site (and a little room around it) free
  for (int k = 0; k < mp.num_obstacles; ++k) {
    for (int attempt = 0; attempt < 300; ++attempt) {
      const Obstacle o = random_obstacle(rng, mp);
      if (o.min.x < mp.clearance || o.min.y < mp.clearance || o.max.x > mp.width - mp.clearance ||
          o.max.y > mp.height - mp.clearance)
        continue;
      bool ok = std::all_of(w.regions.begin(), w.regions.end(),
                            [&](const Region& r) { return distance_to(o, r.site) >= site_clearance; });
      ok = ok && std::all_of(w.obstacles.begin(), w.obstacles.end(),
                             [&](const Obstacle& other) { return gap(o, other) >= mp.clearance; });
      if (ok) {
        w.obstacles.push_back(o);
        break;
      }
    }
  }
  while (!w.obstacles.empty() && !free_space_connected(w, 0.1)) w.obstacles.pop_back();
  return w;
}

}  // namespace hjepa
