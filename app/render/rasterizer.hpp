// A CPU rasteriser for Dear ImGui's draw data: what ImGui's OpenGL2 backend asks of OpenGL, done in
// software into an RgbImage, so frames are drawn without a display or an OpenGL context.
// Implements, as that backend sets OpenGL up:
//  - indexed triangles (ImDrawCmd's ElemCount, IdxOffset and VtxOffset) in the display's pixels
//    (DisplayPos at the top-left, FramebufferScale applied), pixel centres at (x + 0.5, y + 0.5);
//  - vertex colours interpolated across the triangle (smooth shading);
//  - the command's texture sampled bilinearly (GL_LINEAR) and multiplied in;
//  - blending src_alpha, one_minus_src_alpha into the RGB pixels;
//  - the clip rectangle as OpenGL's scissor box (truncated to whole pixels as the backend does);
//  - user callbacks (ImDrawCallback_ResetRenderState is a no-op here).
// A pixel on an edge two triangles share is drawn by exactly one of them, so the anti-aliased
// fringes ImGui adds blend once, as on a GPU.
#pragma once
#include <cstdint>
#include <imgui.h>

#include "app/render/rgb_image.hpp"

namespace hjepa {

// A texture a draw command can name: ImDrawCmd::TextureId points to one of these (null: untextured,
// as if white). RGBA, 4 bytes per texel, row-major, top row first; the pixels are not owned.
struct RgbaTexture {
  int width = 0, height = 0;
  const uint8_t* rgba = nullptr;
};

// Draws `data` over `target`, which holds the picture underneath (a cleared background, a cached layer).
void rasterize(const ImDrawData& data, RgbImage& target);
// One draw list, in the coordinates of a display whose top-left pixel is `display_pos`.
void rasterize(const ImDrawList& list, ImVec2 display_pos, RgbImage& target);

}  // namespace hjepa
