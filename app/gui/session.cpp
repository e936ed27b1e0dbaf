// Episode control for the desktop app; see session.hpp.
#include "app/gui/session.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "agent/jepa/encoder.hpp"
#include "agent/jepa/hjepa_agent.hpp"
#include "app/usage_error.hpp"

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

std::string Session::regenerate_map() {
  const std::string problem = map_params_problem(map_params);
  if (problem.empty()) {
    set_world(generate_map(map_seed, map_params), "seed " + std::to_string(map_seed));
  } else if (!world) {  // at launch (saved settings) there must be a map: this one without gates, and the message says so
    MapParams no_gates = map_params;
    no_gates.num_gates = 0;
    set_world(generate_map(map_seed, no_gates), "seed " + std::to_string(map_seed));
    return problem + " (generated without gates)";
  }
  return problem;
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
  if (!model) return "no model for this map (none loaded, none in the model cache): Train now, or Training tab > Load model";
  if (world && model->map_fingerprint != world->fingerprint()) return "model trained on another map - retrain";
  if (model->level1.arch.features != feature_size(env_params.num_rays))
    return "the model expects " + std::to_string(model->level1.arch.features - feature_size(0)) + " rays; the env has " +
           std::to_string(env_params.num_rays) + " - retrain or restore the rays";
  return "";
}

RunConfig Session::run_config() const {
  RunConfig c;
  c.env = env_params;
  c.planner_type = planner_type;
  c.planner = planner_params;
  c.hjepa = hjepa_params;
  c.hjepa.belief = belief_params;
  c.oracle = oracle_params;
  return c;
}

void Session::set_run_config(const RunConfig& c) {
  env_params = c.env;
  planner_type = c.planner_type;
  planner_params = c.planner;
  hjepa_params = c.hjepa;
  belief_params = c.hjepa.belief;
  oracle_params = c.oracle;
}

AgentSetup Session::agent_setup() const {
  AgentSetup setup(*env, task, env_params, episode_seed, model.get());
  setup.take(run_config());
  return setup;
}

bool Session::make_agent() {
  ++trace_version_;
  agent.reset();
  hjepa_params.belief = belief_params;
  if (!is_agent_name(agent_name)) {  // the CLI and the settings file check names first
    problem = "unknown agent \"" + agent_name + "\"; expected one of " + agent_name_list();
    return false;
  }
  if (agent_needs_model(agent_name)) {
    problem = model_problem();
    if (!problem.empty()) return false;
  }
  try {
    agent = hjepa::make_agent(agent_name, agent_setup());
  } catch (const UsageError& e) {
    problem = e.what();
    return false;
  }
  agent_planner_type_ = planner_type;
  return true;
}

void Session::set_model(std::shared_ptr<const ModelFile> m, std::string source) {
  const bool learned = agent_needs_model(agent_name);
  if (learned) agent.reset();  // it points into the old model
  model = std::move(m);
  model_source = std::move(source);
  ++model_version;
  ++trace_version_;
  if (learned) reset_episode();
}

void Session::apply_planner_params() {
  hjepa_params.belief = belief_params;
  if (!agent || !agent->trace().plan) return;  // only the agents with a level-1 planner take these
  if (planner_type != agent_planner_type_) return apply_agent_params();
  set_agent_params(agent_name, *agent, agent_setup());
}

void Session::reset_episode() {
  trail.clear();
  last_replan_step = -1;
  last_replan_reason.clear();
  last_correction.clear();
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
  OraclePath path = plan_oracle(world->with_gates(env->state().open_gates), env->state().position, task, env->state().progress,
                                oracle_params.oracle);
  last_plan_ms = ms_since(t0);
  agent->reset(obs);
  adopt_episode(obs, std::move(path));
}

void Session::adopt_episode(const Observation& first, OraclePath reference_path) {
  obs = first;
  trail.assign(1, env->state().position);
  episode_reward = 0;
  last_replan_step = -1;
  last_replan_reason.clear();
  last_correction.clear();
  reference = std::move(reference_path);
  ++episode;
  ++trace_version_;
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

std::string Session::set_gate_open(int gate, bool open) {
  if (!env) return "no episode is running";
  EnvState s = env->state();
  try {
    env->set_gate_open(s, gate, open);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  env->set_state(s);
  reference = plan_oracle(world->with_gates(s.open_gates), s.position, task, s.progress, oracle_params.oracle);
  return "";
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
  record_step(result);
}

void Session::record_step(const StepResult& result) {
  const HJepaTrace* h = agent->trace().hierarchy;
  last_high_ms = h && !h->replan_reason.empty() ? h->high_ms : 0;
  if (h && !h->replan_reason.empty()) {
    last_replan_step = env->state().step - 1;
    last_replan_reason = h->replan_reason;
    if (!h->correction.empty()) last_correction = "step " + std::to_string(env->state().step - 1) + ": " + h->correction;
  }
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
