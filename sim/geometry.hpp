// 2-D vectors, the two obstacle shapes and exact ray/segment tests against them.
// Convention: obstacles are OPEN sets. A ray "hits" only when it enters the interior, so a
// grazing (tangent) ray or one sliding along a box face does not hit, and a ray that starts on
// a boundary hits at t = 0 only if it heads inwards.
#pragma once
#include <algorithm>
#include <cmath>
#include <limits>

namespace hjepa {

constexpr double kPi = 3.141592653589793;

struct Vec2 {
  double x = 0, y = 0;
};
inline Vec2 operator+(Vec2 a, Vec2 b) { return {a.x + b.x, a.y + b.y}; }
inline Vec2 operator-(Vec2 a, Vec2 b) { return {a.x - b.x, a.y - b.y}; }
inline Vec2 operator*(Vec2 a, double s) { return {a.x * s, a.y * s}; }
inline Vec2 operator*(double s, Vec2 a) { return {a.x * s, a.y * s}; }
inline bool operator==(Vec2 a, Vec2 b) { return a.x == b.x && a.y == b.y; }
inline double dot(Vec2 a, Vec2 b) { return a.x * b.x + a.y * b.y; }
inline double norm2(Vec2 a) { return dot(a, a); }
inline double norm(Vec2 a) { return std::sqrt(norm2(a)); }
inline double dist(Vec2 a, Vec2 b) { return norm(a - b); }
inline Vec2 heading_dir(double heading) { return {std::cos(heading), std::sin(heading)}; }

constexpr double kNoHit = std::numeric_limits<double>::infinity();

// A circle (center, radius) or an axis-aligned box (min, max); one struct keeps file order.
struct Obstacle {
  enum class Kind { Circle, Box };
  Kind kind = Kind::Circle;
  Vec2 center{};     // circle centre
  double radius = 0; // circle radius, > 0
  Vec2 min{}, max{}; // box corners, min < max on both axes; for circles, the bounding box
  double p_closed = 0; // a gate (boxes only): present in an episode with this probability, 0 < p < 1; 0 = always present

  static Obstacle circle(Vec2 c, double r) { return {Kind::Circle, c, r, {c.x - r, c.y - r}, {c.x + r, c.y + r}}; }
  static Obstacle box(Vec2 lo, Vec2 hi) { return {Kind::Box, (lo + hi) * 0.5, 0, lo, hi}; }
  static Obstacle gate(Vec2 lo, Vec2 hi, double p) { return {Kind::Box, (lo + hi) * 0.5, 0, lo, hi, p}; }
  bool is_gate() const { return p_closed > 0; }
};

// Distance t >= 0 along the unit direction d at which the ray o + t d enters the shape, or kNoHit.
inline double raycast_circle(Vec2 o, Vec2 d, Vec2 center, double radius) {
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
inline double raycast_box(Vec2 o, Vec2 d, Vec2 lo, Vec2 hi) {
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
inline double raycast(const Obstacle& ob, Vec2 o, Vec2 d) {
  return ob.kind == Obstacle::Kind::Circle ? raycast_circle(o, d, ob.center, ob.radius)
                                           : raycast_box(o, d, ob.min, ob.max);
}
// Distance along d to the boundary of the rectangle [0,w]x[0,h] from a point inside it.
inline double raycast_walls(Vec2 o, Vec2 d, double w, double h) {
  double t = kNoHit;
  if (d.x > 0) t = std::min(t, (w - o.x) / d.x);
  if (d.x < 0) t = std::min(t, -o.x / d.x);
  if (d.y > 0) t = std::min(t, (h - o.y) / d.y);
  if (d.y < 0) t = std::min(t, -o.y / d.y);
  return std::max(0.0, t);
}

// True if p lies in the open interior of the obstacle.
inline bool contains(const Obstacle& ob, Vec2 p) {
  if (ob.kind == Obstacle::Kind::Circle) return norm2(p - ob.center) < ob.radius * ob.radius;
  return p.x > ob.min.x && p.x < ob.max.x && p.y > ob.min.y && p.y < ob.max.y;
}
// True if the closed segment a-b enters the interior of the obstacle.
bool segment_hits(const Obstacle& ob, Vec2 a, Vec2 b);

}  // namespace hjepa
