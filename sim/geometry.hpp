// 2-D vectors, the two obstacle shapes and exact ray/segment tests against them.
// Convention: obstacles are OPEN sets. A ray "hits" only when it enters the interior, so a
// grazing (tangent) ray or one sliding along a box face does not hit, and a ray that starts on
// a boundary hits at t = 0 only if it heads inwards.
#pragma once
#include <cmath>
#include <limits>

namespace hjepa {

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

  static Obstacle circle(Vec2 c, double r) { return {Kind::Circle, c, r, {c.x - r, c.y - r}, {c.x + r, c.y + r}}; }
  static Obstacle box(Vec2 lo, Vec2 hi) { return {Kind::Box, (lo + hi) * 0.5, 0, lo, hi}; }
};

// Distance t >= 0 along the unit direction d at which the ray o + t d enters the shape, or kNoHit.
double raycast_circle(Vec2 o, Vec2 d, Vec2 center, double radius);
double raycast_box(Vec2 o, Vec2 d, Vec2 lo, Vec2 hi);
double raycast(const Obstacle& ob, Vec2 o, Vec2 d);
// Distance along d to the boundary of the rectangle [0,w]x[0,h] from a point inside it.
double raycast_walls(Vec2 o, Vec2 d, double w, double h);

// True if p lies in the open interior of the obstacle.
bool contains(const Obstacle& ob, Vec2 p);
// True if the closed segment a-b enters the interior of the obstacle.
bool segment_hits(const Obstacle& ob, Vec2 a, Vec2 b);

}  // namespace hjepa
