// Drawing of the learned agents' traces and their captions; see agent_overlays.hpp.
#include "app/gui/agent_overlays.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <string>

#include "app/gui/draw_helpers.hpp"

namespace hjepa {
namespace {

using draw::to_im;

constexpr ImU32 kInk = IM_COL32(15, 15, 25, 230);           // outlines under bright marks
constexpr ImU32 kRoute = IM_COL32(255, 255, 255, 245);       // the high-level route
const ImU32 kSubgoal = draw::im_color(palette::kSubgoal);   // the subgoal target mark
constexpr ImU32 kImagined = IM_COL32(0, 235, 255, 255);      // level 1's chosen rollout
constexpr ImU32 kOtherFuture = IM_COL32(255, 150, 40, 255);  // the same plan under another value of P1's z
constexpr ImU32 kCandidate = IM_COL32(255, 255, 255, 70);    // level 1's other candidates
constexpr ImU32 kBelief = IM_COL32(255, 215, 60, 240);       // the belief diamond
constexpr ImU32 kPolicy = IM_COL32(255, 90, 220, 255);       // the Mode-1 policy's heading
constexpr ImU32 kPanel = IM_COL32(20, 22, 28, 215);          // caption and legend backgrounds
constexpr ImU32 kText = IM_COL32(235, 235, 240, 255);
constexpr ImU32 kDimText = IM_COL32(190, 192, 200, 255);
constexpr ImU32 kCorrection = IM_COL32(255, 70, 60, 240);    // what the world refuted: blocked edges, false offers
constexpr ImU32 kCorrectionPassage = IM_COL32(255, 70, 60, 120);  // edges penalised as across a blocked passage

ImVec2 screen(const Camera& camera, Vec2 p) { return to_im(camera.to_screen(p)); }

void diamond(ImDrawList& list, ImVec2 c, float r) {
  const ImVec2 d[4] = {{c.x, c.y - r}, {c.x + r, c.y}, {c.x, c.y + r}, {c.x - r, c.y}};
  list.AddConvexPolyFilled(d, 4, kBelief);
  list.AddPolyline(d, 4, kInk, ImDrawFlags_Closed, 1.6f);
}

// A ring with four ticks: "level 1 is steering here".
void target_mark(ImDrawList& list, ImVec2 c, float r) {
  const int segments = r > 10 ? 14 : 10;
  list.AddCircle(c, r, kInk, segments, 5.f);
  list.AddCircle(c, r, kSubgoal, segments, 2.6f);
  for (int k = 0; k < 4; ++k) {
    const float dx = k == 0 ? 1.f : k == 1 ? -1.f : 0.f, dy = k == 2 ? 1.f : k == 3 ? -1.f : 0.f;
    const ImVec2 a(c.x + dx * (r - 4), c.y + dy * (r - 4)), b(c.x + dx * (r + 7), c.y + dy * (r + 7));
    list.AddLine(a, b, kInk, 5.f);
    list.AddLine(a, b, kSubgoal, 2.6f);
  }
}

// A numbered stop of the route, filled with the colour the place stands for.
void route_stop(ImDrawList& list, ImVec2 p, Color colour, const char* number, bool collects, ImFont* font,
                int segments = 12) {
  const float r = collects ? 12.f : 9.5f;
  list.AddCircleFilled(p, r + 2, kInk, segments);
  draw::inner_disc(list, p, r, draw::region_color(colour), segments);
  if (collects) list.AddCircle(p, r + 1, IM_COL32(255, 255, 255, 255), segments, 3.f);
  if (!*number) return;
  const float size = font->FontSize * (collects ? 0.9f : 0.78f);
  const float w = draw::text_width(font, size, number);
  draw::shadowed_text(list, font, size, ImVec2(p.x - w / 2, p.y - size / 2), IM_COL32(255, 255, 255, 255), number);
}

void route_line(ImDrawList& list, const std::vector<ImVec2>& points) {
  const int n = static_cast<int>(points.size());
  list.AddPolyline(points.data(), n, kInk, 0, 7.f);
  list.AddPolyline(points.data(), n, kRoute, 0, 3.2f);
  for (int i = 0; i + 1 < n; ++i) {  // direction: an arrow head at the middle of each leg
    const float dx = points[i + 1].x - points[i].x, dy = points[i + 1].y - points[i].y, len = std::hypot(dx, dy);
    if (len < 40) continue;
    const ImVec2 mid((points[i].x + points[i + 1].x) / 2 + dx / len * 6, (points[i].y + points[i + 1].y) / 2 + dy / len * 6);
    draw::arrow_head(list, ImVec2(mid.x + dx / len * 2, mid.y + dy / len * 2), dx / len, dy / len, 15, kInk);
    draw::arrow_head(list, mid, dx / len, dy / len, 11, kRoute);
  }
}

// Consecutive route colours merged; `collects` marks colours where the plan advances the task.
struct CaptionColour {
  Color colour;
  bool collects;
};

std::vector<CaptionColour> caption_colours(const HighTrace& h) {
  std::vector<CaptionColour> out;
  for (size_t i = 0; i < h.route_colours.size(); ++i) {
    const bool collects = h.achieves[i] >= 0;
    if (!out.empty() && out.back().colour == h.route_colours[i])
      out.back().collects |= collects;
    else
      out.push_back({h.route_colours[i], collects});
  }
  return out;
}

}  // namespace

void add_place_graph(ImDrawList& list, const Camera& camera, const PlaceGraphView& graph) {
  // Without anti-aliasing: hairlines and dots this faint show no steps, and Mesa's software
  // renderer pays for every extra fringe triangle and blended pixel.
  const ImDrawListFlags flags = list.Flags;
  list.Flags &= ~(ImDrawListFlags_AntiAliasedLines | ImDrawListFlags_AntiAliasedLinesUseTex | ImDrawListFlags_AntiAliasedFill);
  for (const auto& [a, b] : graph.edges)
    list.AddLine(screen(camera, graph.position[a]), screen(camera, graph.position[b]), IM_COL32(255, 255, 255, 60), 1.f);
  for (size_t p = 0; p < graph.position.size(); ++p) {  // small squares: two triangles each
    if (graph.colour[p] < 0) continue;
    const ImVec2 c = screen(camera, graph.position[p]);
    list.AddRectFilled(ImVec2(c.x - 4, c.y - 4), ImVec2(c.x + 4, c.y + 4), IM_COL32(20, 20, 30, 170));
    list.AddRectFilled(ImVec2(c.x - 2.5f, c.y - 2.5f), ImVec2(c.x + 2.5f, c.y + 2.5f),
                       draw::region_color(static_cast<Color>(graph.colour[p])));
  }
  list.Flags = flags;
}

void draw_route_line(ImDrawList& list, const Camera& camera, const Session& session, const Overlays& overlays,
                     std::vector<ImVec2>& points) {
  const HighTrace& h = session.high_trace;
  const PlaceGraphView& g = session.place_graph;
  if (!overlays.route || !session.agent_trace().hierarchy || !session.running() || g.position.empty() || !h.valid || h.route.size() < 2)
    return;
  // From the belief (where the agent thinks it is) through the places still ahead.
  points.clear();
  if (session.level1_trace.valid) points.push_back(screen(camera, session.level1_trace.belief));
  for (size_t i = 1; i < h.route.size(); ++i) points.push_back(screen(camera, g.position[h.route[i]]));
  if (points.size() >= 2) route_line(list, points);
}

void draw_route_stops(ImDrawList& list, const Camera& camera, const Session& session, const Overlays& overlays,
                      const ViewFonts& fonts) {
  const HighTrace& h = session.high_trace;
  const PlaceGraphView& g = session.place_graph;
  if (!session.agent_trace().hierarchy || !session.running() || g.position.empty()) return;  // a finished episode has no plan ahead
  if (overlays.subgoal && h.subgoal_place >= 0) target_mark(list, screen(camera, h.subgoal), 17);
  if (!overlays.route || !h.valid || h.route.empty()) return;
  // The current place (stop 0) is drawn only when the plan collects a colour there.
  if (h.achieves[0] >= 0 || h.route.size() == 1)
    route_stop(list, screen(camera, g.position[h.route[0]]), h.route_colours[0], "", h.achieves[0] >= 0, fonts.chip);
  for (size_t i = 1; i < h.route.size(); ++i) {
    char number[24];
    std::snprintf(number, sizeof number, "%zu", i);
    route_stop(list, screen(camera, g.position[h.route[i]]), h.route_colours[i], number, h.achieves[i] >= 0, fonts.chip);
  }
  // Where the plan expects to collect a task colour: "gets blue" beside the stop.
  for (size_t i = 0; i < h.route.size(); ++i) {
    if (h.achieves[i] < 0) continue;
    const ImVec2 p = screen(camera, g.position[h.route[i]]);
    const Color c = session.task.colors[h.achieves[i]];
    char text[48];
    std::snprintf(text, sizeof text, "gets %s", std::string(color_name(c)).c_str());
    draw::colour_chip(list, fonts.label, fonts.label->FontSize, ImVec2(p.x + 17, p.y - 11), c, text, 4);
  }
}

void draw_level1(ImDrawList& list, const Camera& camera, const Session& session, const Overlays& overlays,
                 std::vector<ImVec2>& points) {
  const Level1Trace& t = session.level1_trace;
  if (!t.valid || !session.agent_trace().plan) return;
  if (overlays.candidates)
    for (const std::vector<Vec2>& c : t.candidates) {
      if (c.size() < 2) continue;
      points.clear();
      for (Vec2 p : c) points.push_back(screen(camera, p));
      list.AddPolyline(points.data(), static_cast<int>(points.size()), kCandidate, 0, 1.f);  // 1 px: textured, 2 triangles a leg
    }
  if (overlays.imagined)  // the chosen plan under the other z the belief allows, opacity by their weight
    for (size_t a = 1; a < t.futures.size(); ++a) {
      if (t.futures[a].size() < 2) continue;
      points.clear();
      for (Vec2 p : t.futures[a]) points.push_back(screen(camera, p));
      const float w = a < t.future_weight.size() ? t.future_weight[a] : 0.f;
      const ImU32 colour = (kOtherFuture & 0x00FFFFFFu) | (static_cast<ImU32>(60 + 195 * std::clamp(w, 0.f, 1.f)) << 24);
      list.AddPolyline(points.data(), static_cast<int>(points.size()), colour, 0, 2.f);
      for (size_t k = 1; k < points.size(); ++k) list.AddCircleFilled(points[k], 2.5f, colour, 6);
    }
  if (overlays.imagined && t.plan.size() >= 2) {
    points.clear();
    for (Vec2 p : t.plan) points.push_back(screen(camera, p));
    list.AddPolyline(points.data(), static_cast<int>(points.size()), IM_COL32(15, 15, 25, 200), 0, 5.f);
    list.AddPolyline(points.data(), static_cast<int>(points.size()), kImagined, 0, 2.5f);
    for (size_t k = 1; k < points.size(); ++k) {
      list.AddCircleFilled(points[k], 4.5f, kInk, 8);
      draw::inner_disc(list, points[k], 3.2f, kImagined, 8);
    }
  }
  if (overlays.imagined && !std::isnan(t.policy_heading)) {  // the Mode-1 policy's heading, beside the plan's first leg
    const ImVec2 from = screen(camera, t.belief);
    const float len = 3.f * static_cast<float>(camera.pixels_per_unit), c = std::cos(t.policy_heading), s = -std::sin(t.policy_heading);
    const ImVec2 to(from.x + len * c, from.y + len * s);
    list.AddLine(from, to, kInk, 5.f);
    list.AddLine(from, to, kPolicy, 2.5f);
    draw::arrow_head(list, to, c, s, 9, kPolicy);
  }
  if (overlays.belief) diamond(list, screen(camera, t.belief), 7);
}

float draw_plan_caption(ImDrawList& list, ImVec2 pos, const Session& session, const ViewFonts& fonts) {
  if (!session.agent_trace().hierarchy || !session.running() || session.env->state().step == 0) return pos.y;
  const HighTrace& h = session.high_trace;
  ImFont* font = fonts.chip;
  ImFont* small = fonts.label;
  const float size = font->FontSize, pad = 7, chip_h = small->FontSize + 8, height = chip_h + 2 * pad - 2;
  const std::vector<CaptionColour> colours = h.valid ? caption_colours(h) : std::vector<CaptionColour>{};
  char tail[96];
  if (h.valid)
    std::snprintf(tail, sizeof tail, "%.0f steps predicted", h.remaining_cost);
  else
    std::snprintf(tail, sizeof tail, "none: no route through the task's colours in its place graph");
  const char* head = "Plan";
  const float arrow = 22;

  float w = draw::text_width(font, size, head) + 10 + draw::text_width(font, size, tail);
  for (const CaptionColour& c : colours)
    w += draw::text_width(small, small->FontSize, std::string(color_name(c.colour)).c_str()) + 8 + arrow;
  list.AddRectFilled(pos, ImVec2(pos.x + w + 2 * pad, pos.y + height), kPanel, 6);

  float x = pos.x + pad;
  const float y = pos.y + pad - 1;
  list.AddText(font, size, ImVec2(x, y + (chip_h - size) / 2), kText, head);
  x += draw::text_width(font, size, head) + 10;
  for (size_t i = 0; i < colours.size(); ++i) {
    const std::string name(color_name(colours[i].colour));
    const float cw = draw::colour_chip(list, small, small->FontSize, ImVec2(x, y), colours[i].colour, name.c_str(), 4);
    if (colours[i].collects)  // a colour the task needs: ringed, as its stop on the route
      list.AddRect(ImVec2(x - 1.5f, y - 1.5f), ImVec2(x + cw + 1.5f, y + chip_h - 0.5f), IM_COL32(255, 255, 255, 255), 5, 0,
                   2.5f);
    x += cw + 4;
    const float mid = y + chip_h / 2 - 1;
    if (i + 1 < colours.size()) {
      list.AddLine(ImVec2(x + 1, mid), ImVec2(x + 11, mid), kText, 2.f);
      draw::arrow_head(list, ImVec2(x + 16, mid), 1, 0, 7, kText);
    }
    x += i + 1 < colours.size() ? arrow - 4 : 8;
  }
  list.AddText(font, size, ImVec2(x, y + (chip_h - size) / 2), kText, tail);
  return pos.y + height;
}

void format_replan_note(const Session& session, char* out, size_t size) {
  *out = 0;
  if (!session.agent_trace().hierarchy || !session.env || session.last_replan_step < 0) return;
  const int n = std::snprintf(out, size, "level 2 replanned at step %d: %s", session.last_replan_step,
                              session.last_replan_reason.c_str());
  if (!session.last_correction.empty() && n >= 0 && static_cast<size_t>(n) < size)
    std::snprintf(out + n, size - n, "  |  corrected at %s", session.last_correction.c_str());
}

void draw_corrections(ImDrawList& list, const Camera& camera, const Session& session, const ViewFonts& fonts) {
  const HJepaTrace* t = session.agent_trace().hierarchy;
  const PlaceGraphView& g = session.place_graph;
  if (!t || !session.running() || g.position.empty() || !t->memory) return;
  const EpisodeMemory& m = *t->memory;
  const int P = static_cast<int>(g.position.size());
  // An edge the agent found blocked itself: a red dashed line with a cross, and the steps it added.
  // An edge penalised only because it crosses the same passage as blocked ones: a thin, faint dashed
  // line (there can be dozens; crosses and labels on each would hide the map).
  const std::set<std::pair<int, int>> found(m.blocked_edges.begin(), m.blocked_edges.end());
  for (const auto& [edge, penalty] : m.edge_penalties) {
    if (edge.first >= P || edge.second >= P) continue;
    const ImVec2 a = screen(camera, g.position[edge.first]), b = screen(camera, g.position[edge.second]);
    const bool direct = found.count(edge) > 0;
    for (int k = 0; k < 6; k += 2)
      list.AddLine(ImVec2(a.x + (b.x - a.x) * k / 6, a.y + (b.y - a.y) * k / 6),
                   ImVec2(a.x + (b.x - a.x) * (k + 1) / 6, a.y + (b.y - a.y) * (k + 1) / 6),
                   direct ? kCorrection : kCorrectionPassage, direct ? 3.f : 1.5f);
    if (!direct) continue;
    const ImVec2 mid((a.x + b.x) / 2, (a.y + b.y) / 2);
    list.AddLine(ImVec2(mid.x - 6, mid.y - 6), ImVec2(mid.x + 6, mid.y + 6), kCorrection, 3.f);
    list.AddLine(ImVec2(mid.x - 6, mid.y + 6), ImVec2(mid.x + 6, mid.y - 6), kCorrection, 3.f);
    char text[32];
    std::snprintf(text, sizeof text, "+%.0f steps", penalty);
    list.AddText(fonts.label, fonts.label->FontSize, ImVec2(mid.x + 9, mid.y - 8), kCorrection, text);
  }
  // A colour offer found false: the place crossed out, "no <colour>".
  for (const auto& [place, colour] : m.refuted_offers) {
    if (place >= P) continue;
    const ImVec2 c = screen(camera, g.position[place]);
    list.AddCircle(c, 11, kCorrection, 16, 3.f);
    list.AddLine(ImVec2(c.x - 8, c.y - 8), ImVec2(c.x + 8, c.y + 8), kCorrection, 3.f);
    char text[32];
    std::snprintf(text, sizeof text, "no %s", std::string(color_name(static_cast<Color>(colour))).c_str());
    list.AddText(fonts.label, fonts.label->FontSize, ImVec2(c.x + 13, c.y + 2), kCorrection, text);
  }
}

namespace {

enum class Icon { Route, Collect, Subgoal, Imagined, OtherFuture, Policy, Candidates, Belief, Places, OraclePath, Agent, Perceived };

// One legend icon centred at c, about 30 x 16 pixels.
void legend_icon(ImDrawList& list, Icon icon, ImVec2 c, ImFont* font) {
  switch (icon) {
    case Icon::Route: {
      const ImVec2 line[2] = {ImVec2(c.x - 12, c.y), ImVec2(c.x + 4, c.y)};
      list.AddPolyline(line, 2, kInk, 0, 6.f);
      list.AddPolyline(line, 2, kRoute, 0, 2.8f);
      route_stop(list, ImVec2(c.x + 6, c.y), Color::Blue, "1", false, font, 10);
      break;
    }
    case Icon::Collect: route_stop(list, c, Color::Green, "2", true, font, 10); break;
    case Icon::Subgoal: target_mark(list, c, 7); break;
    case Icon::Imagined: {
      const ImVec2 pts[3] = {ImVec2(c.x - 13, c.y + 3), ImVec2(c.x, c.y - 2), ImVec2(c.x + 13, c.y + 2)};
      list.AddPolyline(pts, 3, kInk, 0, 5.f);
      list.AddPolyline(pts, 3, kImagined, 0, 2.5f);
      for (const ImVec2& p : pts) list.AddCircleFilled(p, 3.2f, kImagined, 6);
      break;
    }
    case Icon::OtherFuture: {
      const ImVec2 pts[3] = {ImVec2(c.x - 13, c.y + 3), ImVec2(c.x, c.y + 4), ImVec2(c.x + 13, c.y - 3)};
      list.AddPolyline(pts, 3, kOtherFuture, 0, 2.f);
      for (const ImVec2& p : pts) list.AddCircleFilled(p, 2.5f, kOtherFuture, 6);
      break;
    }
    case Icon::Policy: {
      const ImVec2 from(c.x - 12, c.y + 4), to(c.x + 12, c.y - 4);
      list.AddLine(from, to, kInk, 5.f);
      list.AddLine(from, to, kPolicy, 2.5f);
      draw::arrow_head(list, to, 0.95f, -0.32f, 8, kPolicy);
      break;
    }
    case Icon::Candidates:
      for (int k = -1; k <= 1; ++k)
        list.AddLine(ImVec2(c.x - 13, c.y + 4 * k), ImVec2(c.x + 13, c.y - 3 * k), IM_COL32(255, 255, 255, 120), 1.5f);
      break;
    case Icon::Belief: diamond(list, c, 7); break;
    case Icon::Places:
      list.AddLine(ImVec2(c.x - 10, c.y + 3), ImVec2(c.x + 10, c.y - 3), IM_COL32(255, 255, 255, 110), 1.f);
      for (float s : {-1.f, 1.f}) {
        const ImVec2 p(c.x + 10 * s, c.y - 3 * s);
        list.AddRectFilled(ImVec2(p.x - 4, p.y - 4), ImVec2(p.x + 4, p.y + 4), IM_COL32(20, 20, 30, 170));
        list.AddRectFilled(ImVec2(p.x - 2.5f, p.y - 2.5f), ImVec2(p.x + 2.5f, p.y + 2.5f),
                           draw::region_color(s < 0 ? Color::Orange : Color::Cyan));
      }
      break;
    case Icon::OraclePath: {
      const ImVec2 line[2] = {ImVec2(c.x - 13, c.y), ImVec2(c.x + 13, c.y)};
      list.AddPolyline(line, 2, IM_COL32(15, 15, 25, 200), 0, 4.5f);
      list.AddPolyline(line, 2, IM_COL32(255, 255, 255, 235), 0, 2.f);
      break;
    }
    case Icon::Agent:
      list.AddCircleFilled(c, 7, IM_COL32(0, 0, 0, 255), 10);
      draw::inner_disc(list, c, 5.5f, draw::im_color(palette::kAgent), 10);
      break;
    case Icon::Perceived:
      list.AddCircle(c, 6, IM_COL32(255, 255, 255, 200), 10, 3.f);
      list.AddCircle(c, 6, IM_COL32(20, 20, 30, 255), 10, 1.f);
      break;
  }
}

}  // namespace

void draw_legend(ImDrawList& list, const Camera& camera, const Session& session, const Overlays& overlays,
                 const ViewFonts& fonts, bool help_shown) {
  if (!session.env) return;
  struct Entry {
    Icon icon;
    const char* text;
  };
  constexpr int kMaxEntries = 12;
  Entry entries[kMaxEntries];
  int n = 0;
  const AgentTrace trace = session.agent_trace();
  const bool hjepa = trace.hierarchy != nullptr, learned = trace.plan != nullptr;
  if (hjepa && overlays.route) {
    entries[n++] = {Icon::Route, "level-2 route (places 1, 2, 3...)"};
    entries[n++] = {Icon::Collect, "gets a task colour"};
  }
  if (hjepa && overlays.subgoal) entries[n++] = {Icon::Subgoal, "subgoal"};
  if (learned && overlays.imagined) entries[n++] = {Icon::Imagined, "imagined steps (level 1)"};
  if (learned && overlays.imagined && session.level1_trace.futures.size() > 1)
    entries[n++] = {Icon::OtherFuture, "the same plan under another z"};
  if (learned && overlays.imagined && !std::isnan(session.level1_trace.policy_heading))
    entries[n++] = {Icon::Policy, "Mode-1 policy's heading"};
  if (learned && overlays.candidates) entries[n++] = {Icon::Candidates, "other candidates"};
  if (learned && overlays.belief) entries[n++] = {Icon::Belief, "belief (where it thinks it is)"};
  if (hjepa && overlays.place_graph) entries[n++] = {Icon::Places, "place graph it learned"};
  if (trace.oracle_path && overlays.plan) entries[n++] = {Icon::OraclePath, "oracle's shortest path (knows the map)"};
  entries[n++] = {Icon::Agent, "agent"};
  if (overlays.perceived) entries[n++] = {Icon::Perceived, "perceived position"};

  // Flow the entries into rows as wide as the view, then stack the rows upward from the bottom.
  ImFont* font = fonts.label;
  const float size = font->FontSize, cell = 34, gap = 14, pad = 8, row_h = size + 12;
  const sf::FloatRect& vp = camera.viewport;
  const float max_w = vp.width - 28;
  float widths[kMaxEntries], row_w[kMaxEntries] = {};
  int row_of[kMaxEntries], rows = 1;
  for (int i = 0; i < n; ++i) {
    widths[i] = cell + draw::text_width(font, size, entries[i].text);
    const float need = (row_w[rows - 1] > 0 ? gap : 0) + widths[i];
    if (row_w[rows - 1] > 0 && row_w[rows - 1] + need > max_w - 2 * pad) ++rows;
    row_w[rows - 1] += (row_w[rows - 1] > 0 ? gap : 0) + widths[i];
    row_of[i] = rows - 1;
  }
  const float bottom = vp.top + vp.height - (help_shown ? size + 22 : 8);
  const float top = bottom - rows * row_h;
  for (int r = 0; r < rows; ++r)
    list.AddRectFilled(ImVec2(vp.left + 8, top + r * row_h), ImVec2(vp.left + 8 + row_w[r] + 2 * pad, top + (r + 1) * row_h),
                       kPanel, 4);
  float x = vp.left + 8 + pad;
  for (int i = 0; i < n; ++i) {
    if (i > 0 && row_of[i] != row_of[i - 1]) x = vp.left + 8 + pad;
    const float y = top + row_of[i] * row_h + 6;
    legend_icon(list, entries[i].icon, ImVec2(x + cell / 2 - 3, y + size / 2), fonts.chip);
    list.AddText(font, size, ImVec2(x + cell, y), kText, entries[i].text);
    x += widths[i] + gap;
  }
}

}  // namespace hjepa
