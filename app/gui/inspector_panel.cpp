// The Inspector panel: what the agent perceives, what the learned agents believe and plan (the
// H-JEPA agent's high-level plan, replans, watches and timings; the belief latent; the energy
// versus first heading), and the app's frame times.
#include <algorithm>
#include <limits>
#include <cstdio>
#include <set>
#include <imgui.h>
#include <string>

#include "agent/jepa/hjepa_agent.hpp"
#include "app/gui/panel_widgets.hpp"
#include "app/gui/panels.hpp"

namespace hjepa {
namespace {

void observation_section(const Session& s) {
  const Observation& o = s.obs;
  const Vec2 truth = s.env->state().position;
  ImGui::Text("perceived (%.2f, %.2f)", o.position.x, o.position.y);
  ImGui::Text("true      (%.2f, %.2f)  err %.2f", truth.x, truth.y, dist(truth, o.position));
  ImGui::Text("sees");
  ImGui::SameLine();
  color_swatch(o.color, "##obscolor");
  if (o.num_rays > 0) {
    char overlay[48];
    std::snprintf(overlay, sizeof overlay, "ranges (max %.1f)", s.env->params().ray_max);
    ImGui::PlotHistogram("##ranges", o.ranges.data(), o.num_rays, 0, overlay, 0.f, static_cast<float>(s.env->params().ray_max),
                         ImVec2(ImGui::GetContentRegionAvail().x, 36));
    tooltip("Range reading of each ray, from heading 0 counter-clockwise");
  }
  if (s.reference.found)
    ImGui::Text("oracle from start: %d steps (%.1f units)", oracle_steps(s.reference.length, s.env->params().step_length),
                s.reference.length);
  else
    ImGui::TextDisabled("oracle from start: no path");
  tooltip("The shortest route through the task's colours from the episode's start: the yardstick");
  if (const OraclePath* path = s.agent_trace().oracle_path; path && path->found)
    ImGui::Text("current plan: %.1f units", path->length);
}

// Level 2 of the H-JEPA agent: its plan (colours, places, predicted steps), why it last replanned,
// and what the watches found this episode.
void high_level_section(const Session& s, const HJepaTrace& t) {
  const HighTrace& h = s.high_trace;
  section("level 2: high-level plan");
  if (t.replans == 0) {
    ImGui::TextDisabled("no plan yet (step once)");
    return;
  }
  if (!h.valid) {
    ImGui::TextColored(ImVec4(1.f, 0.6f, 0.45f, 1), "no route through the task's colours in the place graph");
    tooltip("Level 1 aims at the next colour through the colour head alone (the flat agent's behaviour) until a "
            "replan finds one");
  } else {
    colour_sequence(h.colour_sequence);
    ImGui::Text("%.0f steps predicted, %zu places to go", h.remaining_cost, h.route.size() - 1);
    tooltip("Predicted steps along the rest of the route (the place graph's edge costs, plus this episode's penalties)");
    std::string ids;
    for (size_t i = 0; i < h.route.size(); ++i) {
      if (i > 0) ids += ' ';
      ids += std::to_string(h.route[i]);
    }
    ImGui::TextDisabled("places: %s", ids.c_str());
    tooltip("Place ids along the route, from the one the belief is in; numbered 1, 2, 3... in the view");
  }
  ImGui::TextDisabled("graph: %zu places, %d links (%zu drawn)", static_cast<size_t>(std::count_if(
                          s.place_graph.colour.begin(), s.place_graph.colour.end(), [](int c) { return c >= 0; })),
                      s.place_graph.connections, s.place_graph.edges.size());
  tooltip("The place graph level 2 learned: places with members and linked place pairs; the view draws the links not "
          "implied by a detour through a nearer place");
  ImGui::Text("place %d", t.place);
  ImGui::SameLine();
  if (t.subgoal_place >= 0)
    ImGui::Text("-> subgoal place %d", t.subgoal_place);
  else
    ImGui::TextDisabled("no subgoal: colour cost only");
  tooltip("The place the belief is in, and the next place on the route whose subgoal latent level 1 steers to");
  ImGui::Text("level-2 plans: %d", t.replans);
  ImGui::SameLine();
  ImGui::TextDisabled("last: %s", t.replan_reason.empty() ? "(kept)" : t.replan_reason.c_str());
  tooltip("Level 2 replans at the start, when the task progresses, when a subgoal is reached, when the belief strays "
          "from the route, when stuck or an offered colour is not seen, and every replan period");
  const EpisodeMemory* m = t.memory;
  const size_t penalised = m ? m->edge_penalties.size() : 0,
               found = m ? std::set<std::pair<int, int>>(m->blocked_edges.begin(), m->blocked_edges.end()).size() : 0;
  ImGui::Text("stuck %d  blocked %zu (+%zu)  refuted %zu", t.stuck_events, found, penalised > found ? penalised - found : 0,
              m ? m->refuted_offers.size() : 0);
  tooltip("Stuck events this episode (blocked where P1 predicted motion); place-graph edges found blocked, and (+) the "
          "others penalised as across the same passage; places found not to offer the colour the plan expected");
  if (t.watch_window > 0)
    ImGui::Text("stuck watch: %d steps", t.watch_window);
  else
    ImGui::TextDisabled("stuck watch: not comparing");
  tooltip("How many steps of readings the stuck watch compared with P1's prediction at this step: stuck window, or more "
          "where the model's noise estimates say a shorter window would see noise (agent.watch.stuck_noise); not "
          "comparing: too few steps since the last progress or side-step, or still side-stepping");
  if (t.escape_left > 0) ImGui::TextColored(ImVec4(1.f, 0.8f, 0.4f, 1), "side-stepping: %d steps left", t.escape_left);
}

void belief_histogram(const MatF& b) {
  if (b.size() == 0) return;
  const float top = std::max(b.cwiseAbs().maxCoeff(), 1e-3f);
  ImGui::PlotHistogram("##belief", b.data(), static_cast<int>(b.size()), 0, "belief latent", -top, top,
                       ImVec2(ImGui::GetContentRegionAvail().x, 48));
  tooltip("The belief s (one bar per latent dimension, symmetric scale)");
}

// Level 1 of either learned agent: belief, the chosen plan's energy and aim (the H-JEPA agent's
// subgoal place, -1 for none), energy vs first heading.
// The belief over P1's latent z: one bar per value, the believed one marked.
void z_belief_bars(const Level1Trace& t) {
  if (t.z_belief.size() <= 1) return;
  ImGui::Text("belief over z");
  tooltip("P1's latent variable z: each value is one kind of future (for example a gate open or closed), learned without "
          "labels. Each step the readings weigh every z by how well its prediction matched; the plan is judged under every "
          "z the belief allows (cyan: the believed z's rollout, orange: the others, fainter when less likely)");
  for (size_t z = 0; z < t.z_belief.size(); ++z) {
    char label[48];
    std::snprintf(label, sizeof label, "z=%zu  %.0f%%%s", z, 100 * t.z_belief[z], static_cast<int>(z) == t.believed_z ? "  believed" : "");
    ImGui::ProgressBar(t.z_belief[z], ImVec2(ImGui::GetContentRegionAvail().x, 0), label);
  }
}

// The Mode-1 policy against the optimiser: this step's two headings, and their gap over the episode.
void mode1_lines(const Level1Trace& t) {
  if (std::isnan(t.policy_heading)) return;
  if (t.policy_acted) {
    ImGui::TextColored(ImVec4(1.f, 0.45f, 0.9f, 1), "Mode 1 acts: policy heading %.0f\xc2\xb0 (no optimiser)", t.policy_heading * 57.29578f);
    tooltip("agent.low.mode policy: the Mode-1 policy chose the heading alone; its rollout through P1 is the plan drawn");
    return;
  }
  float sum = 0;
  int n = 0;
  for (float g : t.policy_gap)
    if (!std::isnan(g)) sum += g, ++n;
  const float now = t.policy_gap.empty() ? std::numeric_limits<float>::quiet_NaN() : t.policy_gap.back();
  ImGui::TextColored(ImVec4(1.f, 0.45f, 0.9f, 1), "Mode 1: policy %.0f\xc2\xb0, %.0f\xc2\xb0 off the plan", t.policy_heading * 57.29578f, now);
  tooltip("The Mode-1 policy's heading at this belief (magenta arrow in the view) against the heading the optimiser chose "
          "(the plan's first leg), and how far apart they were at each step of this episode (plot below)");
  if (t.policy_gap.size() >= 2) {
    char overlay[80];
    std::snprintf(overlay, sizeof overlay, "policy vs planner, deg/step: mean %.0f", n > 0 ? sum / n : 0.f);
    ImGui::PlotLines("##policygap", t.policy_gap.data(), static_cast<int>(t.policy_gap.size()), 0, overlay, 0, 180,
                     ImVec2(ImGui::GetContentRegionAvail().x, 40));
    tooltip("Angle between the Mode-1 policy's heading and the optimiser's, at each step of this episode");
  }
}

void level1_section(const Session& s, const BeliefState& belief, int subgoal_place) {
  section("level 1: belief and heading plan");
  belief_histogram(belief.s);
  if (belief.gain >= 0) {
    ImGui::Text("belief gain %.2f (%s)", belief.gain, belief_mode_name(s.belief_params.mode));
    tooltip("How much of E1's reading the last belief update took (the rest is P1's prediction). The Kalman belief "
            "(agent.belief.mode kalman) starts high, as unsure as one reading, and settles at the model's fitted gain or at "
            "agent.belief.min_gain, whichever is higher");
    if (s.belief_params.mode == BeliefMode::Kalman && s.model && belief.context_bin >= 0) {
      ImGui::Text("clearance bin %d (0-%d): P1's noise x%.2f", belief.context_bin, kClearanceBins - 1,
                  context_ratio(s.model->level1, belief.context_bin));
      tooltip("The Kalman belief's process noise follows the clearance ahead of the last move (the least of the three range "
              "readings nearest its heading, bin 0 nearest a wall): P1's one-step error in that bin against its mean, "
              "measured on held-out data after training. Near walls moves are cut short and P1 errs more, so the "
              "reading weighs more");
    }
  }
  const Level1Trace& t = s.level1_trace;
  if (!t.valid) return;
  z_belief_bars(t);
  // The belief the last plan started from was formed before the last env step.
  const Vec2 then = s.trail.size() >= 2 ? s.trail[s.trail.size() - 2] : s.env->state().position;
  ImGui::Text("belief (%.2f, %.2f)  probe err %.2f", t.belief.x, t.belief.y, dist(t.belief, then));
  tooltip("Position probe on the belief the last plan started from, and its distance to the true position at that step "
          "(the probe is for display only)");
  if (t.plan.empty()) {
    ImGui::TextDisabled("no plan yet (step once)");
    return;
  }
  ImGui::Text("plan energy %.3f  heading %.0f\xc2\xb0", t.cost, t.chosen_heading * 57.29578f);
  mode1_lines(t);
  ImGui::Text("aims at");
  if (subgoal_place >= 0) {
    ImGui::SameLine();
    ImGui::Text("subgoal place %d%s", subgoal_place, t.target_colour >= 0 ? " +" : "");
  }
  if (t.target_colour >= 0) {
    ImGui::SameLine();
    color_swatch(static_cast<Color>(t.target_colour), "##target");
  }
  if (subgoal_place < 0 && t.target_colour < 0) {
    ImGui::SameLine();
    ImGui::TextDisabled("nothing (task done)");
  }
  tooltip("The cost level 1 descends: the latent distance to the subgoal place's latent, and/or -log p(colour) from "
          "the colour head (the H-JEPA agent adds the colour when the next place is where the plan collects it)");
  if (t.sweep.empty()) return;
  const auto [lo, hi] = std::minmax_element(t.sweep.begin(), t.sweep.end());
  char overlay[80];
  std::snprintf(overlay, sizeof overlay, "energy vs first heading [%.2f, %.2f]", *lo, *hi);
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  const float w = ImGui::GetContentRegionAvail().x, height = 64;
  ImGui::PlotLines("##sweep", t.sweep.data(), static_cast<int>(t.sweep.size()), 0, overlay, *lo, *hi + 1e-6f, ImVec2(w, height));
  tooltip("Plan energy when the first heading sweeps -180..180 deg and the rest of the chosen plan is kept; the marker is the chosen heading");
  const float frac = static_cast<float>((t.chosen_heading + 3.141592653589793) / 6.283185307179586);
  const float x = pos.x + std::clamp(frac, 0.f, 1.f) * w;
  ImGui::GetWindowDrawList()->AddLine(ImVec2(x, pos.y), ImVec2(x, pos.y + height), IM_COL32(255, 220, 80, 220), 1.5f);
}

void timing_section(AppState& app) {
  const Session& s = app.session;
  ImGui::Separator();
  if (s.env) {
    if (s.agent_trace().hierarchy)
      ImGui::Text("act %.2f ms = L2 %.2f + L1 %.2f", s.last_act_ms, s.last_high_ms, s.last_act_ms - s.last_high_ms);
    else
      ImGui::Text("act %.2f ms", s.last_act_ms);
    tooltip("Wall time of the agent's last step; for the H-JEPA agent split into the level-2 plan (0 when it kept its "
            "plan) and the rest (belief, watches, level-1 heading optimisation)");
    ImGui::TextDisabled("env step %.3f ms, oracle plan %.1f ms", s.last_step_ms, s.last_plan_ms);
    tooltip("Wall time of the last env step, and of the oracle's reference plan at reset");
  }
  const float ms = app.frames.last(), median = app.frames.recent_median();
  ImGui::Text("frame %.1f ms, median %.1f ms (%.0f fps)", ms, median, median > 0 ? 1000.f / median : 0.f);
  ImGui::PlotLines("##frames", app.frames.recent_ms.data(), FrameStats::kRecent, app.frames.recent_next, nullptr, 0.f,
                   std::max(20.f, 2 * median), ImVec2(ImGui::GetContentRegionAvail().x, 40));
  tooltip("Recent frame times, ms (the median is over the last 240 frames)");
}

}  // namespace

void inspector_panel(AppState& app) {
  const Session& s = app.session;
  if (!s.env) {
    ImGui::TextDisabled("no episode");
    timing_section(app);
    return;
  }
  observation_section(s);
  const AgentTrace a = s.agent_trace();
  if (a.hierarchy) {
    high_level_section(s, *a.hierarchy);
    level1_section(s, a.hierarchy->belief, a.hierarchy->subgoal_place);
  } else if (a.belief) {
    level1_section(s, *a.belief, -1);
  }
  timing_section(app);
}

}  // namespace hjepa
