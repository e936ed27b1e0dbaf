// Region lookup, obstacle tests and ray casting over a whole World.
#include "sim/world.hpp"

#include <algorithm>
#include <cstring>

#include "sim/fnv1a.hpp"

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

bool World::in_obstacle(Vec2 p, OpenGates open) const {
  int gate = 0;
  for (const auto& ob : obstacles)
    if (!open_gate(ob, gate, open) && contains(ob, p)) return true;
  return false;
}

int World::gate_count() const {
  return static_cast<int>(std::count_if(obstacles.begin(), obstacles.end(), [](const Obstacle& o) { return o.is_gate(); }));
}

int World::gate_obstacle(int gate) const {
  for (int k = 0; k < static_cast<int>(obstacles.size()); ++k)
    if (obstacles[k].is_gate() && gate-- == 0) return k;
  return -1;
}

World World::with_gates(OpenGates open) const {
  World w = *this;
  w.obstacles.clear();
  w.gates_shared = false;  // no gates left
  int gate = 0;
  for (Obstacle ob : obstacles) {
    if (open_gate(ob, gate, open)) continue;
    ob.p_closed = 0;
    w.obstacles.push_back(ob);
  }
  return w;
}

double World::raycast(Vec2 o, Vec2 d, double max_dist, OpenGates open) const {
  double t = std::min(max_dist, raycast_walls(o, d, width, height));
  // Cull by bounding box of the ray segment before the exact test.
  const Vec2 e = o + d * t;
  const double lx = std::min(o.x, e.x), hx = std::max(o.x, e.x), ly = std::min(o.y, e.y), hy = std::max(o.y, e.y);
  int gate = 0;
  for (const auto& ob : obstacles) {
    if (open_gate(ob, gate, open)) continue;  // first: the gate counter must see every obstacle
    if (hx <= ob.min.x || lx >= ob.max.x || hy <= ob.min.y || ly >= ob.max.y) continue;
    t = std::min(t, hjepa::raycast(ob, o, d));
  }
  return t;
}

bool World::segment_free(Vec2 a, Vec2 b, OpenGates open) const {
  if (!in_bounds(a) || !in_bounds(b)) return false;
  const double lx = std::min(a.x, b.x), hx = std::max(a.x, b.x), ly = std::min(a.y, b.y), hy = std::max(a.y, b.y);
  int gate = 0;
  for (const auto& ob : obstacles) {
    if (open_gate(ob, gate, open)) continue;
    if (hx <= ob.min.x || lx >= ob.max.x || hy <= ob.min.y || ly >= ob.max.y) continue;
    if (segment_hits(ob, a, b)) return false;
  }
  return true;
}

uint64_t World::fingerprint() const {
  // FNV-1a over the exact bit patterns of every number.
  uint64_t h = kFnv1aOffset;
  auto mix = [&](double v) {
    uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    for (int k = 0; k < 8; ++k) h = fnv1a64_byte(h, static_cast<unsigned char>(bits >> (8 * k)));  // little-endian order
  };
  mix(width), mix(height);
  for (const auto& r : regions) mix(r.site.x), mix(r.site.y), mix(static_cast<int>(r.color));
  for (const auto& o : obstacles) {
    mix(static_cast<int>(o.kind));
    if (o.kind == Obstacle::Kind::Circle) mix(o.center.x), mix(o.center.y), mix(o.radius);
    else mix(o.min.x), mix(o.min.y), mix(o.max.x), mix(o.max.y);
    if (o.is_gate()) mix(o.p_closed);  // only gates: gate-less maps keep their fingerprints (and cached models)
  }
  if (gates_shared) mix(1.0);  // only when set: every other map keeps its fingerprint
  return h;
}

}  // namespace hjepa
