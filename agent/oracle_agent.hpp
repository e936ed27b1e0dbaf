// OracleAgent: follows the oracle's shortest path using the env's TRUE position (privileged: it
// reads the Env it is given, the episode's gates included). Replans from where it is when noise
// pushes it off the path, a required colour was not achieved where the path expected, or a gate
// opened or closed (the app's toggle).
// With `gates_on_sight` (the agent "oracle-sighted") it knows the map and its true position but not
// the episode's gates: a gate is taken for open until it is seen (within the range rays' reach,
// env.ray_max, with its centre in line of sight), then for what it is; it replans whenever what it
// knows changes. What it pays over the oracle is the most that knowing the gates (issue 18's z) can
// save an agent that uses what it sees perfectly. On a map whose gates are drawn together
// (gates_shared) it also infers the unseen gates from the seen ones, as a perfect user of its sight
// that knows the map would: a gate seen closed closes every gate at least as likely closed.
#pragma once
#include "agent/agent.hpp"
#include "sim/oracle.hpp"

namespace hjepa {

struct OracleAgentParams {
  double replan_distance = 0.5;  // replan when the true position is this far from the path, units
  OracleParams oracle;           // the planner's grid
  bool gates_on_sight = false;   // gates unknown (taken for open) until seen: the "oracle-sighted" agent
};

class OracleAgent : public Agent {
 public:
  OracleAgent(const Env& env, OracleAgentParams params = {}) : env_(&env), params_(params) {}
  std::string name() const override { return params_.gates_on_sight ? "oracle-sighted" : "oracle"; }
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
  // The gates as the agent knows them: the episode's, or with gates_on_sight the seen ones as they
  // are and the others open.
  OpenGates gates() const;
  void look();  // gates_on_sight: marks the gates in sight from the true position as seen
  const Env* env_;
  OpenGates seen_ = 0;  // gates_on_sight: bit g = gate g was seen this episode
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
