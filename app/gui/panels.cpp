// The app's ImGui panels; see panels.hpp. Cheap edits apply at once; edits that replan or rebuild
// (env noise, oracle grid) apply when the widget is released.
#include "app/gui/panels.hpp"

#include <algorithm>
#include <cstdio>
#include <imgui.h>
#include <string>

#include "app/gui/palette.hpp"

namespace hjepa {
namespace {

ImVec4 region_color(Color c, float alpha = 1) {
  const palette::Rgb rgb = palette::kRegionFill[static_cast<int>(c)];
  return ImVec4(rgb.r / 255.f, rgb.g / 255.f, rgb.b / 255.f, alpha);
}

void tooltip(const char* text) {
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text);
}

bool slider_double(const char* label, double* value, double lo, double hi, const char* format, const char* help,
                   ImGuiSliderFlags flags = 0) {
  ImGui::SliderScalar(label, ImGuiDataType_Double, value, &lo, &hi, format, flags | ImGuiSliderFlags_AlwaysClamp);
  tooltip(help);
  return ImGui::IsItemDeactivatedAfterEdit();
}

bool slider_int(const char* label, int* value, int lo, int hi, const char* help) {
  ImGui::SliderInt(label, value, lo, hi, "%d", ImGuiSliderFlags_AlwaysClamp);
  tooltip(help);
  return ImGui::IsItemDeactivatedAfterEdit();
}

// A colour-filled button with the colour's name; returns true when clicked.
bool color_chip(Color c, const char* label, ImVec2 size, bool enabled = true) {
  ImGui::PushStyleColor(ImGuiCol_Button, region_color(c, enabled ? 1.f : 0.25f));
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, region_color(c, enabled ? 0.8f : 0.25f));
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, region_color(c, 0.6f));
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.05f, 0.05f, 0.08f, 1));
  if (!enabled) ImGui::BeginDisabled();
  const bool clicked = ImGui::Button(label, size);
  if (!enabled) ImGui::EndDisabled();
  ImGui::PopStyleColor(4);
  return clicked;
}

// Records the current window's rectangle so the app can paint its background opaque.
void record_rect(AppState& app) {
  const ImVec2 pos = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
  app.panel_rects.emplace_back(pos.x, pos.y, size.x, size.y);
}

void place(ImVec2 pos, ImVec2 size) {
  ImGui::SetNextWindowPos(pos, ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(size, ImGuiCond_FirstUseEver);
}

ImVec4 status_color(EpisodeStatus s) {
  switch (s) {
    case EpisodeStatus::Success: return ImVec4(0.45f, 0.9f, 0.45f, 1);
    case EpisodeStatus::Truncated: return ImVec4(1.f, 0.67f, 0.35f, 1);
    case EpisodeStatus::Running: return ImVec4(0.9f, 0.9f, 0.92f, 1);
    case EpisodeStatus::NotRunning: return ImVec4(1.f, 0.55f, 0.47f, 1);
  }
  return ImVec4(1, 1, 1, 1);
}

void simulation_panel(AppState& app) {
  Session& s = app.session;
  const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) / 2;
  if (ImGui::Button(app.playing ? "Pause [Space]" : "Play [Space]", ImVec2(half, 0))) app.toggle_play();
  tooltip("Run the agent at the chosen speed (Space)");
  ImGui::SameLine();
  if (ImGui::Button("Step [S]", ImVec2(half, 0))) app.single_step();
  tooltip("Pause and take one env step (S)");
  if (ImGui::Button("Reset [R]", ImVec2(half, 0))) app.reset_episode();
  tooltip("Restart the episode with the same episode seed (R)");
  ImGui::SameLine();
  if (ImGui::Button("New map [N]", ImVec2(half, 0))) app.new_map();
  tooltip("Generate the next map (map seed + 1) with the Environment panel's settings (N)");

  ImGui::SetNextItemWidth(-90);
  float speed = static_cast<float>(app.steps_per_second);
  if (ImGui::SliderFloat("speed", &speed, 1, 500, "%.0f steps/s", ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp))
    app.steps_per_second = speed;
  tooltip("Playback speed in env steps per second");
  ImGui::Checkbox("auto reset", &app.auto_reset);
  tooltip("When an episode ends, show it for 1 s, then start the next one (episode seed + 1)");

  ImGui::SetNextItemWidth(-90);
  uint64_t map_seed = s.map_seed;
  const uint64_t one = 1;
  if (ImGui::InputScalar("map seed", ImGuiDataType_U64, &map_seed, &one, nullptr, "%llu")) {
    s.map_seed = map_seed;
    app.regenerate_map();
  }
  tooltip("Seed of the generated map (N = next seed)");
  ImGui::SetNextItemWidth(-90);
  uint64_t episode_seed = s.episode_seed;
  if (ImGui::InputScalar("episode seed", ImGuiDataType_U64, &episode_seed, &one, nullptr, "%llu")) {
    s.episode_seed = episode_seed;
    app.reset_episode();
  }
  tooltip("Seed of the episode: start point (unless set by right-click) and noise");

  ImGui::Separator();
  ImGui::Text("map: %s", s.map_source.c_str());
  if (s.env) {
    ImGui::Text("step %d / %d   reward %.0f", s.env->state().step, s.env->max_steps(), s.episode_reward);
    ImGui::Text("progress %d / %d   status ", s.env->state().progress, s.task.size());
    ImGui::SameLine(0, 0);
    ImGui::TextColored(status_color(s.status), "%s", status_name(s.status));
  } else {
    ImGui::TextColored(status_color(EpisodeStatus::NotRunning), "not running:");
    ImGui::TextWrapped("%s", s.problem.c_str());
  }
}

void task_panel(AppState& app) {
  Session& s = app.session;
  ImGui::TextDisabled("click to append (max %d)", kMaxTaskLength);
  const float chip_w = (ImGui::GetContentRegionAvail().x - 3 * ImGui::GetStyle().ItemSpacing.x) / 4;
  for (int i = 0; i < kNumColors; ++i) {
    const Color c = static_cast<Color>(i);
    const bool present = s.on_map(c);
    if (i % 4) ImGui::SameLine();
    if (color_chip(c, std::string(color_name(c)).c_str(), ImVec2(chip_w, 0), present && s.task.size() < kMaxTaskLength))
      app.append_task_color(c);
    if (!present && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("not on this map");
  }

  ImGui::Text("task:");
  for (int k = 0; k < s.task.size(); ++k) {
    ImGui::SameLine();
    const int progress = s.env ? s.env->state().progress : 0;
    char label[32];
    std::snprintf(label, sizeof label, "%d%s##task%d", k + 1, k < progress ? " ok" : "", k);
    color_chip(s.task.colors[k], label, ImVec2(0, 0));
    tooltip(std::string(color_name(s.task.colors[k])).c_str());
  }
  if (s.task.colors.empty()) {
    ImGui::SameLine();
    ImGui::TextDisabled("(empty)");
  }
  if (ImGui::Button("Undo")) {
    if (!s.task.colors.empty()) s.task.colors.pop_back();
    app.reset_episode();
  }
  tooltip("Remove the last colour of the task");
  ImGui::SameLine();
  if (ImGui::Button("Clear")) {
    s.task.colors.clear();
    app.reset_episode();
  }
  ImGui::SameLine();
  ImGui::Checkbox("pick from map", &app.pick_mode);
  tooltip("Left-click a region to append its colour (or ctrl+click any time)");

  if (s.start)
    ImGui::Text("start (%.1f, %.1f)", s.start->x, s.start->y);
  else
    ImGui::TextDisabled("start: from the episode seed");
  tooltip("Right-click in the view to set the start point");
  if (s.start) {
    ImGui::SameLine();
    if (ImGui::SmallButton("seeded start")) {
      s.start.reset();
      app.reset_episode();
    }
  }
}

void agent_panel(AppState& app) {
  Session& s = app.session;
  int kind = static_cast<int>(s.agent_kind);
  bool changed = ImGui::RadioButton("oracle", &kind, static_cast<int>(AgentKind::Oracle));
  tooltip("Follows the shortest path computed with the true map (privileged)");
  ImGui::SameLine();
  changed |= ImGui::RadioButton("random", &kind, static_cast<int>(AgentKind::Random));
  tooltip("A uniform random heading every step");
  if (changed) {
    s.agent_kind = static_cast<AgentKind>(kind);
    s.apply_agent_params();
  }
  ImGui::BeginDisabled(s.agent_kind != AgentKind::Oracle);
  ImGui::SetNextItemWidth(-110);
  if (slider_double("replan dist", &s.oracle_params.replan_distance, 0.1, 3.0, "%.2f units",
                    "Replan when the true position is this far from the path"))
    s.apply_agent_params();
  ImGui::SetNextItemWidth(-110);
  if (slider_double("grid cell", &s.oracle_params.oracle.cell, 0.05, 1.0, "%.2f units",
                    "Oracle planner grid cell; smaller is more exact and slower", ImGuiSliderFlags_Logarithmic))
    s.apply_agent_params();
  if (const OracleAgent* oracle = s.oracle_agent()) ImGui::Text("replans this episode: %d", oracle->replans());
  ImGui::EndDisabled();
}

void view_panel(AppState& app) {
  Overlays& o = app.overlays;
  ImGui::Checkbox("plan", &o.plan);
  tooltip("The oracle agent's planned path; numbered discs mark where each task colour is reached");
  ImGui::SameLine(100);
  ImGui::Checkbox("trail", &o.trail);
  tooltip("True positions since the episode started");
  ImGui::SameLine(190);
  ImGui::Checkbox("rays", &o.rays);
  tooltip("Range-ring rays of the last observation (red dot: hit)");
  ImGui::Checkbox("perceived", &o.perceived);
  tooltip("Perceived position (hollow ring): true position plus perception noise");
  ImGui::SameLine(100);
  ImGui::Checkbox("borders", &o.borders);
  ImGui::SameLine(190);
  ImGui::Checkbox("labels", &o.labels);
  tooltip("Colour names at the region sites");
  ImGui::Checkbox("task chips", &o.task);
  ImGui::SameLine(100);
  ImGui::Checkbox("help line", &o.help);
  if (ImGui::Button("Fit [F]")) app.fit_pending = true;
  tooltip("Fit the whole map in the view (F); wheel zooms, left-drag pans");
  ImGui::SameLine();
  if (ImGui::Button("Screenshot [F12]")) app.screenshot_pending = true;
  tooltip("Save hjepa-screenshot-<n>.png in the current directory (F12)");
  ImGui::SameLine();
  ImGui::TextDisabled("%.0f px/unit", app.camera.pixels_per_unit);
  ImGui::BeginDisabled(!app.settings_enabled);
  if (ImGui::Button("Save settings")) app.save_settings_pending = true;
  ImGui::EndDisabled();
  tooltip("Save the panel values, camera and window size now (also saved on exit); "
          "loaded at the next launch, command-line flags win");
  if (!app.message.empty()) ImGui::TextWrapped("%s", app.message.c_str());
}

void environment_panel(AppState& app) {
  Session& s = app.session;
  MapParams& m = s.map_params;
  ImGui::TextDisabled("map (applied by Regenerate)");
  ImGui::PushItemWidth(-110);
  slider_double("width", &m.width, 10, 120, "%.0f units", "Map width, world units");
  slider_double("height", &m.height, 10, 90, "%.0f units", "Map height, world units");
  slider_int("regions", &m.num_regions, 6, 16, "Number of Voronoi regions, 6..16");
  slider_int("obstacles", &m.num_obstacles, 0, 60, "Obstacles placed (fewer if they cannot fit), 0..60");
  slider_double("circle share", &m.circle_fraction, 0, 1, "%.2f", "Share of obstacles that are circles; the rest are boxes");
  ImGui::PopItemWidth();
  if (ImGui::Button("Regenerate map", ImVec2(-1, 0))) app.regenerate_map();
  tooltip("Generate the map for the current map seed with these settings, and restart the episode");

  ImGui::Separator();
  ImGui::TextDisabled("env (applied live)");
  EnvParams& e = s.env_params;
  bool apply = false;
  ImGui::PushItemWidth(-110);
  apply |= slider_double("sigma motion", &e.noise_motion, 0, 1, "%.3f", "Std of the noise on the landing point, units");
  apply |= slider_double("sigma percept", &e.noise_perception, 0, 2, "%.3f", "Std of the noise on the perceived position, units");
  apply |= slider_double("sigma range", &e.noise_range, 0, 1, "%.3f", "Std of the noise on each range reading, units");
  apply |= slider_int("rays", &e.num_rays, 0, kMaxRays, "Range-ring rays, evenly spaced from heading 0");
  apply |= slider_double("ray max", &e.ray_max, 0.5, 20, "%.1f units", "Range-ring maximum reading, units");
  apply |= slider_double("step length", &e.step_length, 0.1, 3, "%.2f units", "Distance moved per unobstructed step");
  apply |= slider_int("max steps", &e.max_steps, 0, 2000, "Truncation limit; 0 = auto from map size and task length");
  ImGui::PopItemWidth();
  if (apply) s.apply_env_params();
}

void inspector_panel(AppState& app) {
  const Session& s = app.session;
  if (s.env) {
    const Observation& o = s.obs;
    const Vec2 truth = s.env->state().position;
    ImGui::Text("perceived (%.2f, %.2f)", o.position.x, o.position.y);
    ImGui::Text("true      (%.2f, %.2f)  err %.2f", truth.x, truth.y, dist(truth, o.position));
    ImGui::Text("colour");
    ImGui::SameLine();
    ImGui::ColorButton("##obscolor", region_color(o.color), ImGuiColorEditFlags_NoTooltip, ImVec2(14, 14));
    ImGui::SameLine();
    ImGui::Text("%s", std::string(color_name(o.color)).c_str());
    if (o.num_rays > 0) {
      char overlay[48];
      std::snprintf(overlay, sizeof overlay, "ranges (max %.1f)", s.env->params().ray_max);
      ImGui::PlotHistogram("##ranges", o.ranges.data(), o.num_rays, 0, overlay, 0.f,
                           static_cast<float>(s.env->params().ray_max), ImVec2(ImGui::GetContentRegionAvail().x, 48));
      tooltip("Range reading of each ray, from heading 0 counter-clockwise");
    }
    if (s.reference.found)
      ImGui::Text("oracle from start: %.1f units = %d steps", s.reference.length,
                  oracle_steps(s.reference.length, s.env->params().step_length));
    else
      ImGui::TextDisabled("oracle from start: no path");
    if (const OracleAgent* oracle = s.oracle_agent(); oracle && oracle->path().found)
      ImGui::Text("current plan: %.1f units", oracle->path().length);
    ImGui::Text("env step %.3f ms, agent act %.3f ms", s.last_step_ms, s.last_act_ms);
    ImGui::Text("oracle plan at reset %.1f ms", s.last_plan_ms);
  } else {
    ImGui::TextDisabled("no episode");
  }
  ImGui::Separator();
  const float ms = app.frames.last();
  ImGui::Text("frame %.2f ms (%.0f fps), median %.2f ms", ms, ms > 0 ? 1000.f / ms : 0.f, app.frames.recent_median());
  ImGui::PlotLines("##frames", app.frames.recent_ms.data(), FrameStats::kRecent, app.frames.recent_next, nullptr, 0.f,
                   std::max(20.f, 2 * app.frames.recent_median()), ImVec2(ImGui::GetContentRegionAvail().x, 40));
  tooltip("Recent frame times, ms");
}

}  // namespace

void draw_panels(AppState& app, float window_width, float window_height) {
  const float x1 = window_width - kPanelsWidth, x2 = window_width - kPanelColumnWidth, w = kPanelColumnWidth;
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoCollapse;
  app.panel_rects.clear();
  const float h1 = 250, h2 = 190, h3 = 130;
  place(ImVec2(x1, 0), ImVec2(w, h1));
  if (ImGui::Begin("Simulation", nullptr, flags)) simulation_panel(app);
  record_rect(app);
  ImGui::End();
  place(ImVec2(x1, h1), ImVec2(w, h2));
  if (ImGui::Begin("Task", nullptr, flags)) task_panel(app);
  record_rect(app);
  ImGui::End();
  place(ImVec2(x1, h1 + h2), ImVec2(w, h3));
  if (ImGui::Begin("Agent", nullptr, flags)) agent_panel(app);
  record_rect(app);
  ImGui::End();
  place(ImVec2(x1, h1 + h2 + h3), ImVec2(w, window_height - h1 - h2 - h3));
  if (ImGui::Begin("View", nullptr, flags)) view_panel(app);
  record_rect(app);
  ImGui::End();

  const float h4 = 420;
  place(ImVec2(x2, 0), ImVec2(w, h4));
  if (ImGui::Begin("Environment", nullptr, flags)) environment_panel(app);
  record_rect(app);
  ImGui::End();
  place(ImVec2(x2, h4), ImVec2(w, window_height - h4));
  if (ImGui::Begin("Inspector", nullptr, flags)) inspector_panel(app);
  record_rect(app);
  ImGui::End();
}

}  // namespace hjepa
