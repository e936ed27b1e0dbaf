// World view drawing without OpenGL; see world_view.hpp (world_view_gl.cpp submits the static layer
// to OpenGL). World geometry is cached in world units and drawn through the camera transform; the
// static draw list is cached in screen pixels per camera; dynamic overlays are rebuilt every frame
// in screen pixels.
#include "app/gui/world_view.hpp"

#include <SFML/Graphics/RectangleShape.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <imgui.h>
#include <string>

#include "app/gui/agent_overlays.hpp"
#include "app/gui/draw_helpers.hpp"
#include "app/gui/palette.hpp"

namespace hjepa {
namespace {

constexpr double kTau = 6.283185307179586;

sf::Color sf_color(palette::Rgb c, uint8_t alpha = 255) { return {c.r, c.g, c.b, alpha}; }
using draw::im_color;
using draw::region_color;
using draw::text_width;
using draw::to_im;

void add_triangle(sf::VertexArray& va, Vec2 a, Vec2 b, Vec2 c, sf::Color color) {
  for (Vec2 p : {a, b, c}) va.append(sf::Vertex({static_cast<float>(p.x), static_cast<float>(p.y)}, color));
}

int circle_segments(double radius_px) { return std::clamp(static_cast<int>(radius_px * 0.8), 12, 64); }

// Task chips, the H-JEPA agent's plan caption (with `caption`) and the status line, top-left.
void draw_task_chips(ImDrawList& list, const Camera& camera, const Session& session, const ViewFonts& fonts, bool caption) {
  ImFont* font = fonts.chip;
  const float size = font->FontSize, pad = 8, height = size + 2 * pad;
  ImVec2 pos(camera.viewport.left + 14, camera.viewport.top + 12);
  const int progress = session.env ? session.env->state().progress : 0;

  char head[96];
  std::snprintf(head, sizeof head, "Task  %d/%d", progress, session.task.size());
  const float head_w = text_width(font, size, head) + 2 * pad;
  list.AddRectFilled(pos, ImVec2(pos.x + head_w, pos.y + height), IM_COL32(20, 22, 28, 215), 6);
  list.AddText(font, size, ImVec2(pos.x + pad, pos.y + pad), IM_COL32(235, 235, 240, 255), head);
  pos.x += head_w + 6;

  for (int k = 0; k < session.task.size(); ++k) {
    const Color c = session.task.colors[k];
    char text[48];
    std::snprintf(text, sizeof text, "%d %s", k + 1, std::string(color_name(c)).c_str());
    const bool done = k < progress, current = k == progress && session.running();
    const float badge = done ? size + 6 : 0;
    const float w = text_width(font, size, text) + 2 * pad + badge;
    const ImVec2 lo = pos, hi(pos.x + w, pos.y + height);
    list.AddRectFilled(lo, hi, region_color(c), 6);
    list.AddRect(lo, hi, current ? IM_COL32(255, 255, 255, 255) : IM_COL32(0, 0, 0, 150), 6, 0, current ? 3.f : 1.f);
    draw::shadowed_text(list, font, size, ImVec2(lo.x + pad, lo.y + pad), IM_COL32(255, 255, 255, 255), text);
    if (done) {
      const ImVec2 centre(hi.x - pad - size * 0.5f, lo.y + height * 0.5f);
      list.AddCircleFilled(centre, size * 0.62f, IM_COL32(255, 255, 255, 235), 14);
      draw::check_mark(list, centre, size * 0.75f, IM_COL32(30, 140, 50, 255));
    }
    pos.x = hi.x + 6;
  }
  if (session.task.colors.empty()) {
    const char* hint = "empty - click colour chips in the Task panel";
    list.AddText(font, size, ImVec2(pos.x + pad, pos.y + pad), IM_COL32(235, 235, 240, 255), hint);
  }

  float below = pos.y + height + 6;
  if (caption)
    if (const float y = draw_plan_caption(list, ImVec2(camera.viewport.left + 14, below), session, fonts); y > below) below = y + 6;

  char status[160], note[160] = "";
  if (session.env)
    std::snprintf(status, sizeof status, "step %d / %d    reward %.0f    %s", session.env->state().step,
                  session.env->max_steps(), session.episode_reward, status_name(session.status));
  else
    std::snprintf(status, sizeof status, "%s", session.problem.c_str());
  if (caption) format_replan_note(session, note, sizeof note);
  const ImVec2 spos(camera.viewport.left + 14, below);
  const float status_w = text_width(fonts.label, fonts.label->FontSize, status);
  const float sw = status_w + 16 + (*note ? text_width(fonts.label, fonts.label->FontSize, note) + 24 : 0);
  list.AddRectFilled(spos, ImVec2(spos.x + sw, spos.y + fonts.label->FontSize + 8), IM_COL32(20, 22, 28, 200), 5);
  if (*note)
    list.AddText(fonts.label, fonts.label->FontSize, ImVec2(spos.x + 8 + status_w + 24, spos.y + 4), IM_COL32(175, 178, 190, 255),
                 note);
  const ImU32 status_color = session.status == EpisodeStatus::Success     ? IM_COL32(120, 230, 120, 255)
                             : session.status == EpisodeStatus::Truncated ? IM_COL32(250, 170, 90, 255)
                             : session.env                                ? IM_COL32(230, 230, 235, 255)
                                                                          : IM_COL32(250, 140, 120, 255);
  list.AddText(fonts.label, fonts.label->FontSize, ImVec2(spos.x + 8, spos.y + 4), status_color, status);
}

// "Success in N steps" / "Truncated" across the top of the map while a finished episode is shown.
void draw_outcome_banner(ImDrawList& list, const Camera& camera, const Session& session, const ViewFonts& fonts) {
  if (!session.env || (session.status != EpisodeStatus::Success && session.status != EpisodeStatus::Truncated)) return;
  char text[128];
  const int steps = session.env->state().step;
  if (session.status == EpisodeStatus::Success && session.reference.found)
    std::snprintf(text, sizeof text, "Success in %d steps  (oracle from start: %d)", steps,
                  oracle_steps(session.reference.length, session.env->params().step_length));
  else if (session.status == EpisodeStatus::Success)
    std::snprintf(text, sizeof text, "Success in %d steps", steps);
  else
    std::snprintf(text, sizeof text, "Truncated after %d steps: %d of %d colours", steps, session.env->state().progress,
                  session.task.size());
  const float size = fonts.chip->FontSize * 1.25f, w = text_width(fonts.chip, size, text);
  const sf::Vector2f top = camera.to_screen({session.world->width / 2, session.world->height});
  const ImVec2 lo(top.x - w / 2 - 18, top.y + 16), hi(top.x + w / 2 + 18, top.y + 16 + size + 16);
  const ImU32 fill = session.status == EpisodeStatus::Success ? IM_COL32(30, 120, 50, 235) : IM_COL32(160, 90, 20, 235);
  list.AddRectFilled(lo, hi, fill, 8);
  list.AddRect(lo, hi, IM_COL32(255, 255, 255, 200), 8, 0, 2.f);
  list.AddText(fonts.chip, size, ImVec2(lo.x + 18, lo.y + 8), IM_COL32(255, 255, 255, 255), text);
}

// Index of the path segment the agent is on: the earliest one within a small tolerance of the
// nearest, so a path that doubles back is not skipped ahead. Also returns the projected point.
size_t segment_near(const std::vector<Vec2>& points, Vec2 p, Vec2& projected) {
  auto foot = [&](size_t i) {
    const Vec2 a = points[i], ab = points[i + 1] - a;
    const double len2 = norm2(ab);
    const double t = len2 > 0 ? std::clamp(dot(p - a, ab) / len2, 0.0, 1.0) : 0.0;
    return a + ab * t;
  };
  double nearest = INFINITY;
  for (size_t i = 0; i + 1 < points.size(); ++i) nearest = std::min(nearest, dist(p, foot(i)));
  for (size_t i = 0; i + 1 < points.size(); ++i)
    if (const Vec2 f = foot(i); dist(p, f) <= nearest + 0.25) {
      projected = f;
      return i;
    }
  projected = foot(points.size() - 2);
  return points.size() - 2;
}

void draw_plan(ImDrawList& list, const Camera& camera, const Session& session, const ViewFonts& fonts,
               std::vector<ImVec2>& ahead, std::vector<ImVec2>& placed) {
  const OraclePath* oracle = session.agent_trace().oracle_path;
  if (!oracle || !session.env || !oracle->found || oracle->points.size() < 2) return;
  const OraclePath& path = *oracle;
  Vec2 here;
  const size_t segment = segment_near(path.points, session.env->state().position, here);
  ahead.clear();
  ahead.push_back(to_im(camera.to_screen(here)));
  for (size_t i = segment + 1; i < path.points.size(); ++i) ahead.push_back(to_im(camera.to_screen(path.points[i])));
  list.AddPolyline(ahead.data(), static_cast<int>(ahead.size()), IM_COL32(15, 15, 25, 200), 0, 4.5f);
  list.AddPolyline(ahead.data(), static_cast<int>(ahead.size()), IM_COL32(255, 255, 255, 235), 0, 2.0f);

  const int first_stage = session.task.size() - static_cast<int>(path.stage_point.size());
  const int progress = session.env->state().progress;
  const float r = 10;
  placed.clear();
  for (size_t k = 0; k < path.stage_point.size(); ++k) {
    const int index = path.stage_point[k], stage = first_stage + static_cast<int>(k);
    if (index < 0 || index >= static_cast<int>(path.points.size()) || stage < progress || stage >= session.task.size()) continue;
    ImVec2 p = to_im(camera.to_screen(path.points[index]));
    for (const ImVec2& q : placed)  // stages reached at one point sit side by side
      if (std::abs(p.x - q.x) < 2 * r && std::abs(p.y - q.y) < 2 * r) p.x = q.x + 2 * r + 3;
    placed.push_back(p);
    list.AddCircleFilled(p, r + 2, IM_COL32(15, 15, 25, 230), 24);
    list.AddCircleFilled(p, r, region_color(session.task.colors[stage]), 24);
    char number[16];
    std::snprintf(number, sizeof number, "%d", stage + 1);
    const float size = fonts.chip->FontSize * 0.85f;
    const float w = text_width(fonts.chip, size, number);
    draw::outlined_text(list, fonts.chip, size, ImVec2(p.x - w / 2, p.y - size / 2), IM_COL32(255, 255, 255, 255), number);
  }
}

// Gates by the episode's state: a closed one filled (amber, unlike the grey obstacles), an open one
// only outlined where it would close.
void draw_gates(ImDrawList& list, const Camera& camera, const Session& session) {
  int gate = 0;
  for (const Obstacle& ob : session.world->obstacles) {
    if (!ob.is_gate()) continue;
    const ImVec2 lo = to_im(camera.to_screen({ob.min.x, ob.max.y})), hi = to_im(camera.to_screen({ob.max.x, ob.min.y}));
    if (session.gate_open(gate++)) {
      list.AddRect(lo, hi, IM_COL32(170, 110, 30, 240), 0, 0, 2.5f);
    } else {
      list.AddRectFilled(lo, hi, IM_COL32(150, 95, 30, 255));
      list.AddRect(lo, hi, IM_COL32(30, 31, 36, 255), 0, 0, 1.5f);
    }
  }
}

}  // namespace

void WorldView::rebuild(const World& world) {
  cells_ = voronoi_cells(world);
  region_fill_.clear();
  for (size_t i = 0; i < cells_.size(); ++i) {
    const auto& pts = cells_[i].points;
    const sf::Color color = sf_color(palette::kRegionFill[static_cast<int>(world.regions[i].color)]);
    for (size_t k = 1; k + 1 < pts.size(); ++k) add_triangle(region_fill_, pts[0], pts[k], pts[k + 1], color);
  }
  obstacle_fill_.clear();
  const sf::Color grey = sf_color(palette::kObstacle);
  for (const Obstacle& ob : world.obstacles) {
    if (ob.is_gate()) continue;  // drawn each frame by the episode's state (draw_gates)
    if (ob.kind == Obstacle::Kind::Box) {
      add_triangle(obstacle_fill_, ob.min, {ob.max.x, ob.min.y}, ob.max, grey);
      add_triangle(obstacle_fill_, ob.min, ob.max, {ob.min.x, ob.max.y}, grey);
      continue;
    }
    constexpr int kSegments = 48;
    for (int k = 0; k < kSegments; ++k) {
      const Vec2 a = ob.center + heading_dir(kTau * k / kSegments) * ob.radius;
      const Vec2 b = ob.center + heading_dir(kTau * (k + 1) / kSegments) * ob.radius;
      add_triangle(obstacle_fill_, ob.center, a, b, grey);
    }
  }
}

WorldView::WorldView() = default;
WorldView::~WorldView() = default;

std::array<sf::Vertex, 12> WorldView::map_shadow(const World& world) {
  const float w = static_cast<float>(world.width), h = static_cast<float>(world.height), d = 0.15f;
  const sf::Color shade(0, 0, 0, 90);
  return {{{{w, -d}, shade},     {{w + d, -d}, shade}, {{w + d, h - d}, shade},
           {{w, -d}, shade},     {{w + d, h - d}, shade}, {{w, h - d}, shade},
           {{d, -d}, shade},     {{w, -d}, shade},     {{w, 0}, shade},
           {{d, -d}, shade},     {{w, 0}, shade},      {{d, 0}, shade}}};
}

void WorldView::update_geometry(const Session& session) {
  if (cached_version_ == session.world_version) return;
  rebuild(*session.world);
  cached_version_ = session.world_version;
}

void WorldView::add_fills(ImDrawList& list, const Camera& camera, const Session& session) {
  if (!session.world) return;
  update_geometry(session);
  const sf::Transform transform = camera.transform();
  const ImVec2 uv = ImGui::GetFontTexUvWhitePixel();
  auto add = [&](const sf::Vertex* v, size_t n) {
    list.PrimReserve(static_cast<int>(n), static_cast<int>(n));
    for (size_t i = 0; i < n; ++i) {
      const sf::Vector2f p = transform.transformPoint(v[i].position);
      list.PrimWriteIdx(static_cast<ImDrawIdx>(list._VtxCurrentIdx));
      list.PrimWriteVtx(ImVec2(p.x, p.y), uv, IM_COL32(v[i].color.r, v[i].color.g, v[i].color.b, v[i].color.a));
    }
  };
  const std::array<sf::Vertex, 12> shadow = map_shadow(*session.world);
  add(shadow.data(), shadow.size());
  for (const sf::VertexArray* fill : {&region_fill_, &obstacle_fill_})
    for (size_t t = 0; t < fill->getVertexCount(); t += 3) add(&(*fill)[t], 3);  // a triangle at a time: large meshes split
}

// Region borders, the map frame, obstacle outlines and region labels: the parts of the static layer
// drawn with ImGui (anti-aliased lines, ImGui's fonts).
void WorldView::add_static_overlays(ImDrawList& list, const Camera& camera, const Session& session, const Overlays& overlays,
                                    const ViewFonts& fonts) const {
  const World& world = *session.world;
  const float ppu = static_cast<float>(camera.pixels_per_unit);
  if (overlays.borders)
    for (size_t i = 0; i < cells_.size(); ++i) {
      const auto& cell = cells_[i];
      for (size_t k = 0; k < cell.points.size(); ++k)
        if (cell.edge_neighbor[k] > static_cast<int>(i))
          list.AddLine(to_im(camera.to_screen(cell.points[k])), to_im(camera.to_screen(cell.points[(k + 1) % cell.points.size()])),
                       IM_COL32(25, 25, 35, 120), 1.5f);
    }
  const sf::Vector2f map_lo = camera.to_screen({0, world.height}), map_hi = camera.to_screen({world.width, 0});
  list.AddRect(to_im(map_lo), to_im(map_hi), IM_COL32(15, 15, 20, 255), 0, 0, 2.f);

  for (const Obstacle& ob : world.obstacles) {
    if (ob.is_gate()) continue;
    if (ob.kind == Obstacle::Kind::Circle) {
      const float r = static_cast<float>(ob.radius) * ppu;
      list.AddCircle(to_im(camera.to_screen(ob.center)), r, IM_COL32(30, 31, 36, 255), circle_segments(r), 1.5f);
    } else {
      list.AddRect(to_im(camera.to_screen({ob.min.x, ob.max.y})), to_im(camera.to_screen({ob.max.x, ob.min.y})),
                   IM_COL32(30, 31, 36, 255), 0, 0, 1.5f);
    }
  }

  if (overlays.labels && ppu >= 8)
    for (const Region& region : world.regions) {
      const std::string name(color_name(region.color));
      const float size = fonts.label->FontSize;
      const ImVec2 p = to_im(camera.to_screen(region.site));
      const float w = text_width(fonts.label, size, name.c_str());
      list.AddText(fonts.label, size, ImVec2(p.x - w / 2, p.y - size / 2), IM_COL32(20, 20, 30, 120), name.c_str());
    }
  if (shows_place_graph(session, overlays)) add_place_graph(list, camera, session.place_graph);
}

bool WorldView::shows_place_graph(const Session& session, const Overlays& overlays) {
  return overlays.place_graph && session.agent_trace().hierarchy && session.place_graph.model_version == session.model_version;
}

void WorldView::build_static_list(const Camera& camera, const Session& session, const Overlays& overlays, const ViewFonts& fonts) {
  const sf::FloatRect& vp = camera.viewport;
  if (!layer_list_) layer_list_ = std::make_unique<ImDrawList>(ImGui::GetDrawListSharedData());
  ImDrawList& list = *layer_list_;
  list._ResetForNewFrame();
  list.PushTextureID(ImGui::GetIO().Fonts->TexID);
  list.PushClipRect(ImVec2(vp.left, vp.top), ImVec2(vp.left + vp.width, vp.top + vp.height));
  add_static_overlays(list, camera, session, overlays, fonts);
  list.PopClipRect();
  list.PopTextureID();
}

const ImDrawList& WorldView::static_layer(const Camera& camera, const Session& session, const Overlays& overlays,
                                          const ViewFonts& fonts) {
  update_geometry(session);
  const sf::FloatRect& vp = camera.viewport;
  const LayerKey key{session.world_version, camera.center.x, camera.center.y, camera.pixels_per_unit, vp.left, vp.top,
                     vp.width, vp.height, overlays.borders, overlays.labels, fonts.label,
                     shows_place_graph(session, overlays) ? session.place_graph.version : -1};
  if (key != layer_key_ || !layer_list_) {
    build_static_list(camera, session, overlays, fonts);
    layer_key_ = key;
    ++layer_builds_;
  }
  return *layer_list_;
}

void WorldView::draw_overlays(ImDrawList& list, const Camera& camera, const Session& session, const Overlays& overlays,
                              const ViewFonts& fonts, int hovered_region) {
  if (!session.world) return;
  const float ppu = static_cast<float>(camera.pixels_per_unit);
  list.PushClipRect(ImVec2(camera.viewport.left, camera.viewport.top),
                    ImVec2(camera.viewport.left + camera.viewport.width, camera.viewport.top + camera.viewport.height));

  if (hovered_region >= 0 && hovered_region < static_cast<int>(cells_.size())) {
    points_.clear();
    for (Vec2 p : cells_[hovered_region].points) points_.push_back(to_im(camera.to_screen(p)));
    list.AddPolyline(points_.data(), static_cast<int>(points_.size()), IM_COL32(255, 255, 255, 230), ImDrawFlags_Closed, 3.f);
  }
  draw_gates(list, camera, session);
  if (session.start) {
    const ImVec2 s = to_im(camera.to_screen(*session.start));
    list.AddLine(ImVec2(s.x - 6, s.y - 6), ImVec2(s.x + 6, s.y + 6), IM_COL32(20, 20, 20, 230), 2.5f);
    list.AddLine(ImVec2(s.x - 6, s.y + 6), ImVec2(s.x + 6, s.y - 6), IM_COL32(20, 20, 20, 230), 2.5f);
  }

  if (overlays.trail && session.trail.size() >= 2) {
    points_.clear();
    for (Vec2 p : session.trail) points_.push_back(to_im(camera.to_screen(p)));
    list.AddPolyline(points_.data(), static_cast<int>(points_.size()), IM_COL32(20, 20, 30, 150), 0, 2.0f);
    for (const ImVec2& p : points_) draw::inner_disc(list, p, 2.2f, IM_COL32(20, 20, 30, 170), 6);  // no fringe: dots this small
  }

  if (overlays.plan) draw_plan(list, camera, session, fonts, points_, placed_);
  draw_route_line(list, camera, session, overlays, points_);
  draw_level1(list, camera, session, overlays, points_);
  draw_route_stops(list, camera, session, overlays, fonts);
  if (overlays.route) draw_corrections(list, camera, session, fonts);

  if (session.env) {
    const Vec2 truth = session.env->state().position;
    const ImVec2 agent = to_im(camera.to_screen(truth));
    if (overlays.rays)
      for (int k = 0; k < session.obs.num_rays; ++k) {
        const Vec2 dir = heading_dir(kTau * k / session.obs.num_rays);
        const ImVec2 end = to_im(camera.to_screen(truth + dir * session.obs.ranges[k]));
        const bool hit = session.obs.ranges[k] < session.env->params().ray_max * 0.999;
        list.AddLine(agent, end, IM_COL32(255, 255, 255, 140), 1.2f);
        if (hit) list.AddCircleFilled(end, 3.f, IM_COL32(255, 60, 60, 230), 10);
      }
    if (overlays.perceived) {
      const ImVec2 seen = to_im(camera.to_screen(session.obs.position));
      const float r = std::max(7.f, 0.35f * ppu);
      list.AddCircle(seen, r, IM_COL32(255, 255, 255, 200), 16, 3.5f);
      list.AddCircle(seen, r, IM_COL32(20, 20, 30, 255), 16, 1.6f);
    }
    const float r = std::max(6.f, 0.25f * ppu);
    list.AddCircleFilled(agent, r + 2, IM_COL32(0, 0, 0, 255), 16);
    draw::inner_disc(list, agent, r, im_color(palette::kAgent), 16);
  }

  if (overlays.help) {
    const char* help =
        "Space play/pause   S step   R reset   N new map   F fit   F12 screenshot   "
        "wheel zoom   drag pan   right-click start   ctrl+click add colour   shift+click gate";
    const float size = fonts.label->FontSize;
    const ImVec2 p(camera.viewport.left + 16, camera.viewport.top + camera.viewport.height - size - 12);
    if (help_font_ != fonts.label) {  // the line never changes: measure it once
      help_width_ = text_width(fonts.label, size, help);
      help_font_ = fonts.label;
    }
    list.AddRectFilled(ImVec2(p.x - 8, p.y - 4), ImVec2(p.x + help_width_ + 8, p.y + size + 4),
                       IM_COL32(20, 22, 28, 190), 4);
    list.AddText(fonts.label, size, p, IM_COL32(210, 212, 220, 255), help);
  }
  if (overlays.legend) draw_legend(list, camera, session, overlays, fonts, overlays.help);
  if (overlays.task) draw_task_chips(list, camera, session, fonts, overlays.legend);
  draw_outcome_banner(list, camera, session, fonts);
  list.PopClipRect();
}

}  // namespace hjepa
