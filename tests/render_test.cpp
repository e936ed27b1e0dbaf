// The headless renderer (app/render): the software rasteriser on draw lists whose pixels are known
// (coverage, shared edges, colour interpolation, alpha blending, clip rectangles, text), and
// FrameRenderer on a generated map (size, the map's colours, the agent, stale traces, several renderers).
#include <doctest/doctest.h>

#include <cmath>
#include <imgui.h>
#include <memory>
#include <set>
#include <stdexcept>
#include <tuple>

#include "app/gui/camera.hpp"
#include "app/gui/palette.hpp"
#include "app/gui/session.hpp"
#include "app/gui/world_view.hpp"
#include "app/render/frame_renderer.hpp"
#include "app/render/rasterizer.hpp"

using namespace hjepa;

namespace {

// An ImGui context with the default font built, in a frame (NewFrame sets up what draw lists read:
// the font, the white texel), current while it lives, and a draw list on it.
struct Canvas {
  ImGuiContext* context;
  RgbaTexture atlas;
  std::unique_ptr<ImDrawList> list;
  RgbImage image;

  Canvas(int width, int height, uint8_t r = 0, uint8_t g = 0, uint8_t b = 0) : context(ImGui::CreateContext()) {
    ImGui::SetCurrentContext(context);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    unsigned char* pixels = nullptr;
    io.Fonts->AddFontDefault();
    io.Fonts->GetTexDataAsRGBA32(&pixels, &atlas.width, &atlas.height);
    atlas.rgba = pixels;
    io.Fonts->SetTexID(&atlas);
    io.DisplaySize = ImVec2(static_cast<float>(width), static_cast<float>(height));
    io.DeltaTime = 1.f / 60;
    ImGui::NewFrame();
    list = std::make_unique<ImDrawList>(ImGui::GetDrawListSharedData());
    list->_ResetForNewFrame();
    list->Flags = ImDrawListFlags_None;  // no anti-aliasing fringes: the shapes are exactly their triangles
    list->PushTextureID(io.Fonts->TexID);
    list->PushClipRect(ImVec2(0, 0), ImVec2(static_cast<float>(width), static_cast<float>(height)));
    image.width = width, image.height = height;
    image.rgb.assign(static_cast<size_t>(width) * height * 3, 0);
    for (size_t i = 0; i < image.rgb.size(); i += 3) image.rgb[i] = r, image.rgb[i + 1] = g, image.rgb[i + 2] = b;
  }
  ~Canvas() {
    list.reset();
    ImGui::EndFrame();
    ImGui::DestroyContext(context);
  }
  // A triangle written as raw vertices (white-pixel UV: untextured).
  void triangle(ImVec2 a, ImVec2 b, ImVec2 c, ImU32 ca, ImU32 cb, ImU32 cc) {
    const ImVec2 uv = ImGui::GetFontTexUvWhitePixel();
    list->PrimReserve(3, 3);
    list->PrimVtx(a, uv, ca);
    list->PrimVtx(b, uv, cb);
    list->PrimVtx(c, uv, cc);
  }
  void draw() { rasterize(*list, ImVec2(0, 0), image); }
  std::tuple<int, int, int> at(int x, int y) const {
    const uint8_t* p = image.rgb.data() + 3 * (static_cast<size_t>(y) * image.width + x);
    return {p[0], p[1], p[2]};
  }
};

}  // namespace

TEST_CASE("rasteriser: a triangle covers exactly the pixels whose centres lie inside it") {
  Canvas c(16, 16);
  const ImU32 red = IM_COL32(255, 0, 0, 255);
  c.triangle(ImVec2(2.2f, 2.2f), ImVec2(12.3f, 2.2f), ImVec2(2.2f, 12.3f), red, red, red);  // either winding is drawn
  c.draw();
  int covered = 0;
  for (int y = 0; y < 16; ++y)
    for (int x = 0; x < 16; ++x) {
      const double px = x + 0.5, py = y + 0.5;
      const bool inside = px > 2.2 && py > 2.2 && px + py < 14.5;
      CAPTURE(x);
      CAPTURE(y);
      CHECK(c.at(x, y) == (inside ? std::make_tuple(255, 0, 0) : std::make_tuple(0, 0, 0)));
      covered += inside;
    }
  CHECK(covered == 55);
}

TEST_CASE("rasteriser: pixels on an edge two triangles share are blended once, with no gap") {
  Canvas c(12, 12);
  const ImU32 half = IM_COL32(255, 255, 255, 128);
  // A square split along a diagonal through pixel centres, the two halves wound opposite ways.
  c.triangle(ImVec2(1, 1), ImVec2(11, 1), ImVec2(11, 11), half, half, half);
  c.triangle(ImVec2(1, 1), ImVec2(1, 11), ImVec2(11, 11), half, half, half);
  c.draw();
  for (int y = 0; y < 12; ++y)
    for (int x = 0; x < 12; ++x) {
      const bool inside = x >= 1 && x < 11 && y >= 1 && y < 11;
      CAPTURE(x);
      CAPTURE(y);
      CHECK(std::get<0>(c.at(x, y)) == (inside ? 128 : 0));
    }
}

TEST_CASE("rasteriser: vertex colours are interpolated across the triangle") {
  Canvas c(16, 4);
  const ImU32 black = IM_COL32(0, 0, 0, 255), white = IM_COL32(255, 255, 255, 255);
  c.triangle(ImVec2(0, 0), ImVec2(16, 0), ImVec2(16, 4), black, white, white);
  c.triangle(ImVec2(0, 0), ImVec2(16, 4), ImVec2(0, 4), black, white, black);
  c.draw();
  for (int x = 0; x < 16; ++x) {
    const double expected = 255.0 * (x + 0.5) / 16;
    for (int y = 0; y < 4; ++y) {
      CAPTURE(x);
      CAPTURE(y);
      CHECK(std::abs(std::get<1>(c.at(x, y)) - expected) <= 1.0);
    }
  }
}

TEST_CASE("rasteriser: alpha blending is src_alpha, one_minus_src_alpha over the picture") {
  Canvas c(8, 8, 100, 100, 100);
  const ImU32 colour = IM_COL32(200, 0, 50, 64);
  c.triangle(ImVec2(0, 0), ImVec2(8, 0), ImVec2(8, 8), colour, colour, colour);
  c.triangle(ImVec2(0, 0), ImVec2(8, 8), ImVec2(0, 8), colour, colour, colour);
  c.draw();
  const double a = 64 / 255.0;
  const auto [r, g, b] = c.at(3, 5);
  CHECK(std::abs(r - (200 * a + 100 * (1 - a))) <= 1.0);
  CHECK(std::abs(g - (0 * a + 100 * (1 - a))) <= 1.0);
  CHECK(std::abs(b - (50 * a + 100 * (1 - a))) <= 1.0);
}

TEST_CASE("rasteriser: the clip rectangle limits what a command draws") {
  Canvas c(16, 16);
  c.list->PushClipRect(ImVec2(4, 4), ImVec2(8, 10));
  const ImU32 green = IM_COL32(0, 255, 0, 255);
  c.triangle(ImVec2(-10, -10), ImVec2(40, -10), ImVec2(-10, 40), green, green, green);
  c.list->PopClipRect();
  c.draw();
  for (int y = 0; y < 16; ++y)
    for (int x = 0; x < 16; ++x) {
      const bool inside = x >= 4 && x < 8 && y >= 4 && y < 10;
      CAPTURE(x);
      CAPTURE(y);
      CHECK(std::get<1>(c.at(x, y)) == (inside ? 255 : 0));
    }
}

TEST_CASE("rasteriser: text samples the font atlas: its pixels appear inside its box, none outside") {
  Canvas c(96, 32);
  const char* text = "Hello";
  c.list->AddText(ImVec2(4, 8), IM_COL32(255, 255, 255, 255), text);
  c.draw();
  const ImVec2 size = ImGui::GetFont()->CalcTextSizeA(ImGui::GetFont()->FontSize, 1e9f, 0, text);
  int bright = 0, outside = 0;
  for (int y = 0; y < 32; ++y)
    for (int x = 0; x < 96; ++x) {
      const int v = std::get<0>(c.at(x, y));
      const bool in_box = x >= 3 && x <= 4 + size.x + 1 && y >= 7 && y <= 8 + size.y + 1;
      if (!in_box && v > 0) ++outside;
      if (v > 200) ++bright;
    }
  CHECK(bright > 20);
  CHECK(outside == 0);
}

namespace {

Session oracle_session(uint64_t map_seed) {
  Session s;
  s.map_seed = map_seed;
  REQUIRE(s.regenerate_map().empty());
  s.task = default_task(*s.world);
  s.agent_name = "oracle";
  s.reset_episode();
  REQUIRE(s.running());
  s.refresh_traces();
  return s;
}

size_t count_colour(const RgbImage& img, palette::Rgb c) {
  size_t n = 0;
  for (size_t i = 0; i < img.rgb.size(); i += 3) n += img.rgb[i] == c.r && img.rgb[i + 1] == c.g && img.rgb[i + 2] == c.b;
  return n;
}

}  // namespace

TEST_CASE("FrameRenderer: the map's regions in their colours, the agent, the size asked for") {
  Session s = oracle_session(1);
  FrameRenderer renderer(640, 480);
  const RgbImage& img = renderer.render(s);
  CHECK(img.width == 640);
  CHECK(img.height == 480);
  REQUIRE(img.rgb.size() == 640u * 480u * 3u);
  CHECK(count_colour(img, palette::kBackground) > 1000);
  for (Color c : s.colors_on_map()) {
    CAPTURE(std::string(color_name(c)));
    CHECK(count_colour(img, palette::kRegionFill[static_cast<int>(c)]) > 200);
  }
  // The agent's disc (white) at its position, through the camera the renderer fits to the map.
  Camera camera;
  camera.viewport = sf::FloatRect(0, 0, 640, 480);
  fit_camera_to_map(camera, *s.world);
  const sf::Vector2f p = camera.to_screen(s.env->state().position);
  const size_t at = 3 * (static_cast<size_t>(p.y) * 640 + static_cast<size_t>(p.x));
  CHECK(static_cast<int>(img.rgb[at]) == 255);
  CHECK(static_cast<int>(img.rgb[at + 1]) == 255);
  CHECK(static_cast<int>(img.rgb[at + 2]) == 255);

  // The same session drawn again: the same picture; a step later: a different one.
  const std::vector<uint8_t> first = img.rgb;
  CHECK(renderer.render(s).rgb == first);
  s.step_once();
  s.refresh_traces();
  CHECK(renderer.render(s).rgb != first);
}

TEST_CASE("FrameRenderer: refuses sizes out of range and a session whose traces are stale") {
  CHECK_THROWS_AS(FrameRenderer(8, 100), std::invalid_argument);
  CHECK_THROWS_AS(FrameRenderer(100, 5000), std::invalid_argument);
  Session s = oracle_session(2);
  s.step_once();  // no refresh_traces()
  FrameRenderer renderer(64, 48);
  CHECK_THROWS_AS(renderer.render(s), std::logic_error);
  s.refresh_traces();
  CHECK_NOTHROW(renderer.render(s));
}

TEST_CASE("FrameRenderer: several renderers, each its own ImGui context; the caller's context is kept") {
  ImGuiContext* outer = ImGui::CreateContext();
  ImGui::SetCurrentContext(outer);
  Session a = oracle_session(1), b = oracle_session(3);
  {
    FrameRenderer small(96, 64), large(400, 300);
    CHECK(ImGui::GetCurrentContext() == outer);
    const std::vector<uint8_t> a_small = small.render(a).rgb;
    const std::vector<uint8_t> b_large = large.render(b).rgb;
    CHECK(ImGui::GetCurrentContext() == outer);
    CHECK(small.render(b).rgb != a_small);  // another session, another map
    CHECK(small.render(a).rgb == a_small);
    CHECK(large.render(b).rgb == b_large);
  }
  CHECK(ImGui::GetCurrentContext() == outer);
  ImGui::DestroyContext(outer);
  // Without any context current before or after.
  CHECK(ImGui::GetCurrentContext() == nullptr);
  FrameRenderer alone(64, 64);
  CHECK(alone.render(a).width == 64);
  CHECK(ImGui::GetCurrentContext() == nullptr);
}
