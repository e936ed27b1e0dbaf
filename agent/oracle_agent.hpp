// OracleAgent: follows the oracle's shortest path using the env's TRUE position (privileged: it
// reads the Env it is given, the episode's gates included). Replans from where it is when noise
// pushes it off the path, a required colour was not achieved where the path expected, or a gate
// opened or closed (the app's toggle).
#pragma once
#include "agent/agent.hpp"
#include "sim/oracle.hpp"

namespace hjepa {

struct OracleAgentParams {
  double replan_distance = 0.5;  // replan when the true position is this far from the path, units
  OracleParams oracle;           // the planner's grid
};

class OracleAgent : public Agent {
 public:
  OracleAgent(const Env& env, OracleAgentParams params = {}) : env_(&env), params_(params) {}
  std::string name() const override { return "oracle"; }
  void reset(const Observation& obs) override;
  double act(const Observation& obs) override;
  AgentTrace trace() const override {
    AgentTrace t;
    t.oracle_path = &path_;
    t.oracle_replans = replans_;
    return t;
  }
  const OraclePath& path() const { return path_; }  // the current plan (for drawing)
  int replans() const { return replans_; }

 private:
  void replan();
  // The heading whose landing point (walls and obstacles included) has the least cost to go
  // along the path up to its point stage_vertex (see the .cpp).
  double step_along_path(Vec2 p, int stage_vertex) const;
  const Env* env_;
  // The map as this episode's gates make it (what the plan and the sight tests use).
  const World& episode_world() const { return gated_ ? gated_world_ : env_->world(); }
  bool gated_ = false;           // the map has gates: gated_world_ holds it with planned_gates_ applied
  World gated_world_;
  OpenGates planned_gates_ = 0;  // the gates open when path_ was planned
  OracleAgentParams params_;
  OraclePath path_;
  int plan_progress_ = 0;  // env progress when path_ was planned
  int segment_ = 0;        // index of the path segment being followed
  int replans_ = 0;
  bool replanning_ = false;
};

}  // namespace hjepa
