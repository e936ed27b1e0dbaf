// Mode-2 low-level planners: optimise H headings through the learned predictor P1 for a cost
// (subgoal latent and/or colour), receding horizon, warm-started from the previous plan shifted by
// one step. GradientPlanner: Adam on the angles, R restarts batched. CemPlanner: the derivative-free
// cross-entropy method behind the same interface, for comparison. With a Mode-1 policy (policy.hpp)
// attached, PlannerParams::mode chooses who decides: the optimiser (planner), the policy alone rolled
// out through P1 (policy), or the optimiser seeded with that rollout and fewer iterations
// (policy+planner).
#pragma once
#include <limits>
#include <memory>
#include <vector>

#include "agent/jepa/level1.hpp"
#include "agent/jepa/plan_cost.hpp"
#include "agent/jepa/policy.hpp"

namespace hjepa {

// Who chooses the low level's headings (agent.low.mode).
enum class LowMode { Planner, Policy, PolicyPlanner };
const char* low_mode_name(LowMode m);  // "planner", "policy", "policy+planner"

struct PlannerParams {
  LowMode mode = LowMode::Planner;  // needs a Mode-1 policy for Policy and PolicyPlanner
  int seeded_iterations = 3;  // policy+planner: optimiser iterations from the policy's seed, >= 1
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
  // The Mode-1 policy's heading at s0 (NaN without a policy): beside headings[0] the GUI draws it,
  // and in mode policy the two are the same.
  float policy_heading = std::numeric_limits<float>::quiet_NaN();
};

// Imitation data for the Mode-1 policy: each plan() call appends the policy's input at s0 (a column)
// and the optimiser's first heading (in mode policy the optimiser still runs, to label).
struct PolicyLabels {
  std::vector<float> inputs;    // policy_inputs(D) floats per sample
  std::vector<float> headings;  // one per sample
  int samples() const { return static_cast<int>(headings.size()); }
};

class Planner {
 public:
  virtual ~Planner() = default;
  virtual const char* name() const = 0;
  // s0: D x 1 belief; goal: D x 1 or null; colour: palette index or -1; z_belief: the belief over
  // P1's z (model.z_values() values), null = the model's prior. As params.mode says; modes other
  // than planner throw std::logic_error without a policy (the agent factory checks first).
  PlanResult plan(const Level1& model, const MatF& s0, const MatF* goal, int colour, const float* z_belief = nullptr);
  // Multiply-adds of one plan() in mode planner (see plan_cost_multiply_adds), counted from the sizes.
  virtual double multiply_adds(const Level1& model, bool colour) const = 0;
  virtual void reset() { warm_.clear(); }
  // The Mode-1 policy (null: none; must outlive the planner) and, for its training, where to label.
  void set_policy(const Policy* policy) { policy_ = policy; }
  const Policy* policy() const { return policy_; }
  // With P1's z (K > 1) the labelling optimiser plans under the belief's most probable z alone: one
  // future per candidate instead of one per z the belief allows (the Mode-1 phase's labels for a z
  // model cost about what a model without z costs; in mode planner the agent acts on that plan).
  PolicyLabels* labels = nullptr;
  PlannerParams params;

 protected:
  // The optimiser: `iterations` from the warm start and, when given, a seed plan (H headings).
  virtual PlanResult optimise(const Level1& model, const MatF& s0, const MatF* goal, int colour, const float* z_belief,
                              int iterations, const std::vector<float>* seed) = 0;
  const Policy* policy_ = nullptr;
  // The policy's H headings, each chosen at the latent P1 predicts from the last (z: the belief's most
  // probable value).
  std::vector<float> policy_rollout(const Level1& model, const MatF& s0, const MatF* goal, int colour, const float* z_belief) const;
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
  double multiply_adds(const Level1& model, bool colour) const override;

 protected:
  PlanResult optimise(const Level1& model, const MatF& s0, const MatF* goal, int colour, const float* z_belief, int iterations,
                      const std::vector<float>* seed) override;

 private:
  Rng rng_;
};

class CemPlanner : public Planner {
 public:
  explicit CemPlanner(PlannerParams p = {}, uint64_t seed = 1) : rng_(seed) { params = p; }
  const char* name() const override { return "cem"; }
  double multiply_adds(const Level1& model, bool colour) const override;

 protected:
  PlanResult optimise(const Level1& model, const MatF& s0, const MatF* goal, int colour, const float* z_belief, int iterations,
                      const std::vector<float>* seed) override;

 private:
  Rng rng_;
};

std::unique_ptr<Planner> make_planner(const std::string& name, const PlannerParams& p, uint64_t seed);

}  // namespace hjepa
