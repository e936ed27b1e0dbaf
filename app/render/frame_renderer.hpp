// Draws a Session's world view into an RGB image on the CPU, without a display, an X server or an
// OpenGL context: for hjepa run --video, hjepa gui --record and the Python module's Env.render().
// The picture is the app's world view (regions, obstacles, gates, trail, rays, agent, the oracle's
// path or the learned agents' route, subgoal, imagined steps, task chips, legend) without the
// panels: the same WorldView code fills ImGui draw lists in a private ImGui context (no platform or
// renderer backend; the app's fonts), and rasterizer.hpp draws them as ImGui's OpenGL2 backend would.
#pragma once
#include <memory>

#include "app/gui/session.hpp"
#include "app/render/rgb_image.hpp"

namespace hjepa {

struct Overlays;

class FrameRenderer {
 public:
  // Throws std::invalid_argument for sizes outside [kMinSide, kMaxSide].
  FrameRenderer(int width, int height);
  ~FrameRenderer();
  FrameRenderer(const FrameRenderer&) = delete;
  FrameRenderer& operator=(const FrameRenderer&) = delete;

  // Draws the session's world view (camera fitted to the whole map) with the app's default overlays,
  // less the help line of keyboard shortcuts. Call session.refresh_traces() after the session changed
  // and before this, as the app's frame loop does; else throws std::logic_error. The image is valid
  // until the next call. Makes its own ImGui context current while drawing and restores the previous
  // one; several renderers may live in one process, but draw from one thread at a time (ImGui's
  // current context is a process global).
  const RgbImage& render(const Session& session);

  // The overlays drawn (the app's toggles; help off). The app's recorder passes the user's toggles.
  Overlays& overlays();
  int width() const;
  int height() const;

  static constexpr int kMinSide = 16, kMaxSide = 4096;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hjepa
