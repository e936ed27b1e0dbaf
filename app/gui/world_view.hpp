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
// session through const references.
#pragma once
#include <SFML/Graphics/RenderTarget.hpp>
#include <SFML/Graphics/VertexArray.hpp>
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

class WorldView {
 public:
  WorldView();
  ~WorldView();
  // Static layer, drawn into `window` over its cleared background with raw OpenGL for the cached
  // draw list (call between ImGui::NewFrame and ImGui::Render: the labels use ImGui's fonts).
  void draw_world(sf::RenderTarget& window, const Camera& camera, const Session& session, const Overlays& overlays,
                  const ViewFonts& fonts);
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
  void rebuild(const World& world);
  void add_static_overlays(ImDrawList& list, const Camera& camera, const Session& session, const Overlays& overlays,
                           const ViewFonts& fonts) const;
  void build_static_list(const Camera& camera, const Session& session, const Overlays& overlays, const ViewFonts& fonts);
  static bool shows_place_graph(const Session& session, const Overlays& overlays);
  void draw_fills(sf::RenderTarget& target, const Camera& camera, const World& world) const;

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
