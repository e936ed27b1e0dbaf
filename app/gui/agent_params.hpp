// The Agent panel's layout of the learned agents' live parameters: for each parameter of the table
// (agent/config.hpp, which gives its name, label, help, default and range), the tab it sits on, the
// field it edits, the slider's span and format, and the planner it belongs to. Nothing here
// describes a parameter; the settings file reads and writes the table itself.
#pragma once
#include <algorithm>

#include "agent/config.hpp"
#include "app/gui/session.hpp"

namespace hjepa {

enum class ParamTab { Planner, Cost, HighLevel };

struct AgentParam {
  const char* key;            // the table's name
  ParamTab tab;
  int* integer = nullptr;     // exactly one of integer / real is set
  double* real = nullptr;
  double lo = 0, hi = 1;      // the slider's span (clipped to the table's range)
  const char* format = "%d";  // slider format
  bool logarithmic = false;
  const char* planner = nullptr;  // "gradient" or "cem": used by that planner only (else both)
};

// Calls f(const AgentParam&) for every parameter of the flat and H-JEPA agents in `s`. A slider's
// span is the panel's (comfortable to drag) clipped to the table's range.
template <class F>
void for_each_agent_param(Session& s, F&& raw) {
  auto f = [&raw](AgentParam p) {
    const ParamSpec& spec = declared(p.key);
    p.lo = std::max(p.lo, spec.lo), p.hi = std::min(p.hi, spec.hi);
    raw(p);
  };
  PlannerParams& p = s.planner_params;
  HJepaParams& h = s.hjepa_params;
  using T = ParamTab;
  f(AgentParam{"agent.planner.horizon", T::Planner, &p.horizon, nullptr, 1, 32});
  f(AgentParam{"agent.planner.iterations", T::Planner, &p.iterations, nullptr, 1, 100});
  f(AgentParam{"agent.low.seeded_iterations", T::Planner, &p.seeded_iterations, nullptr, 1, 50});
  f(AgentParam{"agent.planner.restarts", T::Planner, &p.restarts, nullptr, 1, 64, "%d", false, "gradient"});
  f(AgentParam{"agent.planner.lr", T::Planner, nullptr, &p.lr, 0.005, 2.0, "%.3f rad", true, "gradient"});
  f(AgentParam{"agent.planner.cem_samples", T::Planner, &p.cem_samples, nullptr, 2, 512, "%d", true, "cem"});
  f(AgentParam{"agent.planner.cem_elites", T::Planner, &p.cem_elites, nullptr, 1, 64, "%d", false, "cem"});
  f(AgentParam{"agent.planner.goal_weight", T::Cost, nullptr, &p.goal_weight, 0, 10, "%.2f"});
  f(AgentParam{"agent.planner.colour_weight", T::Cost, nullptr, &p.colour_weight, 0, 10, "%.2f"});
  f(AgentParam{"agent.planner.terminal_weight", T::Cost, nullptr, &p.terminal_weight, 0, 10, "%.2f"});
  f(AgentParam{"agent.belief.gain", T::Cost, nullptr, &s.belief_params.gain, 0, 1, "%.2f"});
  f(AgentParam{"agent.belief.min_gain", T::Cost, nullptr, &s.belief_params.min_gain, 0, 1, "%.2f"});
  f(AgentParam{"agent.high.colour_threshold", T::HighLevel, nullptr, &h.high.colour_threshold, 0.01, 1, "%.2f"});
  f(AgentParam{"agent.high.replan_period", T::HighLevel, &h.high.replan_period, nullptr, 0, 100});
  f(AgentParam{"agent.watch.offer_patience", T::HighLevel, &h.offer_patience, nullptr, 0, 20});
  f(AgentParam{"agent.watch.stuck_window", T::HighLevel, &h.stuck_window, nullptr, 2, 15});
  f(AgentParam{"agent.watch.stuck_ratio", T::HighLevel, nullptr, &h.stuck_ratio, 0, 1, "%.2f"});
  f(AgentParam{"agent.watch.stuck_noise", T::HighLevel, nullptr, &h.stuck_noise, 0, 10, "%.1f"});
  f(AgentParam{"agent.watch.stuck_penalty", T::HighLevel, nullptr, &h.stuck_penalty, 0, 100, "%.0f steps"});
  f(AgentParam{"agent.watch.passage_radius", T::HighLevel, nullptr, &h.passage_radius, 0, 20, "%.1f steps"});
  f(AgentParam{"agent.watch.passage_evidence", T::HighLevel, &h.passage_evidence, nullptr, 1, 5});
  f(AgentParam{"agent.watch.escape_steps", T::HighLevel, &h.escape_steps, nullptr, 0, 10});
  f(AgentParam{"agent.watch.overdue_factor", T::HighLevel, nullptr, &h.overdue_factor, 0, 20, "%.1f"});
}

}  // namespace hjepa
