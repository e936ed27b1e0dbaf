// Episode control for the desktop app; see session.hpp.
#include "app/gui/session.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "agent/jepa/features.hpp"
#include "agent/jepa/plan_cost.hpp"
#include "agent/random_agent.hpp"

namespace hjepa {
namespace {

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

const char* status_name(EpisodeStatus s) {
  switch (s) {
    case EpisodeStatus::Running: return "running";
    case EpisodeStatus::Success: return "success";
    case EpisodeStatus::Truncated: return "truncated";
    case EpisodeStatus::NotRunning: return "not running";
  }
  return "?";
}

Task default_task(const World& world) {
  std::vector<Color> present;
  for (const Region& r : world.regions)
    if (std::find(present.begin(), present.end(), r.color) == present.end()) present.push_back(r.color);
  std::sort(present.begin(), present.end());
  Rng rng(derive_seed(world.fingerprint(), 0x7a5c));
  for (size_t i = present.size(); i > 1; --i) std::swap(present[i - 1], present[rng.below(i)]);
  present.resize(std::min<size_t>(3, present.size()));
  return Task{present};
}

std::vector<Color> Session::colors_on_map() const {
  std::vector<Color> out;
  if (!world) return out;
  for (const Region& r : world->regions)
    if (std::find(out.begin(), out.end(), r.color) == out.end()) out.push_back(r.color);
  std::sort(out.begin(), out.end());
  return out;
}

bool Session::on_map(Color c) const {
  if (!world) return false;
  return std::any_of(world->regions.begin(), world->regions.end(), [&](const Region& r) { return r.color == c; });
}

void Session::regenerate_map() {
  set_world(generate_map(map_seed, map_params), "seed " + std::to_string(map_seed));
}

void Session::set_world(World w, std::string source) {
  agent.reset();
  env.reset();
  world = std::make_unique<World>(std::move(w));
  map_source = std::move(source);
  ++world_version;
  if (start && !world->is_free(*start)) start.reset();
}

bool Session::build_env() {
  agent.reset();
  env.reset();
  status = EpisodeStatus::NotRunning;
  problem.clear();
  if (!world) {
    problem = "no map";
    return false;
  }
  if (task.colors.empty()) {
    problem = "the task is empty: add colours in the Task panel";
    return false;
  }
  for (Color c : task.colors)
    if (!on_map(c)) {
      problem = "the task needs " + std::string(color_name(c)) + ", which is not on this map";
      return false;
    }
  try {
    env = std::make_unique<Env>(*world, task, env_params);
  } catch (const std::invalid_argument& e) {
    problem = e.what();
    return false;
  }
  return true;
}

std::string Session::model_problem() const {
  if (!model) return "the flat agent needs a level-1 model: Training panel > Train level 1 (or Load model)";
  if (world && model->map_fingerprint != world->fingerprint()) return "model trained on another map - retrain";
  if (model->level1.arch.features != feature_size(env_params.num_rays))
    return "the model expects " + std::to_string(model->level1.arch.features - feature_size(0)) + " rays; the env has " +
           std::to_string(env_params.num_rays) + " - retrain or restore the rays";
  return "";
}

bool Session::make_agent() {
  ++trace_version_;
  if (agent_kind == AgentKind::Oracle) {
    agent = std::make_unique<OracleAgent>(*env, oracle_params);
  } else if (agent_kind == AgentKind::Random) {
    agent = std::make_unique<RandomAgent>(derive_seed(episode_seed, 1));
  } else {
    agent.reset();
    problem = model_problem();
    if (!problem.empty()) return false;
    agent = std::make_unique<FlatJepaAgent>(model->level1, task, env_params,
                                            make_planner(planner_type, planner_params, derive_seed(episode_seed, 2)),
                                            belief_params);
  }
  return true;
}

void Session::set_model(std::shared_ptr<const ModelFile> m, std::string source) {
  const bool flat = agent_kind == AgentKind::Flat;
  if (flat) agent.reset();  // it points into the old model
  model = std::move(m);
  model_source = std::move(source);
  ++trace_version_;
  if (flat) reset_episode();
}

void Session::apply_planner_params() {
  FlatJepaAgent* a = flat_agent();
  if (!a) return;
  if (planner_type != a->planner().name()) return apply_agent_params();
  a->planner().params = planner_params;
  a->belief_params = belief_params;
}

void Session::refresh_flat_trace() {
  if (traced_version_ == trace_version_) return;
  traced_version_ = trace_version_;
  FlatTrace& t = flat_trace;
  t.valid = false;
  FlatJepaAgent* a = flat_agent();
  if (!a || !model) return;
  const Level1& m = model->level1;
  const PlanResult& plan = a->last_plan();
  auto xy = [&](const MatF& s, std::vector<Vec2>& out) {
    const MatF p = m.probe_xy(s);
    for (Eigen::Index c = 0; c < p.cols(); ++c) out.push_back({p(0, c), p(1, c)});
  };
  // The encoding of the current observation (what the belief will be blended with next).
  {
    std::vector<Vec2> e;
    xy(m.encode_observation(obs, env_params.ray_max), e);
    t.encoding = e[0];
  }
  if (a->belief().size() == 0) return;
  std::vector<Vec2> b;
  xy(a->belief(), b);
  t.belief = b[0];
  t.plan.clear();
  t.candidates.clear();
  t.candidate_costs.clear();
  t.sweep.clear();
  t.valid = true;
  if (plan.headings.empty() || plan.latents.empty()) return;
  for (const MatF& s : plan.latents) xy(s, t.plan);
  t.chosen_heading = plan.headings.front();
  t.target_colour = a->progress() < task.size() ? static_cast<int>(task.colors[a->progress()]) : -1;
  const PlannerParams& pp = a->planner().params;
  const PlanCostSpec<float> spec{nullptr, t.target_colour, pp.goal_weight, pp.colour_weight, pp.terminal_weight};
  const int H = static_cast<int>(plan.headings.size());
  // Candidate rollouts from the belief the plan started from (latents[0]).
  const MatF& s0 = plan.latents.front();
  if (plan.candidate_headings.rows() == H && plan.candidate_headings.cols() > 0) {
    std::vector<float> costs;
    std::vector<MatF> lat;
    plan_cost<float>(m.predictor, m.colour_head, s0, plan.candidate_headings, spec, costs, nullptr, &lat);
    const Eigen::Index R = plan.candidate_headings.cols();
    t.candidates.assign(R, {});
    for (const MatF& s : lat) {
      const MatF p = m.probe_xy(s);
      for (Eigen::Index r = 0; r < R && r < p.cols(); ++r) t.candidates[r].push_back({p(0, r), p(1, r)});
    }
    t.candidate_costs = plan.candidate_costs;
  }
  // Energy versus first heading, the rest of the chosen plan kept.
  MatF sweep(H, FlatTrace::kSweep);
  for (int k = 0; k < FlatTrace::kSweep; ++k) {
    for (int h = 0; h < H; ++h) sweep(h, k) = plan.headings[h];
    sweep(0, k) = static_cast<float>(-3.141592653589793 + 6.283185307179586 * k / FlatTrace::kSweep);
  }
  plan_cost<float>(m.predictor, m.colour_head, s0, sweep, spec, t.sweep, nullptr, nullptr);
}

void Session::reset_episode() {
  trail.clear();
  episode_reward = 0;
  reference = {};
  if (!build_env()) return;
  try {
    obs = env->reset(episode_seed, start);
  } catch (const std::invalid_argument& e) {
    problem = e.what();
    env.reset();
    return;
  }
  if (!make_agent()) {
    env.reset();
    return;
  }
  const auto t0 = std::chrono::steady_clock::now();
  reference = plan_oracle(*world, env->state().position, task, env->state().progress, oracle_params.oracle);
  last_plan_ms = ms_since(t0);
  agent->reset(obs);
  trail.push_back(env->state().position);
  status = env->done() ? (env->state().progress >= task.size() ? EpisodeStatus::Success : EpisodeStatus::Truncated)
                       : EpisodeStatus::Running;
}

void Session::apply_env_params() {
  if (!env) return reset_episode();
  const EnvState kept = env->state();
  const EpisodeStatus kept_status = status;
  if (!build_env()) return;
  env->set_state(kept);
  if (!make_agent()) {
    env.reset();
    return;
  }
  agent->reset(obs);
  status = kept_status;
  if (status == EpisodeStatus::Running && env->done()) status = EpisodeStatus::Truncated;
}

void Session::apply_agent_params() {
  if (!env) return reset_episode();
  if (!make_agent()) {
    env.reset();
    status = EpisodeStatus::NotRunning;
    return;
  }
  agent->reset(obs);
}

void Session::step_once() {
  if (!running()) return;
  const auto t0 = std::chrono::steady_clock::now();
  const double heading = agent->act(obs);
  const auto t1 = std::chrono::steady_clock::now();
  const StepResult result = env->step(heading);
  last_act_ms = ms_since(t0) - ms_since(t1);
  last_step_ms = ms_since(t1);
  obs = result.obs;
  ++trace_version_;
  episode_reward += result.reward;
  trail.push_back(result.info.true_position);
  if (result.terminated)
    status = EpisodeStatus::Success;
  else if (result.truncated)
    status = EpisodeStatus::Truncated;
}

}  // namespace hjepa
