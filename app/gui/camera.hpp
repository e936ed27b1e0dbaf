// The world view's camera: maps world units (y up) to window pixels (y down) inside a viewport
// rectangle, with pan, zoom about a point and fit-to-view.
#pragma once
#include <SFML/Graphics/Rect.hpp>
#include <SFML/Graphics/Transform.hpp>
#include <algorithm>
#include <cmath>

#include "sim/geometry.hpp"

namespace hjepa {

struct Camera {
  Vec2 center{20, 15};              // world point shown at the viewport centre
  double pixels_per_unit = 25;      // zoom
  sf::FloatRect viewport{0, 0, 1000, 900};  // window pixels the world is drawn into

  sf::Vector2f viewport_center() const { return {viewport.left + viewport.width / 2, viewport.top + viewport.height / 2}; }
  sf::Vector2f to_screen(Vec2 w) const {
    const sf::Vector2f c = viewport_center();
    return {static_cast<float>(c.x + (w.x - center.x) * pixels_per_unit),
            static_cast<float>(c.y - (w.y - center.y) * pixels_per_unit)};
  }
  Vec2 to_world(sf::Vector2f s) const {
    const sf::Vector2f c = viewport_center();
    return {center.x + (s.x - c.x) / pixels_per_unit, center.y - (s.y - c.y) / pixels_per_unit};
  }
  // World-to-screen as an SFML transform, for vertex arrays cached in world units.
  sf::Transform transform() const {
    const sf::Vector2f c = viewport_center();
    const float s = static_cast<float>(pixels_per_unit);
    return sf::Transform(s, 0, c.x - s * static_cast<float>(center.x),  //
                         0, -s, c.y + s * static_cast<float>(center.y),  //
                         0, 0, 1);
  }
  void pan_pixels(sf::Vector2f delta) {
    center.x -= delta.x / pixels_per_unit;
    center.y += delta.y / pixels_per_unit;
  }
  // Zooms by `factor`, keeping the world point under `screen_point` fixed.
  void zoom_about(sf::Vector2f screen_point, double factor) {
    const Vec2 anchor = to_world(screen_point);
    pixels_per_unit = std::clamp(pixels_per_unit * factor, 2.0, 400.0);
    const Vec2 moved = to_world(screen_point);
    center = center + (anchor - moved);
  }
  // Shows the whole [0,width]x[0,height] map with `margin` pixels to spare on every side, plus
  // `reserve_top`/`reserve_bottom` pixels kept free for overlays above and below it.
  void fit(double width, double height, float margin, float reserve_top = 0, float reserve_bottom = 0) {
    const double sx = (viewport.width - 2 * margin) / width;
    const double sy = (viewport.height - 2 * margin - reserve_top - reserve_bottom) / height;
    pixels_per_unit = std::max(1.0, std::min(sx, sy));
    center = {width / 2, height / 2 + (reserve_top - reserve_bottom) / 2 / pixels_per_unit};
  }
  bool contains(sf::Vector2f s) const { return viewport.contains(s); }
};

}  // namespace hjepa
