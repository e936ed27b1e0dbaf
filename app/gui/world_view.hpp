// Draws the world view in two layers. The static layer (background, map shadow, region fills,
// obstacles, region borders, obstacle outlines, map frame, region labels, the H-JEPA agent's
// learned place graph) is SFML vertex arrays cached per map in world units plus an ImGui draw
// list cached per map, model, camera, viewport and toggles; each frame it is only submitted (flat
// opaque fills, then the cached list through ImGui's OpenGL2 backend), never re-tessellated.
// (Blitting a cached sf::RenderTexture was measured slower under Mesa's software renderer: a
// textured quad over the whole view costs more than the flat fills.) The dynamic overlays (trail,
// rays, agent, the oracle's path, the learned agents' route, subgoal, imagined rollout, candidates
// and belief (agent_overlays.hpp), task chips, plan caption, legend, banner) are rebuilt every
// frame, anti-aliased, on ImGui's background draw list, which renders under the panels. Reads the
// session through const references. The OpenGL half (draw_world) is in world_view_gl.cpp, linked by
// the app only; app/render draws the same layers without OpenGL (add_fills, static_layer).
#pragma once
#include <SFML/Graphics/RenderTarget.hpp>
#include <SFML/Graphics/VertexArray.hpp>
#include <array>
#include <imgui.h>
#include <memory>
#include <vector>

#include "app/gui/camera.hpp"
#include "app/gui/session.hpp"
#include "sim/voronoi.hpp"


namespace hjepa {

struct Overlays {
  bool borders = true;       // region borders
  bool labels = true;        // colour names at the region sites
  bool trail = true;         // true positions since reset
  bool rays = true;          // range-ring rays of the last observation
  bool perceived = true;     // perceived position (hollow ring)
  bool plan = true;          // the oracle agent's planned path and its stage points
  bool place_graph = true;   // H-JEPA: the learned place graph (faint nodes and edges), decoded by the probe
  bool route = true;         // H-JEPA: the high-level plan's places and edges, numbered along the route
  bool subgoal = true;       // H-JEPA: the place level 1 steers to (target mark)
  bool imagined = true;      // learned agents: the chosen plan's imagined rollout, decoded by the probe
  bool candidates = true;    // learned agents: the optimiser's candidate rollouts (faint)
  bool belief = true;        // learned agents: the belief decoded by the probe (diamond)
  bool task = true;          // task chips with progress, top-left
  bool help = true;          // shortcut line, bottom-left
  bool legend = true;        // what the marks mean (bottom strip) and the H-JEPA plan in words (under the task chips)
};

struct ViewFonts {
  ImFont* label = nullptr;   // region labels and help line
  ImFont* chip = nullptr;    // task chips and stage numbers
};

// Room kept clear of the map when the camera is fitted to it, in pixels: a margin on every side, the
// task chips, plan caption and status line above, the legend strip and help line below.
constexpr float kFitMargin = 16, kChipsHeight = 104, kHelpHeight = 76;
// Fits the camera (its viewport set) to the whole map with that room to spare.
inline void fit_camera_to_map(Camera& camera, const World& world) {
  camera.fit(world.width, world.height, kFitMargin, kChipsHeight, kHelpHeight);
}

class WorldView {
 public:
  WorldView();
  ~WorldView();
  // Static layer, drawn into `window` over its cleared background with raw OpenGL for the cached
  // draw list (call between ImGui::NewFrame and ImGui::Render: the labels use ImGui's fonts).
  void draw_world(sf::RenderTarget& window, const Camera& camera, const Session& session, const Overlays& overlays,
                  const ViewFonts& fonts);
  // The same static layer for renderers without OpenGL (app/render), in two parts drawn in this order:
  // the map shadow and the region and obstacle fills as triangles appended to `list` (from the
  // geometry draw_world submits), then the cached draw list of the rest, rebuilt only when the map,
  // camera, viewport, toggles or place graph changed (layer_builds() counts the rebuilds). Call
  // between ImGui::NewFrame and ImGui::Render.
  void add_fills(ImDrawList& list, const Camera& camera, const Session& session);
  const ImDrawList& static_layer(const Camera& camera, const Session& session, const Overlays& overlays, const ViewFonts& fonts);
  // Dynamic overlays on ImGui's background draw list (call between ImGui::NewFrame and ImGui::Render).
  void draw_overlays(ImDrawList& list, const Camera& camera, const Session& session, const Overlays& overlays,
                     const ViewFonts& fonts, int hovered_region);
  // How many times the static draw list was rebuilt (camera moves, new map, toggles).
  int layer_builds() const { return layer_builds_; }

 private:
  struct LayerKey {
    int world_version = -1;
    double center_x = 0, center_y = 0, pixels_per_unit = 0;
    float left = 0, top = 0, width = 0, height = 0;
    bool borders = false, labels = false;
    const ImFont* font = nullptr;
    int place_graph = -1;  // PlaceGraphView::version of the place graph drawn, -1 when none
    bool operator==(const LayerKey&) const = default;
  };
  void update_geometry(const Session& session);  // cells_ and the fills of session.world, when it changed
  void rebuild(const World& world);
  void add_static_overlays(ImDrawList& list, const Camera& camera, const Session& session, const Overlays& overlays,
                           const ViewFonts& fonts) const;
  void build_static_list(const Camera& camera, const Session& session, const Overlays& overlays, const ViewFonts& fonts);
  static bool shows_place_graph(const Session& session, const Overlays& overlays);
  void draw_fills(sf::RenderTarget& target, const Camera& camera, const World& world) const;
  // The map's drop shadow, offset by (0.15, -0.15) units (only its right and bottom strips show), in world units.
  static std::array<sf::Vertex, 12> map_shadow(const World& world);

  int cached_version_ = -1;
  std::vector<VoronoiCell> cells_;
  sf::VertexArray region_fill_{sf::Triangles};
  sf::VertexArray obstacle_fill_{sf::Triangles};

  std::unique_ptr<ImDrawList> layer_list_;
  LayerKey layer_key_;
  int layer_builds_ = 0;

  // Per-frame scratch buffers, kept to avoid allocations.
  std::vector<ImVec2> points_;
  std::vector<ImVec2> placed_;
  float help_width_ = -1;
  const ImFont* help_font_ = nullptr;
};

}  // namespace hjepa
