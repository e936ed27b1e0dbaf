// Mode-2 low-level planners: optimise H headings through the learned predictor P1 for a cost
// (subgoal latent and/or colour), receding horizon, warm-started from the previous plan shifted by
// one step. GradientPlanner: Adam on the angles, R restarts batched. CemPlanner: the derivative-free
// cross-entropy method behind the same interface, for comparison.
#pragma once
#include <memory>
#include <vector>

#include "agent/jepa/level1.hpp"
#include "agent/jepa/plan_cost.hpp"

namespace hjepa {

struct PlannerParams {
  int horizon = 8;            // H: headings optimised, >= 1
  int iterations = 10;        // optimiser iterations per agent step, >= 1
  int restarts = 8;           // R: candidate plans optimised together (one is the warm start), >= 1
  double lr = 0.25;           // Adam step on the angles, radians
  double goal_weight = 1.0;   // weight of the squared latent distance to the subgoal
  double colour_weight = 1.0; // weight of -log p(next colour)
  double terminal_weight = 2.0;  // extra multiple of the cost at the last step
  int cem_samples = 64;       // CEM: samples per iteration
  int cem_elites = 8;         // CEM: elites kept per iteration
  bool z_worst = false;       // with P1's z: the worst future the belief allows, else the expected energy
};

// The energy a planner with these parameters descends: goal and colour terms, and the belief over
// P1's z (null = the model's prior). The GUI's trace re-scores candidates with the same spec.
inline PlanCostSpec<float> plan_cost_spec(const PlannerParams& p, const Level1& model, const MatF* goal, int colour,
                                          const float* z_belief) {
  return {goal,           colour, p.goal_weight, p.colour_weight, p.terminal_weight, model.z_values(),
          z_belief ? z_belief : model.z_prior.data(), p.z_worst};
}

// What a planner decided, kept for the GUI's trace.
struct PlanResult {
  std::vector<float> headings;          // H, the chosen plan (first one is executed)
  float cost = 0;                       // its energy
  std::vector<MatF> latents;            // H + 1 latents of the chosen plan (D x 1 each)
  MatF candidate_headings;              // H x R final candidates
  std::vector<float> candidate_costs;   // R
  // With P1's z: the chosen plan under each z the belief allows (plan_z_values: the most probable
  // first, whose rollout `latents` is), H + 1 latents of D x A, with those z and their weights.
  std::vector<MatF> futures;
  std::vector<int> future_z;
  std::vector<float> future_weight;
};

class Planner {
 public:
  virtual ~Planner() = default;
  virtual const char* name() const = 0;
  // s0: D x 1 belief; goal: D x 1 or null; colour: palette index or -1; z_belief: the belief over
  // P1's z (model.z_values() values), null = the model's prior.
  virtual PlanResult plan(const Level1& model, const MatF& s0, const MatF* goal, int colour, const float* z_belief = nullptr) = 0;
  // Multiply-adds of one plan() (see plan_cost_multiply_adds), counted from the sizes.
  virtual double multiply_adds(const Level1& model, bool colour) const = 0;
  virtual void reset() { warm_.clear(); }
  PlannerParams params;

 protected:
  std::vector<float> warm_;  // previous plan, for warm starts
  PlanCostWorkspace<float> work_;  // plan_cost's buffers, allocated once
  PlanCostSpec<float> spec(const Level1& model, const MatF* goal, int colour, const float* z_belief) const {
    return plan_cost_spec(params, model, goal, colour, z_belief);
  }
  // The best candidate into `out`, with its rolled-out latents: taken from `latents` (every
  // candidate's, from the last forward) when given, else rolled out again.
  void finish(const Level1& model, const MatF& s0, const MatF& candidates, const std::vector<float>& costs,
              const PlanCostSpec<float>& spec, PlanResult& out, const std::vector<MatF>* latents = nullptr);
};

class GradientPlanner : public Planner {
 public:
  explicit GradientPlanner(PlannerParams p = {}, uint64_t seed = 1) : rng_(seed) { params = p; }
  const char* name() const override { return "gradient"; }
  PlanResult plan(const Level1& model, const MatF& s0, const MatF* goal, int colour, const float* z_belief = nullptr) override;
  double multiply_adds(const Level1& model, bool colour) const override;

 private:
  Rng rng_;
};

class CemPlanner : public Planner {
 public:
  explicit CemPlanner(PlannerParams p = {}, uint64_t seed = 1) : rng_(seed) { params = p; }
  const char* name() const override { return "cem"; }
  PlanResult plan(const Level1& model, const MatF& s0, const MatF* goal, int colour, const float* z_belief = nullptr) override;
  double multiply_adds(const Level1& model, bool colour) const override;

 private:
  Rng rng_;
};

std::unique_ptr<Planner> make_planner(const std::string& name, const PlannerParams& p, uint64_t seed);

}  // namespace hjepa
