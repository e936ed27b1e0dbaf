// FlatJepaAgent: level 1 alone — a latent belief (predictor blended with the encoder), and the
// low-level planner aimed at the next required colour through the colour head. The "no hierarchy"
// baseline. It sees only observations; it tracks task progress from the colours it observes.
#pragma once
#include <memory>

#include "agent/agent.hpp"
#include "agent/jepa/belief.hpp"
#include "agent/jepa/low_level_planner.hpp"

namespace hjepa {

class FlatJepaAgent : public Agent {
 public:
  FlatJepaAgent(const Level1& model, const Task& task, const EnvParams& env, std::unique_ptr<Planner> planner,
                BeliefParams belief = {});
  std::string name() const override { return "flat"; }
  void reset(const Observation& obs) override;
  double act(const Observation& obs) override;
  AgentTrace trace() const override {
    AgentTrace t;
    t.belief = &belief_, t.plan = &plan_, t.planner = &planner_->params, t.progress = progress_;
    return t;
  }
  void set_params(const LiveAgentParams& p) override;

  // Read-only trace for the GUI and tests.
  const MatF& belief() const { return belief_.s; }
  const PlanResult& last_plan() const { return plan_; }
  int progress() const { return progress_; }
  Planner& planner() { return *planner_; }
  BeliefParams belief_params;

 private:
  const Level1* model_;
  Task task_;
  EnvParams env_;
  std::unique_ptr<Planner> planner_;
  BeliefState belief_;
  PlanResult plan_;
  int progress_ = 0;
  float last_heading_ = 0;
  bool has_last_ = false;
};

}  // namespace hjepa
