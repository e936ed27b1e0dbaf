// DAgger training of the Mode-1 policy (see policy_training.hpp).
#include "agent/jepa/policy_training.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <set>

#include "agent/jepa/flat_agent.hpp"
#include "agent/jepa/hjepa_agent.hpp"
#include "agent/jepa/side_thread.hpp"
#include "agent/jepa/train_guard.hpp"
#include "agent/nn/optim.hpp"

namespace hjepa {
namespace {

constexpr double kDegrees = 180.0 / kPi;

// A task of up to 3 colours present on the map, no colour twice in a row.
Task random_task(const std::vector<Color>& colours, Rng& rng) {
  Task task;
  const int length = 1 + static_cast<int>(rng.below(3));
  for (int i = 0; i < length; ++i) {
    Color c = colours[rng.below(colours.size())];
    if (!task.colors.empty() && colours.size() > 1)
      while (c == task.colors.back()) c = colours[rng.below(colours.size())];
    task.colors.push_back(c);
  }
  return task;
}

// Runs one episode with `planner` (its mode and labels set by the caller) and the hjepa or flat agent.
void run_episode(const Level1& level1, const Level2& level2, const World& world, const EnvParams& env_params,
                 const std::vector<Color>& colours, bool hierarchical, std::unique_ptr<Planner> planner, uint64_t seed) {
  Rng rng(derive_seed(seed, 0));
  const Task task = random_task(colours, rng);
  Env env(world, task, env_params);
  Observation obs = env.reset(derive_seed(seed, 1));
  std::unique_ptr<Agent> agent;
  if (hierarchical)
    agent = std::make_unique<HJepaAgent>(level1, level2, task, env_params, std::move(planner));
  else
    agent = std::make_unique<FlatJepaAgent>(level1, task, env_params, std::move(planner));
  agent->reset(obs);
  while (!env.done()) obs = env.step(agent->act(obs)).obs;
}

// Labels of `episodes` episodes (seeds derived from `seed`), the planner in `mode`. The episodes
// share only const models, so two threads take them in turn; each episode's labels are kept apart
// and joined in episode order, so the result does not depend on which thread ran what.
PolicyLabels collect(const Policy& policy, const Level1& level1, const Level2& level2, const World& world,
                     const EnvParams& env, const std::vector<Color>& colours, LowMode mode, int episodes, uint64_t seed) {
  std::vector<PolicyLabels> per_episode(static_cast<size_t>(std::max(0, episodes)));
  std::atomic<int> next{0};
  auto work = [&] {
    for (int e = next++; e < episodes; e = next++) {
      const uint64_t episode_seed = derive_seed(seed, static_cast<uint64_t>(e));
      PlannerParams pp;
      pp.mode = mode;
      auto planner = std::make_unique<GradientPlanner>(pp, derive_seed(episode_seed, 2));
      planner->set_policy(&policy);
      planner->labels = &per_episode[static_cast<size_t>(e)];
      run_episode(level1, level2, world, env, colours, e % 2 == 0, std::move(planner), episode_seed);
    }
  };
  SideThread side;
  side.run(work, work, [&] { next = episodes; });  // on an exception the other thread stops after its episode
  PolicyLabels labels;
  for (const PolicyLabels& l : per_episode) {
    labels.inputs.insert(labels.inputs.end(), l.inputs.begin(), l.inputs.end());
    labels.headings.insert(labels.headings.end(), l.headings.begin(), l.headings.end());
  }
  return labels;
}

MatF as_matrix(const PolicyLabels& labels, int inputs) {
  MatF x(inputs, labels.samples());
  std::copy(labels.inputs.begin(), labels.inputs.end(), x.data());
  return x;
}

}  // namespace

PolicyReport train_policy(Policy& policy, const Level1& level1, const Level2& level2, const World& world,
                          const EnvParams& env_params, const PolicyTrainParams& params, uint64_t seed) {
  const auto t0 = std::chrono::steady_clock::now();
  PolicyReport report;
  report.parameters = policy.num_parameters();
  EnvParams env = env_params;
  env.max_steps = params.episode_steps;
  std::set<Color> present;
  for (const auto& r : world.regions) present.insert(r.color);
  const std::vector<Color> colours(present.begin(), present.end());
  const int I = policy_inputs(policy.arch.latent);

  PolicyLabels all;
  nn::Adam<float> adam(nn::AdamParams{.lr = params.lr});
  const nn::ParamList<float> trained = policy.net.params();
  nn::zero_grad(trained);
  nn::MLP<float> replica = policy.net;  // the second half of each batch, on `side`
  nn::zero_grad(replica.params());
  SideThread side;
  Checkpoint last_good;
  last_good.save(trained, 0);
  Rng rng(derive_seed(seed, 1));
  int step_total = 0;
  for (int round = 0; round <= params.rounds; ++round) {
    const PolicyLabels fresh = collect(policy, level1, level2, world, env, colours,
                                       round == 0 ? LowMode::Planner : LowMode::Policy, params.episodes,
                                       derive_seed(seed, 100 + static_cast<uint64_t>(round)));
    report.round_samples.push_back(fresh.samples());
    report.round_error.push_back(round == 0 ? std::numeric_limits<double>::quiet_NaN()
                                            : kDegrees * policy_angle_error(policy, as_matrix(fresh, I), fresh.headings));
    all.inputs.insert(all.inputs.end(), fresh.inputs.begin(), fresh.inputs.end());
    all.headings.insert(all.headings.end(), fresh.headings.begin(), fresh.headings.end());
    if (all.samples() == 0) continue;
    const MatF x_all = as_matrix(all, I);
    MatF x(I, params.batch);
    std::vector<float> h(params.batch);
    for (int step = 0; step < params.steps; ++step, ++step_total) {
      adam.hyper.lr = nn::cosine_lr(params.lr, step, params.steps);
      for (int b = 0; b < params.batch; ++b) {
        const auto j = static_cast<Eigen::Index>(rng.below(static_cast<uint64_t>(all.samples())));
        x.col(b) = x_all.col(j);
        h[b] = all.headings[j];
      }
      const double loss = policy_loss_halves<float>(policy.net, replica, x, h, true, &side);
      report.final_loss = loss;
      const std::string fault =
          guarded_step(trained, non_finite_loss({{"Mode-1 imitation", loss}}), last_good, step_total, [&] { adam.step(trained); });
      if (!fault.empty()) {
        report.finite = false;
        report.message = stop_training(trained, last_good, "Mode-1 policy", fault, "step", step_total);
        return report;
      }
    }
  }
  const PolicyLabels held = collect(policy, level1, level2, world, env, colours, LowMode::Policy, params.heldout_episodes,
                                    derive_seed(seed, 2));
  report.heldout_samples = held.samples();
  double sum = 0;
  int within = 0;
  for (double e : policy_angle_errors(policy, as_matrix(held, I), held.headings)) sum += e, within += e <= 30 / kDegrees;
  if (held.samples() > 0) {
    report.heldout_error = kDegrees * sum / held.samples();
    report.heldout_within_30 = static_cast<double>(within) / held.samples();
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return report;
}

}  // namespace hjepa
