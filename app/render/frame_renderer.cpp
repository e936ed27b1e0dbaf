// The headless world view; see frame_renderer.hpp. Per frame: the static layer (background, map
// shadow, fills, then WorldView's cached list) is rasterised only when WorldView rebuilt that list,
// and kept as the frame's starting picture; the dynamic overlays go on the background draw list of an
// ImGui frame (NewFrame .. Render, no windows) and are rasterised over a copy of it.
#include "app/render/frame_renderer.hpp"

#include <imgui.h>
#include <stdexcept>
#include <string>

#include "app/gui/camera.hpp"
#include "app/gui/fonts.hpp"
#include "app/gui/palette.hpp"
#include "app/gui/world_view.hpp"
#include "app/render/rasterizer.hpp"

namespace hjepa {
namespace {

// Makes `context` ImGui's current context for its lifetime, then restores the one before.
class ContextSwitch {
 public:
  explicit ContextSwitch(ImGuiContext* context) : previous_(ImGui::GetCurrentContext()) { ImGui::SetCurrentContext(context); }
  ~ContextSwitch() { ImGui::SetCurrentContext(previous_); }
  ContextSwitch(const ContextSwitch&) = delete;
  ContextSwitch& operator=(const ContextSwitch&) = delete;

 private:
  ImGuiContext* previous_;
};

void fill_background(RgbImage& image, palette::Rgb colour) {
  image.rgb.resize(static_cast<size_t>(image.width) * image.height * 3);
  for (size_t i = 0; i < image.rgb.size(); i += 3) image.rgb[i] = colour.r, image.rgb[i + 1] = colour.g, image.rgb[i + 2] = colour.b;
}

}  // namespace

struct FrameRenderer::Impl {
  ImGuiContext* context = nullptr;
  RgbaTexture atlas;            // the font atlas (ImGui owns the pixels); the draw commands' TextureId points here
  ViewFonts fonts;
  Overlays overlays;
  Camera camera;
  std::unique_ptr<WorldView> view;           // replaced when another session or map is drawn (its caches key on per-session counters)
  std::unique_ptr<ImDrawList> fills;         // the map shadow and the region and obstacle fills of the static layer
  RgbImage base;                             // the static layer rasterised
  RgbImage frame;
  int base_builds = -1;                      // view->layer_builds() when `base` was drawn
  // What the view's caches were built for.
  const Session* session = nullptr;
  const World* world = nullptr;
  uint64_t fingerprint = 0;
  const ModelFile* model = nullptr;
};

FrameRenderer::FrameRenderer(int width, int height) : impl_(std::make_unique<Impl>()) {
  if (width < kMinSide || width > kMaxSide || height < kMinSide || height > kMaxSide)
    throw std::invalid_argument("frame size " + std::to_string(width) + "x" + std::to_string(height) + " is out of range; expected " +
                                "a width and a height in [" + std::to_string(kMinSide) + ", " + std::to_string(kMaxSide) + "]");
  Impl& m = *impl_;
  m.base.width = m.frame.width = width;
  m.base.height = m.frame.height = height;
  m.overlays.help = false;  // keyboard shortcuts mean nothing in a video
  ImGuiContext* const previous = ImGui::GetCurrentContext();
  m.context = ImGui::CreateContext();  // made current when there was none
  ImGui::SetCurrentContext(previous);
  const ContextSwitch use(m.context);
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.LogFilename = nullptr;
  io.DisplaySize = ImVec2(static_cast<float>(width), static_cast<float>(height));
  io.DeltaTime = 1.f / 60;
  io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;  // the rasteriser honours VtxOffset: large lists split
  // As the app's style (app.cpp): lists start without the anti-aliased fill fringe; the frame loop
  // turns it back on for the background list (render below).
  ImGui::GetStyle().AntiAliasedFill = false;
  m.fonts = load_fonts();
  unsigned char* pixels = nullptr;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &m.atlas.width, &m.atlas.height);
  m.atlas.rgba = pixels;
  io.Fonts->SetTexID(static_cast<ImTextureID>(&m.atlas));
}

FrameRenderer::~FrameRenderer() {
  ImGuiContext* previous = ImGui::GetCurrentContext();
  ImGui::SetCurrentContext(impl_->context);  // the draw lists free their memory through their own context
  impl_->view.reset();
  impl_->fills.reset();
  ImGui::DestroyContext(impl_->context);
  ImGui::SetCurrentContext(previous == impl_->context ? nullptr : previous);
}

Overlays& FrameRenderer::overlays() { return impl_->overlays; }
int FrameRenderer::width() const { return impl_->frame.width; }
int FrameRenderer::height() const { return impl_->frame.height; }

const RgbImage& FrameRenderer::render(const Session& session) {
  if (!session.traces_current())
    throw std::logic_error("FrameRenderer::render: the session's traces are stale; call Session::refresh_traces() after "
                           "the session changed and before drawing it");
  Impl& m = *impl_;
  const ContextSwitch use(m.context);
  const World* world = session.world.get();
  const uint64_t fingerprint = world ? world->fingerprint() : 0;
  if (!m.view || m.session != &session || m.world != world || m.fingerprint != fingerprint || m.model != session.model.get()) {
    m.view = std::make_unique<WorldView>();
    m.base_builds = -1;
    m.session = &session, m.world = world, m.fingerprint = fingerprint, m.model = session.model.get();
  }
  m.camera.viewport = sf::FloatRect(0, 0, static_cast<float>(m.frame.width), static_cast<float>(m.frame.height));
  if (world) fit_camera_to_map(m.camera, *world);

  ImGui::NewFrame();
  if (!world) {
    fill_background(m.frame, palette::kBackground);
  } else {
    const ImDrawList& layer = m.view->static_layer(m.camera, session, m.overlays, m.fonts);
    if (m.view->layer_builds() != m.base_builds) {
      fill_background(m.base, palette::kBackground);
      if (!m.fills) m.fills = std::make_unique<ImDrawList>(ImGui::GetDrawListSharedData());
      m.fills->_ResetForNewFrame();
      m.fills->PushTextureID(ImGui::GetIO().Fonts->TexID);
      m.fills->PushClipRect(ImVec2(0, 0), ImGui::GetIO().DisplaySize);
      m.view->add_fills(*m.fills, m.camera, session);
      m.fills->PopClipRect();
      m.fills->PopTextureID();
      rasterize(*m.fills, ImVec2(0, 0), m.base);
      rasterize(layer, ImVec2(0, 0), m.base);
      m.base_builds = m.view->layer_builds();
    }
    m.frame.rgb = m.base.rgb;
  }
  ImDrawList& background = *ImGui::GetBackgroundDrawList();
  background.Flags |= ImDrawListFlags_AntiAliasedFill;  // as the app's frame loop
  m.view->draw_overlays(background, m.camera, session, m.overlays, m.fonts, -1);
  ImGui::Render();
  rasterize(*ImGui::GetDrawData(), m.frame);
  return m.frame;
}

}  // namespace hjepa
