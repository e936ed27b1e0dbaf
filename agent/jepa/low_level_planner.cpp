// Gradient (Adam on angles, batched restarts) and CEM planners over the level-1 rollout energy.
#include "agent/jepa/low_level_planner.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "agent/nn/optim.hpp"

namespace hjepa {
namespace {


// Candidate columns: the warm start (previous plan shifted by one) first, the rest uniform; with a
// seed plan, the seed first and the warm start second.
MatF initial_candidates(const std::vector<float>& warm, const std::vector<float>* seed, int H, int R, Rng& rng) {
  MatF c(H, R);
  for (int r = 0; r < R; ++r)
    for (int t = 0; t < H; ++t) c(t, r) = static_cast<float>(rng.uniform(-kPi, kPi));
  const int warm_column = seed ? 1 : 0;
  if (!warm.empty() && warm_column < R)
    for (int t = 0; t < H; ++t) c(t, warm_column) = warm[std::min<size_t>(t + 1, warm.size() - 1)];
  if (seed)
    for (int t = 0; t < H; ++t) c(t, 0) = (*seed)[t];
  return c;
}

}  // namespace

const char* low_mode_name(LowMode m) {
  switch (m) {
    case LowMode::Planner: return "planner";
    case LowMode::Policy: return "policy";
    case LowMode::PolicyPlanner: return "policy+planner";
  }
  return "?";
}

std::vector<float> Planner::policy_rollout(const Level1& model, const MatF& s0, const MatF* goal, int colour,
                                           const float* z_belief) const {
  const int H = params.horizon, K = model.z_values();
  int z = 0;
  if (z_belief && K > 1) z = most_probable_z(z_belief, K);
  std::vector<float> headings(H);
  MatF s = s0;
  for (int t = 0; t < H; ++t) {
    headings[t] = policy_->heading(s, goal, colour);
    if (t + 1 < H) s = model.predict(s, &headings[t], &z);
  }
  return headings;
}

PlanResult Planner::plan(const Level1& model, const MatF& s0, const MatF* goal, int colour, const float* z_belief) {
  if (params.mode != LowMode::Planner && !policy_)
    throw std::logic_error(std::string("low-level mode ") + low_mode_name(params.mode) + " without a Mode-1 policy");
  // The policy's rollout, when the mode uses it; its first heading is the one the trace shows.
  const std::vector<float> rollout =
      params.mode == LowMode::Planner ? std::vector<float>{} : policy_rollout(model, s0, goal, colour, z_belief);
  const float pi_heading = !rollout.empty() ? rollout.front()
                           : policy_        ? policy_->heading(s0, goal, colour)
                                            : std::numeric_limits<float>::quiet_NaN();
  std::vector<float> top_z;  // labelling with z: the most probable z alone (see `labels`)
  const float* expert_z = z_belief;
  if (labels && model.z_values() > 1) {
    top_z.assign(static_cast<size_t>(model.z_values()), 0.0f);
    top_z[static_cast<size_t>(most_probable_z(z_belief ? z_belief : model.z_prior.data(), model.z_values()))] = 1.0f;
    expert_z = top_z.data();
  }
  auto label = [&](const PlanResult& planned) {
    if (!labels) return;
    const int I = policy_inputs(static_cast<int>(s0.rows()));
    MatF x(I, 1);
    write_policy_input(s0, goal, colour, x, 0);
    labels->inputs.insert(labels->inputs.end(), x.data(), x.data() + I);
    labels->headings.push_back(planned.headings.front());
  };
  PlanResult out;
  if (params.mode == LowMode::Planner) {
    out = optimise(model, s0, goal, colour, expert_z, params.iterations, nullptr);
    label(out);
  } else if (params.mode == LowMode::PolicyPlanner) {
    out = optimise(model, s0, goal, colour, expert_z, params.seeded_iterations, &rollout);
    label(out);
  } else {
    std::vector<float> expert_warm;
    if (labels) {  // the optimiser labels the state; its own plan stays its warm start
      label(optimise(model, s0, goal, colour, expert_z, params.iterations, nullptr));
      expert_warm = warm_;
    }
    const PlanCostSpec<float> sp = spec(model, goal, colour, z_belief);
    MatF one(params.horizon, 1);
    for (int t = 0; t < params.horizon; ++t) one(t, 0) = rollout[t];
    std::vector<float> costs;
    std::vector<MatF> latents;
    plan_cost<float>(model.predictor, model.fourier, model.colour_head, s0, one, sp, costs, nullptr, &latents, &work_);
    finish(model, s0, one, costs, sp, out, &latents);
    if (labels) warm_ = expert_warm;
  }
  out.policy_heading = pi_heading;
  return out;
}

void Planner::finish(const Level1& model, const MatF& s0, const MatF& candidates, const std::vector<float>& costs,
                     const PlanCostSpec<float>& sp, PlanResult& out, const std::vector<MatF>* latents) {
  const int best = static_cast<int>(std::min_element(costs.begin(), costs.end()) - costs.begin());
  const int H = static_cast<int>(candidates.rows());
  out.headings.resize(H);
  for (int t = 0; t < H; ++t) out.headings[t] = std::remainder(candidates(t, best), static_cast<float>(2 * kPi));
  out.cost = costs[best];
  out.candidate_headings = candidates;
  out.candidate_costs = costs;
  std::vector<MatF> again;
  Eigen::Index column = best, stride = candidates.cols();
  if (!latents) {  // roll the chosen plan out again
    std::vector<float> c1;
    MatF one(H, 1);
    one.col(0) = candidates.col(best);
    plan_cost<float>(model.predictor, model.fourier, model.colour_head, s0, one, sp, c1, nullptr, &again);
    latents = &again, column = 0, stride = 1;
  }
  std::vector<float> weight;
  plan_z_values(sp, out.future_z, weight);
  out.future_weight = weight;
  const Eigen::Index A = static_cast<Eigen::Index>(out.future_z.size());
  out.latents.resize(latents->size());
  out.futures.resize(latents->size());
  for (size_t t = 0; t < latents->size(); ++t) {
    out.latents[t] = (*latents)[t].col(column);  // block 0: the most probable z
    out.futures[t].resize((*latents)[t].rows(), A);
    for (Eigen::Index a = 0; a < A; ++a) out.futures[t].col(a) = (*latents)[t].col(a * stride + column);
  }
  warm_ = out.headings;
}

PlanResult GradientPlanner::optimise(const Level1& model, const MatF& s0, const MatF* goal, int colour, const float* z_belief,
                                     int iterations, const std::vector<float>* seed) {
  const int H = params.horizon, R = params.restarts;
  const PlanCostSpec<float> sp = spec(model, goal, colour, z_belief);
  MatF theta = initial_candidates(warm_, seed, H, R, rng_), g, m = MatF::Zero(H, R), v = MatF::Zero(H, R);
  std::vector<float> costs;
  const float b1 = 0.9f, b2 = 0.999f, lr = static_cast<float>(params.lr);
  work_.prepare(model.predictor, model.colour_head);
  for (int it = 1; it <= iterations; ++it) {
    plan_cost<float>(model.predictor, model.fourier, model.colour_head, s0, theta, sp, costs, &g, nullptr, &work_);
    const float c1 = 1 - std::pow(b1, it), c2 = 1 - std::pow(b2, it);
    nn::adam_update<float>(theta, m, v, g, lr, b1, b2, c1, c2, 1e-6f);
  }
  std::vector<MatF> latents;
  plan_cost<float>(model.predictor, model.fourier, model.colour_head, s0, theta, sp, costs, nullptr, &latents, &work_);
  PlanResult out;
  finish(model, s0, theta, costs, sp, out, &latents);
  return out;
}

// Per iteration a forward and backward over R columns; then the final forward over R (finish() takes
// the chosen column's latents from it).
double GradientPlanner::multiply_adds(const Level1& m, bool colour) const {
  const int H = params.horizon, R = params.restarts;
  return params.iterations * plan_cost_multiply_adds(m.predictor, m.fourier, m.colour_head, H, R, colour, true) +
         plan_cost_multiply_adds(m.predictor, m.fourier, m.colour_head, H, R, colour, false);
}

// Per iteration a forward over the samples; then finish()'s rollout of the chosen column.
double CemPlanner::multiply_adds(const Level1& m, bool colour) const {
  const int H = params.horizon, N = std::max(params.cem_samples, 2);
  return params.iterations * plan_cost_multiply_adds(m.predictor, m.fourier, m.colour_head, H, N, colour, false) +
         plan_cost_multiply_adds(m.predictor, m.fourier, m.colour_head, H, 1, colour, false);
}

PlanResult CemPlanner::optimise(const Level1& model, const MatF& s0, const MatF* goal, int colour, const float* z_belief,
                                int iterations, const std::vector<float>* seed) {
  const int H = params.horizon, N = std::max(params.cem_samples, 2), E = std::clamp(params.cem_elites, 1, N);
  const PlanCostSpec<float> sp = spec(model, goal, colour, z_belief);
  // Per-step von-Mises-like proposal kept as mean angle + spread; starts wide, or at the warm plan.
  std::vector<float> mean(H, 0), spread(H, static_cast<float>(kPi));
  if (seed)
    for (int t = 0; t < H; ++t) mean[t] = (*seed)[t], spread[t] = 1.0f;
  else if (!warm_.empty())
    for (int t = 0; t < H; ++t) mean[t] = warm_[std::min<size_t>(t + 1, warm_.size() - 1)], spread[t] = 1.0f;
  MatF samples(H, N);
  std::vector<float> costs;
  std::vector<int> order(N);
  for (int it = 0; it < iterations; ++it) {
    for (int n = 0; n < N; ++n)
      for (int t = 0; t < H; ++t) samples(t, n) = mean[t] + spread[t] * static_cast<float>(rng_.normal());
    plan_cost<float>(model.predictor, model.fourier, model.colour_head, s0, samples, sp, costs, nullptr, nullptr, &work_);
    std::iota(order.begin(), order.end(), 0);
    std::partial_sort(order.begin(), order.begin() + E, order.end(), [&](int a, int b) { return costs[a] < costs[b]; });
    for (int t = 0; t < H; ++t) {  // circular mean and spread of the elites
      double cs = 0, sn = 0;
      for (int e = 0; e < E; ++e) cs += std::cos(samples(t, order[e])), sn += std::sin(samples(t, order[e]));
      mean[t] = static_cast<float>(std::atan2(sn, cs));
      const double rbar = std::min(1.0, std::hypot(cs, sn) / E);
      spread[t] = static_cast<float>(std::max(0.05, std::sqrt(-2 * std::log(std::max(rbar, 1e-6)))));
    }
  }
  MatF elites(H, E);
  std::vector<float> elite_costs(E);
  for (int e = 0; e < E; ++e) elites.col(e) = samples.col(order[e]), elite_costs[e] = costs[order[e]];
  PlanResult out;
  finish(model, s0, elites, elite_costs, sp, out);
  return out;
}

std::unique_ptr<Planner> make_planner(const std::string& name, const PlannerParams& p, uint64_t seed) {
  if (name == "gradient") return std::make_unique<GradientPlanner>(p, seed);
  if (name == "cem") return std::make_unique<CemPlanner>(p, seed);
  throw std::invalid_argument("planner \"" + name + "\"; expected gradient or cem");
}

}  // namespace hjepa
