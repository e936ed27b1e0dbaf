// Region lookup, obstacle tests and ray casting over a whole World.
#include "sim/world.hpp"

#include <algorithm>
#include <cstring>

namespace hjepa {

int World::region_at(Vec2 p) const {
  int best = 0;
  double best_d = kNoHit;
  for (int i = 0; i < static_cast<int>(regions.size()); ++i) {
    const double d = norm2(p - regions[i].site);
    if (d < best_d) best_d = d, best = i;
  }
  return best;
}

bool World::in_obstacle(Vec2 p) const {
  for (const auto& ob : obstacles)
    if (contains(ob, p)) return true;
  return false;
}

double World::raycast(Vec2 o, Vec2 d, double max_dist) const {
  double t = std::min(max_dist, raycast_walls(o, d, width, height));
  // Cull by bounding box of the ray segment before the exact test.
  const Vec2 e = o + d * t;
  const double lx = std::min(o.x, e.x), hx = std::max(o.x, e.x), ly = std::min(o.y, e.y), hy = std::max(o.y, e.y);
  for (const auto& ob : obstacles) {
    if (hx <= ob.min.x || lx >= ob.max.x || hy <= ob.min.y || ly >= ob.max.y) continue;
    t = std::min(t, hjepa::raycast(ob, o, d));
  }
  return t;
}

bool World::segment_free(Vec2 a, Vec2 b) const {
  if (!in_bounds(a) || !in_bounds(b)) return false;
  const double lx = std::min(a.x, b.x), hx = std::max(a.x, b.x), ly = std::min(a.y, b.y), hy = std::max(a.y, b.y);
  for (const auto& ob : obstacles) {
    if (hx <= ob.min.x || lx >= ob.max.x || hy <= ob.min.y || ly >= ob.max.y) continue;
    if (segment_hits(ob, a, b)) return false;
  }
  return true;
}

std::vector<Vec2> World::region_polygon(int i) const {
  // Clip the map rectangle by the half-plane "closer to site i than to site j" for every j.
  std::vector<Vec2> poly = {{0, 0}, {width, 0}, {width, height}, {0, height}}, next;
  const Vec2 si = regions[i].site;
  for (int j = 0; j < static_cast<int>(regions.size()) && !poly.empty(); ++j) {
    if (j == i) continue;
    const Vec2 sj = regions[j].site, n = sj - si;
    const double c = 0.5 * (norm2(sj) - norm2(si));
    next.clear();
    for (size_t k = 0; k < poly.size(); ++k) {
      const Vec2 a = poly[k], b = poly[(k + 1) % poly.size()];
      const double da = dot(a, n) - c, db = dot(b, n) - c;
      if (da <= 0) next.push_back(a);
      if ((da < 0 && db > 0) || (da > 0 && db < 0)) next.push_back(a + (b - a) * (da / (da - db)));
    }
    poly.swap(next);
  }
  return poly;
}

std::vector<std::vector<bool>> World::region_adjacency(double cell) const {
  const int n = static_cast<int>(regions.size());
  std::vector<std::vector<bool>> adj(n, std::vector<bool>(n, false));
  const int nx = std::max(1, static_cast<int>(width / cell)), ny = std::max(1, static_cast<int>(height / cell));
  std::vector<int> row(nx), prev(nx);
  for (int j = 0; j < ny; ++j) {
    for (int i = 0; i < nx; ++i) {
      row[i] = region_at({(i + 0.5) * width / nx, (j + 0.5) * height / ny});
      if (i > 0 && row[i] != row[i - 1]) adj[row[i]][row[i - 1]] = adj[row[i - 1]][row[i]] = true;
      if (j > 0 && row[i] != prev[i]) adj[row[i]][prev[i]] = adj[prev[i]][row[i]] = true;
    }
    std::swap(row, prev);
  }
  return adj;
}

uint64_t World::fingerprint() const {
  // FNV-1a over the exact bit patterns of every number.
  uint64_t h = 1469598103934665603ull;
  auto mix = [&](double v) {
    uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    for (int k = 0; k < 8; ++k) h = (h ^ ((bits >> (8 * k)) & 0xff)) * 1099511628211ull;
  };
  mix(width), mix(height);
  for (const auto& r : regions) mix(r.site.x), mix(r.site.y), mix(static_cast<int>(r.color));
  for (const auto& o : obstacles) {
    mix(static_cast<int>(o.kind));
    if (o.kind == Obstacle::Kind::Circle) mix(o.center.x), mix(o.center.y), mix(o.radius);
    else mix(o.min.x), mix(o.min.y), mix(o.max.x), mix(o.max.y);
  }
  return h;
}

}  // namespace hjepa
