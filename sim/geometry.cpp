// Segment tests against obstacles (the ray tests are inline in geometry.hpp).
#include "sim/geometry.hpp"

#include <algorithm>

namespace hjepa {

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
