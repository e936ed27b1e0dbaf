// The learned agents' live parameters as one table: the settings name (dotted after the Params
// struct that holds the field: "agent.planner.horizon", "agent.high.replan_period"), the Agent
// panel's label and tab, the range both accept and the tooltip (the field's comment). The Agent
// panel and the settings file both walk this table, so a parameter is named and bounded once.
#pragma once
#include <algorithm>
#include <utility>

#include "agent/config.hpp"
#include "app/gui/session.hpp"

namespace hjepa {

enum class ParamTab { Planner, Cost, HighLevel };

struct AgentParam {
  const char* key;            // settings name
  const char* label;          // Agent panel label
  const char* help;           // tooltip: unit, range, effect
  ParamTab tab;
  int* integer = nullptr;     // exactly one of integer / real is set
  double* real = nullptr;
  double lo = 0, hi = 1;      // accepted range (panel clamp, settings check)
  const char* format = "%d";  // slider format
  bool logarithmic = false;
  const char* planner = nullptr;  // "gradient" or "cem": used by that planner only (else both)
};

// The range agent/config.hpp declares for `key` (the one the CLI and config files accept), or the
// panel's own when the key is not there. Settings files are checked against it.
inline std::pair<double, double> declared_range(const AgentParam& p) {
  if (const ParamSpec* spec = find_run_param(p.key)) return {spec->lo, spec->hi};
  return {p.lo, p.hi};
}

// Calls f(const AgentParam&) for every parameter of the flat and H-JEPA agents in `s`. A slider's
// range is the panel's (comfortable to drag) clipped to the declared range.
template <class F>
void for_each_agent_param(Session& s, F&& raw) {
  auto f = [&raw](AgentParam p) {
    const auto [lo, hi] = declared_range(p);
    p.lo = std::max(p.lo, lo), p.hi = std::min(p.hi, hi);
    raw(p);
  };
  PlannerParams& p = s.planner_params;
  HJepaParams& h = s.hjepa_params;
  using T = ParamTab;
  f(AgentParam{"agent.planner.horizon", "horizon", "H: headings optimised per plan (steps looked ahead)", T::Planner,
               &p.horizon, nullptr, 1, 32});
  f(AgentParam{"agent.planner.iterations", "iterations", "Optimiser iterations per agent step", T::Planner, &p.iterations,
               nullptr, 1, 100});
  f(AgentParam{"agent.planner.restarts", "restarts", "R: candidate plans optimised together (one is the warm start)",
               T::Planner, &p.restarts, nullptr, 1, 64, "%d", false, "gradient"});
  f(AgentParam{"agent.planner.lr", "lr", "Adam step on the heading angles, radians", T::Planner, nullptr, &p.lr, 0.005, 2.0,
               "%.3f rad", true, "gradient"});
  f(AgentParam{"agent.planner.cem_samples", "cem samples", "CEM: heading sequences sampled per iteration", T::Planner,
               &p.cem_samples, nullptr, 2, 512, "%d", true, "cem"});
  f(AgentParam{"agent.planner.cem_elites", "cem elites", "CEM: best samples the next proposal is fitted to", T::Planner,
               &p.cem_elites, nullptr, 1, 64, "%d", false, "cem"});
  f(AgentParam{"agent.planner.goal_weight", "goal weight",
               "Weight of the squared latent distance to the subgoal level 2 hands down (the flat agent has none)", T::Cost,
               nullptr, &p.goal_weight, 0, 10, "%.2f"});
  f(AgentParam{"agent.planner.colour_weight", "colour weight", "Weight of -log p(next colour) from the colour head",
               T::Cost, nullptr, &p.colour_weight, 0, 10, "%.2f"});
  f(AgentParam{"agent.planner.terminal_weight", "terminal wt", "Extra multiple of the goal and colour costs at the last step",
               T::Cost, nullptr, &p.terminal_weight, 0, 10, "%.2f"});
  f(AgentParam{"agent.belief.gain", "belief gain",
               "Weight of the encoder's reading against the predictor's expectation, 0..1 (1 = trust the observation)",
               T::Cost, nullptr, &s.belief_params.gain, 0, 1, "%.2f"});
  f(AgentParam{"agent.high.colour_threshold", "colour thresh",
               "Level 2: a place offers a colour when the colour head gives it at least this mean probability there",
               T::HighLevel, nullptr, &h.high.colour_threshold, 0.01, 1, "%.2f"});
  f(AgentParam{"agent.high.replan_period", "replan period",
               "Level 2: replan at least every this many steps (0 = only on events: start, progress, subgoal reached, "
               "strayed, stuck)",
               T::HighLevel, &h.high.replan_period, nullptr, 0, 100});
  f(AgentParam{"agent.watch.offer_patience", "offer patience",
               "Steps in a place the plan says offers the next colour, without seeing it, before that offer is marked "
               "false for the episode (0 = off)",
               T::HighLevel, &h.offer_patience, nullptr, 0, 20});
  f(AgentParam{"agent.watch.stuck_window", "stuck window", "Stuck watch: steps over which real and predicted motion are compared",
               T::HighLevel, &h.stuck_window, nullptr, 2, 15});
  f(AgentParam{"agent.watch.stuck_ratio", "stuck ratio",
               "Stuck when the encoder's readings moved less than this x the motion P1 predicted (0 = never stuck)",
               T::HighLevel, nullptr, &h.stuck_ratio, 0, 1, "%.2f"});
  f(AgentParam{"agent.watch.stuck_penalty", "stuck penalty",
               "Predicted steps added to a place-graph edge found blocked (this episode only)", T::HighLevel, nullptr,
               &h.stuck_penalty, 0, 100, "%.0f steps"});
  f(AgentParam{"agent.watch.escape_steps", "escape steps",
               "Side steps towards the open side (by the range rays) after getting stuck", T::HighLevel, &h.escape_steps,
               nullptr, 0, 10});
}

}  // namespace hjepa
