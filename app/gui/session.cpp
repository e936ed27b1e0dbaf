// Episode control for the desktop app; see session.hpp.
#include "app/gui/session.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>

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

void Session::make_agent() {
  if (agent_kind == AgentKind::Oracle)
    agent = std::make_unique<OracleAgent>(*env, oracle_params);
  else
    agent = std::make_unique<RandomAgent>(derive_seed(episode_seed, 1));
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
  make_agent();
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
  make_agent();
  agent->reset(obs);
  status = kept_status;
  if (status == EpisodeStatus::Running && env->done()) status = EpisodeStatus::Truncated;
}

void Session::apply_agent_params() {
  if (!env) return;
  make_agent();
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
  episode_reward += result.reward;
  trail.push_back(result.info.true_position);
  if (result.terminated)
    status = EpisodeStatus::Success;
  else if (result.truncated)
    status = EpisodeStatus::Truncated;
}

}  // namespace hjepa
