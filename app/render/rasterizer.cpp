// The software rasteriser for ImGui draw data; see rasterizer.hpp. Each triangle is set up once
// (edge functions, attribute gradients), then drawn a row at a time over the span its edges allow:
// thin anti-aliasing fringes cost their few pixels, not their bounding box. Solid triangles (one
// colour, one texel: most of them) skip the per-pixel interpolation and sampling.
#include "app/render/rasterizer.hpp"

#include <algorithm>
#include <cmath>

namespace hjepa {
namespace {

struct PixelRect {
  int x0, y0, x1, y1;  // pixels [x0, x1) x [y0, y1)
};

// E(p) = a (p.x - ox) + b (p.y - oy), positive inside the triangle. Evaluated from the edge's
// lexicographically smaller endpoint whichever way the triangle runs along it (negation is exact),
// so two triangles sharing the edge compute exactly opposite values, and the tie rule gives a pixel
// centre lying exactly on it to the one whose gradient points right (or down): never both, never neither.
struct Edge {
  double a = 0, b = 0, ox = 0, oy = 0;
  bool owns_ties = false;
  bool inside(double x, double y) const {
    const double e = a * (x - ox) + b * (y - oy);
    return e > 0 || (e == 0 && owns_ties);
  }
};

Edge make_edge(ImVec2 p, ImVec2 q) {  // inside: to the left of p -> q with y down, for a positive-area triangle
  const bool swapped = q.x < p.x || (q.x == p.x && q.y < p.y);
  const ImVec2 lo = swapped ? q : p, hi = swapped ? p : q;
  Edge e;
  e.a = -(static_cast<double>(hi.y) - lo.y);
  e.b = static_cast<double>(hi.x) - lo.x;
  if (swapped) e.a = -e.a, e.b = -e.b;
  e.ox = lo.x;
  e.oy = lo.y;
  e.owns_ties = e.a > 0 || (e.a == 0 && e.b > 0);
  return e;
}

struct Rgba {
  float r, g, b, a;  // 0..1
};

// Bilinear sample (GL_LINEAR) at texture coordinates (u, v), edges clamped.
Rgba sample(const RgbaTexture& t, float u, float v) {
  const float x = u * t.width - 0.5f, y = v * t.height - 0.5f;
  const float fx = std::floor(x), fy = std::floor(y);
  const float ax = x - fx, ay = y - fy;
  const int x0 = std::clamp(static_cast<int>(fx), 0, t.width - 1), x1 = std::clamp(static_cast<int>(fx) + 1, 0, t.width - 1);
  const int y0 = std::clamp(static_cast<int>(fy), 0, t.height - 1), y1 = std::clamp(static_cast<int>(fy) + 1, 0, t.height - 1);
  const uint8_t* p00 = t.rgba + 4 * (static_cast<size_t>(y0) * t.width + x0);
  const uint8_t* p10 = t.rgba + 4 * (static_cast<size_t>(y0) * t.width + x1);
  const uint8_t* p01 = t.rgba + 4 * (static_cast<size_t>(y1) * t.width + x0);
  const uint8_t* p11 = t.rgba + 4 * (static_cast<size_t>(y1) * t.width + x1);
  float c[4];
  for (int k = 0; k < 4; ++k) {
    const float top = p00[k] + (p10[k] - p00[k]) * ax, bottom = p01[k] + (p11[k] - p01[k]) * ax;
    c[k] = (top + (bottom - top) * ay) * (1.f / 255);
  }
  return {c[0], c[1], c[2], c[3]};
}

Rgba unpack(ImU32 c) {
  return {static_cast<float>((c >> IM_COL32_R_SHIFT) & 0xFF), static_cast<float>((c >> IM_COL32_G_SHIFT) & 0xFF),
          static_cast<float>((c >> IM_COL32_B_SHIFT) & 0xFF), static_cast<float>((c >> IM_COL32_A_SHIFT) & 0xFF)};
}

uint8_t to_byte(float v) { return static_cast<uint8_t>(std::clamp(v, 0.f, 255.f) + 0.5f); }

// Blends colour (r, g, b) in 0..255 with opacity `alpha` (0..1) over the pixel.
inline void blend(uint8_t* px, float r, float g, float b, float alpha) {
  if (alpha >= 1.f) {
    px[0] = to_byte(r), px[1] = to_byte(g), px[2] = to_byte(b);
  } else if (alpha > 0.f) {
    const float keep = 1.f - alpha;
    px[0] = to_byte(r * alpha + px[0] * keep), px[1] = to_byte(g * alpha + px[1] * keep), px[2] = to_byte(b * alpha + px[2] * keep);
  }
}

// Gradient of an attribute f over the triangle (f0, f1, f2 at its vertices): d/dx and d/dy.
struct Gradient {
  float dx, dy;
};
Gradient gradient(float f0, float f1, float f2, ImVec2 d1, ImVec2 d2, double area) {
  return {static_cast<float>(((f1 - f0) * static_cast<double>(d2.y) - (f2 - f0) * static_cast<double>(d1.y)) / area),
          static_cast<float>(((f2 - f0) * static_cast<double>(d1.x) - (f1 - f0) * static_cast<double>(d2.x)) / area)};
}

void draw_triangle(ImDrawVert v0, ImDrawVert v1, ImDrawVert v2, const RgbaTexture* texture, PixelRect clip, RgbImage& img) {
  double area = (static_cast<double>(v1.pos.x) - v0.pos.x) * (static_cast<double>(v2.pos.y) - v0.pos.y) -
                (static_cast<double>(v1.pos.y) - v0.pos.y) * (static_cast<double>(v2.pos.x) - v0.pos.x);
  if (!(std::abs(area) > 0)) return;  // degenerate (or NaN)
  if (area < 0) std::swap(v1, v2), area = -area;

  const float min_x = std::min({v0.pos.x, v1.pos.x, v2.pos.x}), max_x = std::max({v0.pos.x, v1.pos.x, v2.pos.x});
  const float min_y = std::min({v0.pos.y, v1.pos.y, v2.pos.y}), max_y = std::max({v0.pos.y, v1.pos.y, v2.pos.y});
  const int bx0 = std::max(clip.x0, static_cast<int>(std::clamp(std::floor(min_x), -1.f, 1e6f)));
  const int bx1 = std::min(clip.x1, static_cast<int>(std::clamp(std::ceil(max_x), -1.f, 1e6f)) + 1);
  const int by0 = std::max(clip.y0, static_cast<int>(std::clamp(std::floor(min_y), -1.f, 1e6f)));
  const int by1 = std::min(clip.y1, static_cast<int>(std::clamp(std::ceil(max_y), -1.f, 1e6f)) + 1);
  if (bx0 >= bx1 || by0 >= by1) return;

  const Edge edges[3] = {make_edge(v0.pos, v1.pos), make_edge(v1.pos, v2.pos), make_edge(v2.pos, v0.pos)};
  auto covered = [&](int x, double py) {
    const double px = x + 0.5;
    return edges[0].inside(px, py) && edges[1].inside(px, py) && edges[2].inside(px, py);
  };

  const bool one_colour = v0.col == v1.col && v1.col == v2.col;
  const bool one_texel = !texture || (v0.uv.x == v1.uv.x && v1.uv.x == v2.uv.x && v0.uv.y == v1.uv.y && v1.uv.y == v2.uv.y);
  const Rgba c0 = unpack(v0.col), c1 = unpack(v1.col), c2 = unpack(v2.col);
  const Rgba texel0 = texture && one_texel ? sample(*texture, v0.uv.x, v0.uv.y) : Rgba{1, 1, 1, 1};
  const ImVec2 d1(v1.pos.x - v0.pos.x, v1.pos.y - v0.pos.y), d2(v2.pos.x - v0.pos.x, v2.pos.y - v0.pos.y);
  Gradient gr{}, gg{}, gb{}, ga{}, gu{}, gv{};
  if (!one_colour) {
    gr = gradient(c0.r, c1.r, c2.r, d1, d2, area), gg = gradient(c0.g, c1.g, c2.g, d1, d2, area);
    gb = gradient(c0.b, c1.b, c2.b, d1, d2, area), ga = gradient(c0.a, c1.a, c2.a, d1, d2, area);
  }
  if (!one_texel) gu = gradient(v0.uv.x, v1.uv.x, v2.uv.x, d1, d2, area), gv = gradient(v0.uv.y, v1.uv.y, v2.uv.y, d1, d2, area);

  for (int y = by0; y < by1; ++y) {
    const double py = y + 0.5;
    // The span the three half-planes leave on this row, from their boundaries, widened by a pixel
    // each side, then trimmed by the exact test (the covered pixels of a row are contiguous).
    double lo = bx0, hi = bx1 - 1;
    bool empty = false;
    for (const Edge& e : edges) {
      const double rest = e.b * (py - e.oy);
      if (e.a == 0) {
        empty |= !(rest > 0 || (rest == 0 && e.owns_ties));
        continue;
      }
      const double boundary = e.ox - rest / e.a - 0.5;  // x + 0.5 on the edge
      if (e.a > 0) lo = std::max(lo, std::ceil(boundary) - 1);
      else hi = std::min(hi, std::floor(boundary) + 1);
    }
    if (empty || lo > hi) continue;
    int x0 = static_cast<int>(lo), x1 = static_cast<int>(hi);
    while (x0 <= x1 && !covered(x0, py)) ++x0;
    while (x1 >= x0 && !covered(x1, py)) --x1;
    if (x0 > x1) continue;

    uint8_t* px = img.rgb.data() + 3 * (static_cast<size_t>(y) * img.width + x0);
    const int n = x1 - x0 + 1;
    if (one_colour && one_texel) {
      const float alpha = c0.a * (1.f / 255) * texel0.a;
      const float r = c0.r * texel0.r, g = c0.g * texel0.g, b = c0.b * texel0.b;
      if (alpha >= 1.f) {
        const uint8_t rb = to_byte(r), gb8 = to_byte(g), bb = to_byte(b);
        for (int i = 0; i < n; ++i, px += 3) px[0] = rb, px[1] = gb8, px[2] = bb;
      } else {
        for (int i = 0; i < n; ++i, px += 3) blend(px, r, g, b, alpha);
      }
      continue;
    }
    // Attributes at the first pixel's centre, then stepped along the row.
    const float ox = static_cast<float>(x0 + 0.5 - v0.pos.x), oy = static_cast<float>(py - v0.pos.y);
    float r = c0.r + gr.dx * ox + gr.dy * oy, g = c0.g + gg.dx * ox + gg.dy * oy;
    float b = c0.b + gb.dx * ox + gb.dy * oy, a = c0.a + ga.dx * ox + ga.dy * oy;
    float u = v0.uv.x + gu.dx * ox + gu.dy * oy, v = v0.uv.y + gv.dx * ox + gv.dy * oy;
    for (int i = 0; i < n; ++i, px += 3) {
      const Rgba t = one_texel ? texel0 : sample(*texture, u, v);
      blend(px, r * t.r, g * t.g, b * t.b, std::clamp(a, 0.f, 255.f) * (1.f / 255) * t.a);
      r += gr.dx, g += gg.dx, b += gb.dx, a += ga.dx, u += gu.dx, v += gv.dx;
    }
  }
}

void draw_list(const ImDrawList& list, ImVec2 offset, ImVec2 scale, RgbImage& img) {
  for (const ImDrawCmd& cmd : list.CmdBuffer) {
    if (cmd.UserCallback) {
      if (cmd.UserCallback != ImDrawCallback_ResetRenderState) cmd.UserCallback(&list, &cmd);
      continue;
    }
    // The scissor box as the OpenGL2 backend sets it (x, y from the bottom, width, height: whole pixels).
    const float min_x = (cmd.ClipRect.x - offset.x) * scale.x, min_y = (cmd.ClipRect.y - offset.y) * scale.y;
    const float max_x = (cmd.ClipRect.z - offset.x) * scale.x, max_y = (cmd.ClipRect.w - offset.y) * scale.y;
    if (max_x <= min_x || max_y <= min_y) continue;
    const int sx = static_cast<int>(min_x), sw = static_cast<int>(max_x - min_x);
    const int sy = static_cast<int>(img.height - max_y), sh = static_cast<int>(max_y - min_y);
    const PixelRect clip{std::max(0, sx), std::max(0, img.height - (sy + sh)), std::min(img.width, sx + sw),
                         std::min(img.height, img.height - sy)};
    if (clip.x0 >= clip.x1 || clip.y0 >= clip.y1) continue;
    const auto* texture = static_cast<const RgbaTexture*>(cmd.TextureId);
    const ImDrawVert* vtx = list.VtxBuffer.Data + cmd.VtxOffset;
    const ImDrawIdx* idx = list.IdxBuffer.Data + cmd.IdxOffset;
    auto at = [&](ImDrawIdx i) {
      ImDrawVert v = vtx[i];
      v.pos = ImVec2((v.pos.x - offset.x) * scale.x, (v.pos.y - offset.y) * scale.y);
      return v;
    };
    for (unsigned int k = 0; k + 2 < cmd.ElemCount; k += 3) draw_triangle(at(idx[k]), at(idx[k + 1]), at(idx[k + 2]), texture, clip, img);
  }
}

}  // namespace

void rasterize(const ImDrawData& data, RgbImage& target) {
  for (int n = 0; n < data.CmdListsCount; ++n) draw_list(*data.CmdLists[n], data.DisplayPos, data.FramebufferScale, target);
}

void rasterize(const ImDrawList& list, ImVec2 display_pos, RgbImage& target) { draw_list(list, display_pos, ImVec2(1, 1), target); }

}  // namespace hjepa
