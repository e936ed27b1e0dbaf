// The app's ImGui panels; see panels.hpp. Cheap edits apply at once; edits that replan or rebuild
// (env noise, oracle grid) apply when the widget is released.
#include "app/gui/panels.hpp"

#include <algorithm>
#include <cfloat>
#include <cstdio>
#include <imgui.h>
#include <string>

#include "app/gui/palette.hpp"
#include "sim/rng.hpp"

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

bool input_text(const char* label, std::string& value) {
  char buffer[512];
  std::snprintf(buffer, sizeof buffer, "%s", value.c_str());
  const bool changed = ImGui::InputText(label, buffer, sizeof buffer);
  if (changed) value = buffer;
  return changed;
}

void flat_agent_controls(AppState& app) {
  Session& s = app.session;
  const std::string problem = s.model_problem();
  if (problem.empty())
    ImGui::TextDisabled("model: %s", s.model_source.c_str());
  else
    ImGui::TextColored(ImVec4(1.f, 0.6f, 0.45f, 1), "%s", problem.c_str());
  PlannerParams& p = s.planner_params;
  bool apply = false;
  int type = s.planner_type == "cem" ? 1 : 0;
  ImGui::Text("planner");
  ImGui::SameLine();
  bool type_changed = ImGui::RadioButton("gradient", &type, 0);
  ImGui::SameLine();
  type_changed |= ImGui::RadioButton("cem", &type, 1);
  if (type_changed) {
    s.planner_type = type == 1 ? "cem" : "gradient";
    apply = true;
  }
  tooltip("gradient: Adam on the heading angles with batched restarts; cem: cross-entropy method");
  ImGui::PushItemWidth(-110);
  apply |= ImGui::SliderInt("horizon", &p.horizon, 1, 32, "%d", ImGuiSliderFlags_AlwaysClamp);
  tooltip("H: headings optimised per plan");
  apply |= ImGui::SliderInt("iterations", &p.iterations, 1, 100, "%d", ImGuiSliderFlags_AlwaysClamp);
  tooltip("Optimiser iterations per agent step");
  ImGui::BeginDisabled(s.planner_type != "gradient");
  apply |= ImGui::SliderInt("restarts", &p.restarts, 1, 64, "%d", ImGuiSliderFlags_AlwaysClamp);
  tooltip("R: candidate plans optimised together (one is the warm start)");
  {
    const double lo = 0.005, hi = 2.0;
    apply |= ImGui::SliderScalar("lr", ImGuiDataType_Double, &p.lr, &lo, &hi, "%.3f rad",
                                 ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
    tooltip("Adam step on the angles, radians");
  }
  ImGui::EndDisabled();
  const double w0 = 0, w1 = 10;
  apply |= ImGui::SliderScalar("goal weight", ImGuiDataType_Double, &p.goal_weight, &w0, &w1, "%.2f", ImGuiSliderFlags_AlwaysClamp);
  tooltip("Weight of the squared latent distance to a subgoal (no subgoal without level 2)");
  apply |= ImGui::SliderScalar("colour weight", ImGuiDataType_Double, &p.colour_weight, &w0, &w1, "%.2f", ImGuiSliderFlags_AlwaysClamp);
  tooltip("Weight of -log p(next colour) from the colour head");
  apply |= ImGui::SliderScalar("terminal wt", ImGuiDataType_Double, &p.terminal_weight, &w0, &w1, "%.2f", ImGuiSliderFlags_AlwaysClamp);
  tooltip("Extra multiple of the cost at the last step");
  ImGui::BeginDisabled(s.planner_type != "cem");
  apply |= ImGui::SliderInt("cem samples", &p.cem_samples, 2, 512, "%d", ImGuiSliderFlags_AlwaysClamp | ImGuiSliderFlags_Logarithmic);
  tooltip("CEM: samples per iteration");
  apply |= ImGui::SliderInt("cem elites", &p.cem_elites, 1, 64, "%d", ImGuiSliderFlags_AlwaysClamp);
  tooltip("CEM: elites kept per iteration");
  ImGui::EndDisabled();
  const double g0 = 0, g1 = 1;
  apply |= ImGui::SliderScalar("belief gain", ImGuiDataType_Double, &s.belief_params.gain, &g0, &g1, "%.2f", ImGuiSliderFlags_AlwaysClamp);
  tooltip("Weight of the encoder's reading against the predictor's expectation (1 = trust the observation)");
  ImGui::PopItemWidth();
  if (apply) s.apply_planner_params();
}

void agent_panel(AppState& app) {
  Session& s = app.session;
  int kind = static_cast<int>(s.agent_kind);
  bool changed = ImGui::RadioButton("oracle", &kind, static_cast<int>(AgentKind::Oracle));
  tooltip("Follows the shortest path computed with the true map (privileged)");
  ImGui::SameLine();
  changed |= ImGui::RadioButton("random", &kind, static_cast<int>(AgentKind::Random));
  tooltip("A uniform random heading every step");
  changed |= ImGui::RadioButton("flat (level-1 JEPA)", &kind, static_cast<int>(AgentKind::Flat));
  tooltip("Latent belief + planner through the learned predictor, aimed at the next colour (needs a trained model)");
  if (changed) {
    s.agent_kind = static_cast<AgentKind>(kind);
    s.apply_agent_params();
  }
  if (s.agent_kind == AgentKind::Flat) return flat_agent_controls(app);
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

void plot(const char* label, const std::vector<float>& values, const char* help, float height = 34) {
  char overlay[64];
  std::snprintf(overlay, sizeof overlay, "%s %.4f", label, values.empty() ? 0.f : values.back());
  ImGui::PlotLines((std::string("##") + label).c_str(), values.data(), static_cast<int>(values.size()), 0, overlay, FLT_MAX,
                   FLT_MAX, ImVec2(ImGui::GetContentRegionAvail().x, height));
  tooltip(help);
}

void training_panel(AppState& app) {
  Session& s = app.session;
  const TrainingJob::Snapshot snap = app.training.snapshot();
  const bool busy = app.training.busy();
  ImGui::BeginDisabled(busy);
  ImGui::PushItemWidth(-110);
  ImGui::SliderInt("steps", &app.train_params.steps, 100, 20000, "%d", ImGuiSliderFlags_AlwaysClamp | ImGuiSliderFlags_Logarithmic);
  tooltip("Optimiser steps for the encoder and predictor (CLI --steps)");
  ImGui::SliderInt("sequences", &app.train_params.exploration.sequences, 10, 5000, "%d",
                   ImGuiSliderFlags_AlwaysClamp | ImGuiSliderFlags_Logarithmic);
  tooltip("Exploration sequences collected (CLI --sequences)");
  const uint64_t one = 1;
  ImGui::InputScalar("train seed", ImGuiDataType_U64, &app.train_seed, &one, nullptr, "%llu");
  tooltip("Training seed (data, initialisation, batches); CLI --seed");
  ImGui::PopItemWidth();
  if (ImGui::Button("Train level 1", ImVec2(ImGui::GetContentRegionAvail().x * 0.6f, 0))) app.start_training();
  tooltip("Collect exploration data on this map and train level 1 in the background");
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(!busy || snap.stop_requested);
  if (ImGui::Button("Stop", ImVec2(-1, 0))) app.training.request_stop();
  ImGui::EndDisabled();
  tooltip("Stop at the next logged step and discard the result");

  const float fraction = snap.steps > 0 ? static_cast<float>(snap.step) / snap.steps : 0.f;
  char overlay[96];
  if (snap.stop_requested)
    std::snprintf(overlay, sizeof overlay, "stopping... (%.0f s)", snap.seconds);
  else if (busy || snap.phase == TrainPhase::Done)
    std::snprintf(overlay, sizeof overlay, "%d/%d  %.0f s", snap.step, snap.steps, snap.seconds);
  else
    std::snprintf(overlay, sizeof overlay, "%s", train_phase_name(snap.phase));
  ImGui::ProgressBar(fraction, ImVec2(-1, 0), overlay);
  if (busy) ImGui::TextDisabled("%s", train_phase_name(snap.phase));
  if (!app.model_message.empty()) ImGui::TextWrapped("%s", app.model_message.c_str());

  const Level1Report& r = snap.report;
  if (!r.loss_pred.empty()) {
    plot("prediction", r.loss_pred, "Latent prediction loss (k-step, against the stop-gradient encoder), every 50 steps");
    plot("variance", r.loss_var, "VICReg variance hinge on s0 (0 = no collapse)");
    plot("inverse dyn", r.loss_idm, "Inverse dynamics: (s_t, s_t+1) -> heading");
  }
  if (!r.latent_std.empty()) {
    const float top = *std::max_element(r.latent_std.begin(), r.latent_std.end());
    ImGui::PlotHistogram("##latentstd", r.latent_std.data(), static_cast<int>(r.latent_std.size()), 0, "latent std per dim", 0.f,
                         std::max(top, 1e-3f) * 1.1f, ImVec2(ImGui::GetContentRegionAvail().x, 40));
    tooltip("Held-out standard deviation of each latent dimension (a dimension near 0 has collapsed)");
    ImGui::Text("probe R^2 %.4f   colour acc %.3f", r.probe_r2, r.colour_accuracy);
    std::vector<float> k(r.kstep_probe_error.begin(), r.kstep_probe_error.end());
    char kov[64];
    std::snprintf(kov, sizeof kov, "k-step probe err (k=1 %.2f, k=%zu %.2f)", k.empty() ? 0.f : k.front(), k.size(),
                  k.empty() ? 0.f : k.back());
    ImGui::PlotLines("##kstep", k.data(), static_cast<int>(k.size()), 0, kov, 0.f, FLT_MAX,
                     ImVec2(ImGui::GetContentRegionAvail().x, 40));
    tooltip("Mean probe position error (units) of latents predicted k = 1..16 steps ahead, held out");
    ImGui::Text("belief err %.3f  enc %.3f  percept %.3f", r.belief_error, r.encoding_error, r.perception_error);
    tooltip("Held-out mean position error (units): probe on the filtered belief (gain 0.5), probe on the raw encoding, raw perceived position");
    ImGui::TextDisabled("%ld parameters, %.1f s", r.parameters, r.seconds);
  }

  ImGui::Separator();
  if (s.model) {
    ImGui::TextWrapped("model: %s", s.model_source.c_str());
    if (s.world && s.model->map_fingerprint != s.world->fingerprint())
      ImGui::TextColored(ImVec4(1.f, 0.6f, 0.45f, 1), "model trained on another map - retrain");
  } else {
    ImGui::TextDisabled("no model");
  }
  ImGui::SetNextItemWidth(-1);
  input_text("##modelpath", app.model_path);
  tooltip("Model file path for Load / Save");
  if (ImGui::Button("Load model...")) app.load_model_file();
  tooltip("Load a model file trained on this map (hjepa train --out FILE)");
  ImGui::SameLine();
  ImGui::BeginDisabled(!s.model);
  if (ImGui::Button("Save model...")) app.save_model_file();
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
  ImGui::Checkbox("imagined", &o.imagined);
  tooltip("Flat agent: its chosen plan rolled out through the predictor, decoded by the position probe");
  ImGui::SameLine(100);
  ImGui::Checkbox("candidates", &o.candidates);
  tooltip("Flat agent: the optimiser's final candidate rollouts (faint)");
  ImGui::SameLine(190);
  ImGui::Checkbox("belief", &o.belief);
  tooltip("Flat agent: the belief latent decoded by the probe (diamond)");
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

void flat_inspector(const Session& s, const FlatJepaAgent& a) {
  ImGui::Separator();
  const MatF& b = a.belief();
  if (b.size() > 0) {
    const float top = std::max(b.cwiseAbs().maxCoeff(), 1e-3f);
    ImGui::PlotHistogram("##belief", b.data(), static_cast<int>(b.size()), 0, "belief latent", -top, top,
                         ImVec2(ImGui::GetContentRegionAvail().x, 44));
    tooltip("The belief s (one bar per latent dimension, symmetric scale)");
  }
  const FlatTrace& t = s.flat_trace;
  if (!t.valid) return;
  // The belief the last plan started from was formed before the last env step.
  const Vec2 then = s.trail.size() >= 2 ? s.trail[s.trail.size() - 2] : s.env->state().position;
  ImGui::Text("belief (%.2f, %.2f)  err %.2f", t.belief.x, t.belief.y, dist(t.belief, then));
  tooltip("Position probe on the belief the last plan started from, and its distance to the true position at that step");
  const PlanResult& p = a.last_plan();
  if (p.headings.empty()) {
    ImGui::TextDisabled("no plan yet (step once)");
    return;
  }
  ImGui::Text("plan cost %.3f  first heading %.0f deg", p.cost, t.chosen_heading * 57.29578f);
  if (t.target_colour >= 0) {
    ImGui::Text("aims at");
    ImGui::SameLine();
    ImGui::ColorButton("##target", region_color(static_cast<Color>(t.target_colour)), ImGuiColorEditFlags_NoTooltip, ImVec2(14, 14));
    ImGui::SameLine();
    ImGui::Text("%s", std::string(color_name(static_cast<Color>(t.target_colour))).c_str());
  }
  if (!t.sweep.empty()) {
    const auto [lo, hi] = std::minmax_element(t.sweep.begin(), t.sweep.end());
    char overlay[80];
    std::snprintf(overlay, sizeof overlay, "energy vs first heading [%.2f, %.2f]", *lo, *hi);
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const float w = ImGui::GetContentRegionAvail().x, h = 56;
    ImGui::PlotLines("##sweep", t.sweep.data(), static_cast<int>(t.sweep.size()), 0, overlay, *lo, *hi + 1e-6f, ImVec2(w, h));
    tooltip("Plan energy when the first heading sweeps -180..180 deg and the rest of the chosen plan is kept; the marker is the chosen heading");
    const float frac = static_cast<float>((t.chosen_heading + 3.141592653589793) / 6.283185307179586);
    const float x = pos.x + std::clamp(frac, 0.f, 1.f) * w;
    ImGui::GetWindowDrawList()->AddLine(ImVec2(x, pos.y), ImVec2(x, pos.y + h), IM_COL32(255, 220, 80, 220), 1.5f);
  }
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
    if (const FlatJepaAgent* flat = s.flat_agent()) flat_inspector(s, *flat);
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
  const float h1 = 215, h2 = 170, h3 = 330;
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

  const float h4 = 180, h5 = 400;
  place(ImVec2(x2, 0), ImVec2(w, h4));
  if (ImGui::Begin("Environment", nullptr, flags)) environment_panel(app);
  record_rect(app);
  ImGui::End();
  place(ImVec2(x2, h4), ImVec2(w, h5));
  if (ImGui::Begin("Training", nullptr, flags)) training_panel(app);
  record_rect(app);
  ImGui::End();
  place(ImVec2(x2, h4 + h5), ImVec2(w, window_height - h4 - h5));
  if (ImGui::Begin("Inspector", nullptr, flags)) inspector_panel(app);
  record_rect(app);
  ImGui::End();
}

}  // namespace hjepa
