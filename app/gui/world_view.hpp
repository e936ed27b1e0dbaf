// Draws the world view: region fills and obstacles from SFML vertex arrays cached per map, then the
// overlays (borders, labels, trail, rays, agent, plan, task chips) anti-aliased on ImGui's
// background draw list, which renders under the panels. Reads the session through const references.
#pragma once
#include <SFML/Graphics/RenderTarget.hpp>
#include <SFML/Graphics/VertexArray.hpp>
#include <vector>

#include "app/gui/camera.hpp"
#include "app/gui/session.hpp"
#include "sim/voronoi.hpp"

struct ImDrawList;
struct ImFont;

namespace hjepa {

struct Overlays {
  bool borders = true;       // region borders
  bool labels = true;        // colour names at the region sites
  bool trail = true;         // true positions since reset
  bool rays = true;          // range-ring rays of the last observation
  bool perceived = true;     // perceived position (hollow ring)
  bool plan = true;          // the oracle agent's planned path and its stage points
  bool task = true;          // task chips with progress, top-left
  bool help = true;          // shortcut line, bottom-left
};

struct ViewFonts {
  ImFont* label = nullptr;   // region labels and help line
  ImFont* chip = nullptr;    // task chips and stage numbers
};

class WorldView {
 public:
  // SFML pass: background, region fills, obstacle fills.
  void draw_world(sf::RenderTarget& target, const Camera& camera, const Session& session);
  // ImGui pass (call between ImGui::NewFrame and ImGui::Render).
  void draw_overlays(ImDrawList& list, const Camera& camera, const Session& session, const Overlays& overlays,
                     const ViewFonts& fonts, int hovered_region) const;

 private:
  void rebuild(const World& world);
  int cached_version_ = -1;
  std::vector<VoronoiCell> cells_;
  sf::VertexArray region_fill_{sf::Triangles};
  sf::VertexArray obstacle_fill_{sf::Triangles};
};

}  // namespace hjepa
