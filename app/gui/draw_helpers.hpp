// Small drawing helpers shared by the world view's layers: colour conversions, outlined text,
// text width, a check mark and a labelled chip, all on an ImGui draw list in screen pixels.
#pragma once
#include <SFML/System/Vector2.hpp>
#include <imgui.h>

#include "app/gui/palette.hpp"
#include "sim/color.hpp"

namespace hjepa::draw {

inline ImVec2 to_im(sf::Vector2f p) { return {p.x, p.y}; }
inline ImU32 im_color(palette::Rgb c, int alpha = 255) { return IM_COL32(c.r, c.g, c.b, alpha); }
inline ImU32 region_color(Color c, int alpha = 255) { return im_color(palette::kRegionFill[static_cast<int>(c)], alpha); }

inline float text_width(ImFont* font, float size, const char* text) { return font->CalcTextSizeA(size, 1e9f, 0, text).x; }

// Text with a one-pixel dark halo so it reads on any region colour.
inline void outlined_text(ImDrawList& list, ImFont* font, float size, ImVec2 pos, ImU32 color, const char* text,
                          ImU32 halo = IM_COL32(0, 0, 0, 170)) {
  for (ImVec2 d : {ImVec2(-1, 0), ImVec2(1, 0), ImVec2(0, -1), ImVec2(0, 1)})
    list.AddText(font, size, ImVec2(pos.x + d.x, pos.y + d.y), halo, text);
  list.AddText(font, size, pos, color, text);
}

// Text with a one-pixel drop shadow: two passes instead of the halo's five, for the many small
// labels drawn every frame (each glyph is two triangles for Mesa's software renderer to set up).
inline void shadowed_text(ImDrawList& list, ImFont* font, float size, ImVec2 pos, ImU32 color, const char* text) {
  list.AddText(font, size, ImVec2(pos.x + 1, pos.y + 1), IM_COL32(0, 0, 0, 190), text);
  list.AddText(font, size, pos, color, text);
}

// A filled disc without the anti-aliased fringe (a third of the triangles), for discs whose edge
// lies on a darker disc drawn under them.
inline void inner_disc(ImDrawList& list, ImVec2 c, float r, ImU32 color, int segments) {
  const ImDrawListFlags flags = list.Flags;
  list.Flags &= ~ImDrawListFlags_AntiAliasedFill;
  list.AddCircleFilled(c, r, color, segments);
  list.Flags = flags;
}

inline void check_mark(ImDrawList& list, ImVec2 center, float size, ImU32 color) {
  const ImVec2 points[3] = {{center.x - size * 0.5f, center.y},
                            {center.x - size * 0.12f, center.y + size * 0.38f},
                            {center.x + size * 0.55f, center.y - size * 0.45f}};
  list.AddPolyline(points, 3, color, 0, size * 0.22f);
}

// A rounded chip filled with a region colour and white shadowed text; returns its width.
inline float colour_chip(ImDrawList& list, ImFont* font, float size, ImVec2 pos, Color c, const char* text, float pad = 5) {
  const float w = text_width(font, size, text) + 2 * pad;
  list.AddRectFilled(pos, ImVec2(pos.x + w, pos.y + size + 2 * pad - 2), region_color(c), 4);
  list.AddRect(pos, ImVec2(pos.x + w, pos.y + size + 2 * pad - 2), IM_COL32(0, 0, 0, 150), 4);
  shadowed_text(list, font, size, ImVec2(pos.x + pad, pos.y + pad - 1), IM_COL32(255, 255, 255, 255), text);
  return w;
}

// A filled arrow head at `tip` pointing along the unit vector (dx, dy).
inline void arrow_head(ImDrawList& list, ImVec2 tip, float dx, float dy, float size, ImU32 color) {
  const ImVec2 back(tip.x - dx * size, tip.y - dy * size);
  list.AddTriangleFilled(tip, ImVec2(back.x - dy * size * 0.6f, back.y + dx * size * 0.6f),
                         ImVec2(back.x + dy * size * 0.6f, back.y - dx * size * 0.6f), color);
}

}  // namespace hjepa::draw
