// Exact ray and segment tests against circles, boxes and the map walls (see geometry.hpp).
#include "sim/geometry.hpp"

#include <algorithm>

namespace hjepa {

double raycast_circle(Vec2 o, Vec2 d, Vec2 center, double radius) {
  // |o + t d - c|^2 = r^2  ->  t^2 + 2 b t + c0 = 0 with b = d.(o-c), c0 = |o-c|^2 - r^2.
  const Vec2 m = o - center;
  const double b = dot(m, d);
  const double c0 = norm2(m) - radius * radius;
  if (c0 < 0) return 0.0;              // starts inside
  if (b >= 0) return kNoHit;           // on or outside and not heading inwards
  const double disc = b * b - c0;
  if (disc <= 0) return kNoHit;        // misses or grazes
  return std::max(0.0, -b - std::sqrt(disc));
}

double raycast_box(Vec2 o, Vec2 d, Vec2 lo, Vec2 hi) {
  // Slab method on the open box: the ray is inside while strictly between both pairs of planes.
  double t0 = -kNoHit, t1 = kNoHit;
  const double os[2] = {o.x, o.y}, ds[2] = {d.x, d.y}, los[2] = {lo.x, lo.y}, his[2] = {hi.x, hi.y};
  for (int a = 0; a < 2; ++a) {
    if (ds[a] == 0) {
      if (!(os[a] > los[a] && os[a] < his[a])) return kNoHit;  // parallel and not strictly inside the slab
      continue;
    }
    double ta = (los[a] - os[a]) / ds[a], tb = (his[a] - os[a]) / ds[a];
    if (ta > tb) std::swap(ta, tb);
    t0 = std::max(t0, ta);
    t1 = std::min(t1, tb);
  }
  if (!(t0 < t1) || t1 <= 0) return kNoHit;  // empty overlap (corner touch) or behind
  return std::max(0.0, t0);
}

double raycast(const Obstacle& ob, Vec2 o, Vec2 d) {
  return ob.kind == Obstacle::Kind::Circle ? raycast_circle(o, d, ob.center, ob.radius)
                                           : raycast_box(o, d, ob.min, ob.max);
}

double raycast_walls(Vec2 o, Vec2 d, double w, double h) {
  double t = kNoHit;
  if (d.x > 0) t = std::min(t, (w - o.x) / d.x);
  if (d.x < 0) t = std::min(t, -o.x / d.x);
  if (d.y > 0) t = std::min(t, (h - o.y) / d.y);
  if (d.y < 0) t = std::min(t, -o.y / d.y);
  return std::max(0.0, t);
}

bool contains(const Obstacle& ob, Vec2 p) {
  if (ob.kind == Obstacle::Kind::Circle) return norm2(p - ob.center) < ob.radius * ob.radius;
  return p.x > ob.min.x && p.x < ob.max.x && p.y > ob.min.y && p.y < ob.max.y;
}

bool segment_hits(const Obstacle& ob, Vec2 a, Vec2 b) {
  // Quick reject on bounding boxes, then an exact ray test limited to the segment length.
  if (std::max(a.x, b.x) <= ob.min.x || std::min(a.x, b.x) >= ob.max.x ||
      std::max(a.y, b.y) <= ob.min.y || std::min(a.y, b.y) >= ob.max.y)
    return false;
  const Vec2 ab = b - a;
  const double len = norm(ab);
  if (len == 0) return contains(ob, a);
  const double t = raycast(ob, a, ab * (1.0 / len));
  return t < len;
}

}  // namespace hjepa
