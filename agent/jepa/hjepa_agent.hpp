// HJepaAgent: the full hierarchical agent. Level 2 plans which places (and so which colours) to
// pass through over its own place graph; level 1 fills the steps in by optimising headings through
// P1 towards the next place's subgoal latent (and, when the next place offers the required colour,
// towards that colour through the colour head). A latent belief filters the noisy observations.
// It sees only observations and tracks task progress from the colours it observes.
#pragma once
#include <memory>
#include <string>

#include "agent/agent.hpp"
#include "agent/jepa/flat_agent.hpp"
#include "agent/jepa/high_level.hpp"

namespace hjepa {

struct HJepaParams {
  HighLevelParams high;
  BeliefParams belief;
};

// Everything the agent believes and planned at its last step (read-only, for the GUI and tests).
struct HJepaTrace {
  MatF belief;                // D x 1
  int progress = 0;           // colours achieved, as the agent tracks them
  int place = -1;             // the place the belief is in
  HighLevelPlan high;         // the current high-level plan (places, colours, predicted cost)
  int plan_index = 0;         // where the agent is along high.places
  int subgoal_place = -1;     // the place handed to level 1 (-1: none, colour cost only)
  MatF subgoal;               // its latent (D x 1), empty when none
  int target_colour = -1;     // the colour level 1 aims at through the colour head (-1: none)
  std::string replan_reason;  // why level 2 replanned at this step ("" when it did not)
  int replans = 0;            // level-2 plans made this episode
  double high_ms = 0;         // time of the last level-2 plan
  PlanResult low;             // the level-1 plan: headings, imagined latents, candidates and energies
  double heading = 0;         // the heading returned
};

class HJepaAgent : public Agent {
 public:
  HJepaAgent(const Level1& level1, const Level2& level2, const Task& task, const EnvParams& env,
             std::unique_ptr<Planner> planner, HJepaParams params = {});
  std::string name() const override { return "hjepa"; }
  void reset(const Observation& obs) override;
  double act(const Observation& obs) override;

  const HJepaTrace& trace() const { return trace_; }
  // The first high-level plan of the episode (what `hjepa run --json` reports as high_level_plan).
  const HighLevelPlan& first_plan() const { return first_plan_; }
  Planner& planner() { return *planner_; }
  HJepaParams params;

 private:
  void replan(const std::string& reason);

  const Level1* level1_;
  const Level2* level2_;
  Task task_;
  EnvParams env_;
  std::unique_ptr<Planner> planner_;
  HJepaTrace trace_;
  HighLevelPlan first_plan_;
  int steps_since_plan_ = 0;
  float last_heading_ = 0;
  bool has_last_ = false;
};

}  // namespace hjepa
