// The app's ImGui panels; see panels.hpp. Cheap edits apply at once; edits that replan or rebuild
// (env noise, oracle grid) apply when the widget is released.
#include "app/gui/panels.hpp"

#include <algorithm>
#include <cfloat>
#include <cstdio>
#include <filesystem>
#include <imgui.h>
#include <iterator>
#include <string>

#include "app/gui/panel_widgets.hpp"
#include "sim/rng.hpp"

namespace hjepa {
namespace {

// Records the current window's rectangle so the app can paint its background opaque.
void record_rect(AppState& app) {
  const ImVec2 pos = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
  app.panel_rects.emplace_back(pos.x, pos.y, size.x, size.y);
}

void place(ImVec2 pos, ImVec2 size) {
  ImGui::SetNextWindowPos(pos, ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(size, ImGuiCond_FirstUseEver);
}

// The map's gates in this episode, one checkbox each (ticked = closed); shift+click in the view does the same.
void gate_list(AppState& app) {
  const Session& s = app.session;
  const int gates = s.world ? s.world->gate_count() : 0;
  if (gates == 0 || !s.env) return;
  ImGui::TextDisabled("gates (closed = ticked; shift+click one in the view)");
  for (int g = 0; g < gates; ++g) {
    const Obstacle& ob = s.world->obstacles[s.world->gate_obstacle(g)];
    bool closed = !s.gate_open(g);
    char label[64];
    std::snprintf(label, sizeof label, "gate %d at (%.1f, %.1f)", g + 1, ob.center.x, ob.center.y);
    if (ImGui::Checkbox(label, &closed)) app.toggle_gate(g);
    char help[256];
    std::snprintf(help, sizeof help,
                  "Closed with probability %.2f at each reset (drawn from the episode seed); toggling changes this episode "
                  "only: the agent perceives it through its range rays and by being blocked",
                  ob.p_closed);
    tooltip(help);
  }
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

  const uint64_t one = 1;
  if (s.map_source.rfind("seed ", 0) != 0) {  // a map file: name it instead of a seed it was not made from
    ImGui::Text("map file: %s", std::filesystem::path(s.map_source).filename().string().c_str());
    tooltip(("Loaded from " + s.map_source + "; New map [N] generates map seed " + std::to_string(s.map_seed + 1) +
             " instead")
                .c_str());
  } else {
    ImGui::SetNextItemWidth(-90);
    uint64_t map_seed = s.map_seed;
    if (ImGui::InputScalar("map seed", ImGuiDataType_U64, &map_seed, &one, nullptr, "%llu")) {
      s.map_seed = map_seed;
      app.regenerate_map();
    }
    tooltip("Seed of the generated map (N = next seed)");
  }
  ImGui::SetNextItemWidth(-90);
  uint64_t episode_seed = s.episode_seed;
  if (ImGui::InputScalar("episode seed", ImGuiDataType_U64, &episode_seed, &one, nullptr, "%llu")) {
    s.episode_seed = episode_seed;
    app.reset_episode();
  }
  tooltip("Seed of the episode: start point (unless set by right-click) and noise");
  gate_list(app);

  // Step, progress and status are in the view's status line; here only why nothing runs.
  if (!s.env) {
    ImGui::TextColored(ImVec4(1.f, 0.55f, 0.47f, 1), "not running (why: top of the view)");
    tooltip(s.problem.c_str());
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

// A row of up to three overlay toggles at fixed columns.
void toggle(const char* label, bool* value, int column, const char* help) {
  if (column > 0) ImGui::SameLine(column * 95.f);
  ImGui::Checkbox(label, value);
  tooltip(help);
}

void view_panel(AppState& app) {
  Overlays& o = app.overlays;
  toggle("trail", &o.trail, 0, "True positions since the episode started");
  toggle("rays", &o.rays, 1, "Range-ring rays of the last observation (red dot: hit)");
  toggle("perceived", &o.perceived, 2, "Perceived position (hollow ring): true position plus perception noise");
  toggle("borders", &o.borders, 0, "Region borders");
  toggle("labels", &o.labels, 1, "Colour names at the region sites");
  toggle("task chips", &o.task, 2, "The task's colours with progress, top-left");
  toggle("help line", &o.help, 0, "The shortcut line, bottom-left");
  toggle("legend", &o.legend, 1,
         "What the marks mean (strip above the help line) and the H-JEPA agent's plan in words (under the task chips)");
  toggle("oracle path", &o.plan, 2, "The oracle agent's planned path; numbered discs mark where each task colour is reached");
  ImGui::TextDisabled("learned agents (probe-decoded)");
  toggle("places", &o.place_graph, 0,
         "H-JEPA: the place graph level 2 learned (faint): each place at the position probe of its subgoal latent, "
         "coloured by the colour it most likely shows");
  toggle("route", &o.route, 1, "H-JEPA: the high-level plan - the places it will pass through, numbered 1, 2, 3...");
  toggle("subgoal", &o.subgoal, 2, "H-JEPA: the place level 1 steers to now (target mark)");
  toggle("imagined", &o.imagined, 0, "Level 1: the chosen heading plan rolled out through the predictor");
  toggle("candidates", &o.candidates, 1, "Level 1: the optimiser's final candidate rollouts (faint)");
  toggle("belief", &o.belief, 2, "Level 1: the belief latent (diamond)");
  if (ImGui::Button("Fit [F]")) app.fit_pending = true;
  tooltip("Fit the whole map in the view (F); wheel zooms, left-drag pans");
  ImGui::SameLine();
  if (ImGui::Button("Screenshot [F12]")) app.screenshot_pending = true;
  tooltip("Save hjepa-screenshot-<n>.png in the current directory (F12)");
  ImGui::SameLine();
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
  int style = static_cast<int>(m.style);
  ImGui::Combo(declared("map.style").label.c_str(), &style, kMapStyleNames, static_cast<int>(std::size(kMapStyleNames)));
  m.style = static_cast<MapStyle>(style);
  param_tooltip(declared("map.style"));
  declared_slider("map.width", &m.width, 10, 120, "%.0f units");
  declared_slider("map.height", &m.height, 10, 90, "%.0f units");
  declared_slider("map.regions", &m.num_regions, 6, 16);
  declared_slider("map.obstacles", &m.num_obstacles, 0, 60);
  declared_slider("map.circle_fraction", &m.circle_fraction, 0, 1, "%.2f");
  ImGui::BeginDisabled(m.style != MapStyle::Maze && m.num_gates == 0);  // gates are doors in a maze's walls
  declared_slider("map.gates", &m.num_gates, 0, kMapGatesMax);
  ImGui::EndDisabled();
  ImGui::PopItemWidth();
  if (ImGui::Button("Regenerate map", ImVec2(-1, 0))) app.regenerate_map();
  tooltip("Generate the map for the current map seed with these settings, and restart the episode");

  ImGui::Separator();
  ImGui::TextDisabled("env (applied live)");
  EnvParams& e = s.env_params;
  bool apply = false;
  ImGui::PushItemWidth(-110);
  apply |= declared_slider("env.noise_motion", &e.noise_motion, 0, 1, "%.3f");
  apply |= declared_slider("env.noise_perception", &e.noise_perception, 0, 2, "%.3f");
  apply |= declared_slider("env.noise_range", &e.noise_range, 0, 1, "%.3f");
  apply |= declared_slider("env.num_rays", &e.num_rays, 0, kMaxRays);
  apply |= declared_slider("env.ray_max", &e.ray_max, 0.5, 20, "%.1f units");
  apply |= declared_slider("env.step_length", &e.step_length, 0.1, 3, "%.2f units");
  apply |= declared_slider("env.max_steps", &e.max_steps, 0, 2000);
  ImGui::PopItemWidth();
  if (apply) s.apply_env_params();
}

// The Bench tab: a suite run in the background with the Agent panel's current parameters.
void bench_panel(AppState& app) {
  const Session& s = app.session;
  const RunConfig config = s.run_config();
  ImGui::TextWrapped("Runs a benchmark suite (as hjepa bench does) on background threads with the current agent "
                     "parameters; models come from the model cache or are trained first.");
  draw_bench_panel(app.bench, config);
}

// The second column: one window whose tabs hold the Inspector, Training, Environment and Bench panels.
// Starting a training run brings its tab forward.
void second_column(AppState& app) {
  if (!ImGui::BeginTabBar("##column2")) return;
  auto tab = [&](const char* name, bool select, void (*panel)(AppState&)) {
    if (ImGui::BeginTabItem(name, nullptr, select ? ImGuiTabItemFlags_SetSelected : 0)) {
      ImGui::BeginChild(name);
      panel(app);
      ImGui::EndChild();
      ImGui::EndTabItem();
    }
  };
  tab("Inspector", app.show_tab == AppState::Tab::Inspector, inspector_panel);
  tab("Training", app.show_tab == AppState::Tab::Training, training_panel);
  tab("Environment", false, environment_panel);
  tab("Bench", app.show_tab == AppState::Tab::Bench, bench_panel);
  app.show_tab = AppState::Tab::Keep;
  ImGui::EndTabBar();
}

}  // namespace

void draw_panels(AppState& app, float window_width, float window_height) {
  const float x1 = window_width - kPanelsWidth, x2 = window_width - kPanelColumnWidth, w = kPanelColumnWidth;
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoCollapse;
  app.panel_rects.clear();
  // The View panel gives up height first on short windows (it scrolls), so the Agent panel keeps
  // room for its tabs and sliders down to a 720-pixel screen.
  const float h1 = 186, h2 = 172, h4 = std::clamp(window_height - h1 - h2 - 260, 110.f, 210.f), h3 = window_height - h1 - h2 - h4;
  auto panel = [&](const char* title, ImVec2 pos, ImVec2 size, ImGuiWindowFlags extra, void (*contents)(AppState&)) {
    place(pos, size);
    if (ImGui::Begin(title, nullptr, flags | extra)) contents(app);
    record_rect(app);
    ImGui::End();
  };
  panel("Simulation", ImVec2(x1, 0), ImVec2(w, h1), 0, simulation_panel);
  panel("Task", ImVec2(x1, h1), ImVec2(w, h2), 0, task_panel);
  panel("Agent", ImVec2(x1, h1 + h2), ImVec2(w, h3), 0, agent_panel);
  panel("View", ImVec2(x1, h1 + h2 + h3), ImVec2(w, h4), 0, view_panel);
  panel("##column2", ImVec2(x2, 0), ImVec2(w, window_height), ImGuiWindowFlags_NoTitleBar, second_column);
}

}  // namespace hjepa
