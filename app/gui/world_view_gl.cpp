// The world view's static layer submitted to OpenGL: the map shadow and the region and obstacle
// fills as SFML vertex arrays, then the cached draw list through ImGui's OpenGL2 backend. The desktop
// app's half of WorldView (world_view.cpp holds the rest and draws without OpenGL for app/render).
#include <backends/imgui_impl_opengl2.h>
#include <imgui.h>

#include "app/gui/world_view.hpp"

namespace hjepa {
namespace {

// Renders one draw list with ImGui's OpenGL2 backend into the current GL target, whose top-left
// pixel is window point `pos`.
void render_draw_list(const ImDrawList& list, ImVec2 pos, ImVec2 size) {
  ImDrawList* lists[1] = {const_cast<ImDrawList*>(&list)};  // ImDrawData's type; the backend only reads it
  ImDrawData data;
  data.Valid = true;
  data.CmdLists = lists;
  data.CmdListsCount = 1;
  data.TotalVtxCount = list.VtxBuffer.Size;
  data.TotalIdxCount = list.IdxBuffer.Size;
  data.DisplayPos = pos;
  data.DisplaySize = size;
  data.FramebufferScale = ImVec2(1, 1);
  ImGui_ImplOpenGL2_RenderDrawData(&data);
}

}  // namespace

void WorldView::draw_fills(sf::RenderTarget& target, const Camera& camera, const World& world) const {
  const std::array<sf::Vertex, 12> shadow = map_shadow(world);
  target.draw(shadow.data(), shadow.size(), sf::Triangles, sf::RenderStates(camera.transform()));
  const sf::RenderStates opaque(sf::BlendNone, camera.transform(), nullptr, nullptr);
  target.draw(region_fill_, opaque);
  target.draw(obstacle_fill_, opaque);
}

void WorldView::draw_world(sf::RenderTarget& window, const Camera& camera, const Session& session, const Overlays& overlays,
                           const ViewFonts& fonts) {
  if (!session.world) return;
  update_geometry(session);
  draw_fills(window, camera, *session.world);
  const ImDrawList& layer = static_layer(camera, session, overlays, fonts);
  const sf::Vector2u size = window.getSize();
  render_draw_list(layer, ImVec2(0, 0), ImVec2(static_cast<float>(size.x), static_cast<float>(size.y)));
  window.resetGLStates();  // the backend restores what it changes; this also resets SFML's state cache
}

}  // namespace hjepa
