// Persistent random-heading exploration: each sequence starts at a random free point and turns a
// little every step, sometimes picking a fresh heading, and picks a fresh one when its perceived
// move falls short (blocked), so it sweeps open space and still meets walls and obstacles.
#include "agent/jepa/exploration.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "agent/jepa/encoder.hpp"

namespace hjepa {

ExplorationParams resolve_exploration(const ExplorationParams& p, double noise_motion) {
  ExplorationParams r = p;
  r.motion_ref = 0;
  if (p.motion_ref > 0 && noise_motion > p.motion_ref) {
    const double ratio = noise_motion / p.motion_ref;
    r.sequences = static_cast<int>(std::min(1e6, std::round(p.sequences * std::min(ratio * ratio, kMaxDataGrowth))));
  }
  return r;
}

ExplorationData collect_exploration(const World& world, const EnvParams& env_params, const ExplorationParams& p,
                                    uint64_t seed, bool keep_noise_free) {
  ExplorationData d;
  d.features = feature_size(env_params.num_rays);
  d.sequences = p.sequences;
  d.length = p.sequence_length;
  const size_t frames = static_cast<size_t>(p.sequences) * (p.sequence_length + 1);
  d.obs.resize(frames * d.features);
  d.headings.resize(static_cast<size_t>(p.sequences) * p.sequence_length);
  d.true_xy.resize(frames * 2);
  if (keep_noise_free) {
    d.noise_free_obs.resize(frames * d.features);
    d.landing_xy.resize(static_cast<size_t>(p.sequences) * p.sequence_length * 2);
  }
  d.noise_motion = env_params.noise_motion, d.noise_perception = env_params.noise_perception;
  d.colors.resize(frames);

  // A task that cannot finish inside one sequence keeps the env running: an absent colour if the
  // map has one, else a long alternation.
  EnvParams ep = env_params;
  ep.max_steps = p.sequence_length + 1;
  Task task;
  for (int c = 0; c < kNumColors && task.colors.empty(); ++c)
    if (std::none_of(world.regions.begin(), world.regions.end(), [&](const Region& r) { return static_cast<int>(r.color) == c; }))
      task.colors.push_back(static_cast<Color>(c));
  if (task.colors.empty())
    for (int k = 0; k < kMaxTaskLength; ++k) task.colors.push_back(world.regions[k % 2].color);
  Env env(world, task, ep);
  EnvParams noise_free_params = ep;
  noise_free_params.noise_perception = noise_free_params.noise_range = 0;  // observe() then draws nothing
  const Env noise_free(world, task, noise_free_params);
  Rng rng(seed);
  for (int s = 0; s < p.sequences; ++s) {
    Observation obs = env.reset(derive_seed(seed, s));
    d.open_gates.push_back(env.state().open_gates);
    double heading = rng.uniform(-3.141592653589793, 3.141592653589793);
    auto record = [&](int t, const Observation& o) {
      const size_t f = static_cast<size_t>(s) * (p.sequence_length + 1) + t;
      observation_features(o, world.width, world.height, ep.ray_max, &d.obs[f * d.features]);
      if (keep_noise_free) {
        EnvState st = env.state();
        observation_features(noise_free.observe(st), world.width, world.height, ep.ray_max, &d.noise_free_obs[f * d.features]);
      }
      d.true_xy[f * 2] = static_cast<float>(env.state().position.x);
      d.true_xy[f * 2 + 1] = static_cast<float>(env.state().position.y);
      d.colors[f] = static_cast<uint8_t>(o.color);
    };
    record(0, obs);
    for (int t = 0; t < p.sequence_length; ++t) {
      if (rng.uniform() < p.switch_prob) heading = rng.uniform(-3.141592653589793, 3.141592653589793);
      else heading += p.turn_sigma * rng.normal();
      heading = std::remainder(heading, 6.283185307179586);
      d.headings[static_cast<size_t>(s) * p.sequence_length + t] = static_cast<float>(heading);
      if (env.done()) {  // the alternation completed (rare): clear the task bookkeeping, keep walking
        EnvState st = env.state();
        st.progress = 0;
        st.step = 0;
        env.set_state(st);
      }
      const Vec2 before = obs.position;
      const StepResult step = env.step(heading);
      obs = step.obs;
      record(t + 1, obs);
      if (keep_noise_free) {
        const size_t m = (static_cast<size_t>(s) * p.sequence_length + t) * 2;
        d.landing_xy[m] = static_cast<float>(step.info.landing.x), d.landing_xy[m + 1] = static_cast<float>(step.info.landing.y);
      }
      // Bounce: if the perceived move fell well short, the way is blocked; turn somewhere new.
      if (norm(obs.position - before) < p.blocked_fraction * ep.step_length)
        heading = rng.uniform(-3.141592653589793, 3.141592653589793);
    }
  }
  return d;
}

MatF all_frames(const ExplorationData& d) {
  return Eigen::Map<const MatF>(d.obs.data(), d.features, static_cast<Eigen::Index>(d.obs.size() / d.features));
}

MatF all_noise_free_frames(const ExplorationData& d) {
  return Eigen::Map<const MatF>(d.noise_free_obs.data(), d.features, static_cast<Eigen::Index>(d.noise_free_obs.size() / d.features));
}

MatF gather_frames(const ExplorationData& d, const std::vector<int>& seq, const std::vector<int>& t0, int dt) {
  MatF x(d.features, static_cast<Eigen::Index>(seq.size()));
  for (size_t b = 0; b < seq.size(); ++b) {
    const float* f = d.obs_at(seq[b], t0[b] + dt);
    for (int i = 0; i < d.features; ++i) x(i, static_cast<Eigen::Index>(b)) = f[i];
  }
  return x;
}

void gather_windows(const ExplorationData& d, const std::vector<int>& seq, const std::vector<int>& t0, std::vector<MatF>& frames,
                    MatF* targets) {
  const Eigen::Index B = static_cast<Eigen::Index>(seq.size()), T = static_cast<Eigen::Index>(frames.size());
  const size_t bytes = static_cast<size_t>(d.features) * sizeof(float);
  for (MatF& f : frames) f.resize(d.features, B);
  // A window's frames lie one after another in d.obs: one read of each, the next window's fetched ahead.
  for (Eigen::Index b = 0; b < B; ++b) {
    if (b + 1 < B) __builtin_prefetch(d.obs_at(seq[b + 1], t0[b + 1]));
    const float* window = d.obs_at(seq[b], t0[b]);
    for (Eigen::Index t = 0; t < T; ++t) std::memcpy(frames[t].col(b).data(), window + t * d.features, bytes);
  }
  if (!targets) return;
  targets->resize(d.features, B * std::max<Eigen::Index>(T - 1, 0));
  for (Eigen::Index t = 1; t < T; ++t) targets->middleCols((t - 1) * B, B) = frames[t];
}

}  // namespace hjepa
