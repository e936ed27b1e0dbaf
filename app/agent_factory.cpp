// The agent table behind make_agent (see agent_factory.hpp).
#include "app/agent_factory.hpp"

#include <algorithm>
#include <stdexcept>

#include "agent/jepa/features.hpp"
#include "agent/jepa/hjepa_agent.hpp"
#include "agent/random_agent.hpp"
#include "app/cli_common.hpp"

namespace hjepa {

namespace {

// A model-based agent's model must read the observations this env produces.
void check_model_fits(const ModelFile& model, const EnvParams& env_params) {
  if (model.level1.arch.features != feature_size(env_params.num_rays))
    throw UsageError("the model reads " + std::to_string(model.level1.arch.features) + " observation features; expected " +
                     std::to_string(feature_size(env_params.num_rays)) +
                     " (a model trained with the same number of range rays)");
}

std::unique_ptr<Planner> planner_for(const AgentSetup& s) {
  try {
    return make_planner(s.planner, s.planner_params, derive_seed(s.episode_seed, 2));
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
}

}  // namespace

const std::vector<std::string>& agent_names() {
  // A new agent: add its name here (and to agent_needs_model if it reads a ModelFile).
  static const std::vector<std::string> names = {"random", "oracle", "flat", "hjepa"};
  return names;
}

std::string agent_name_list() {
  std::string out;
  for (const std::string& n : agent_names()) out += (out.empty() ? "" : ", ") + n;
  return out;
}

bool is_agent_name(const std::string& name) {
  const auto& names = agent_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool agent_needs_model(const std::string& name) { return name == "flat" || name == "hjepa"; }

std::unique_ptr<Agent> make_agent(const std::string& name, const AgentSetup& s) {
  if (name == "random") return std::make_unique<RandomAgent>(derive_seed(s.episode_seed, 1));
  if (name == "oracle") return std::make_unique<OracleAgent>(s.env, s.oracle_params);
  if (!is_agent_name(name)) throw std::logic_error("make_agent: unknown agent \"" + name + "\"");
  if (!s.model) throw std::logic_error("make_agent: agent \"" + name + "\" needs a model");
  check_model_fits(*s.model, s.env_params);
  if (name == "flat")
    return std::make_unique<FlatJepaAgent>(s.model->level1, s.task, s.env_params, planner_for(s), s.belief_params);
  if (name == "hjepa") {
    HJepaParams p = s.hjepa_params;
    p.belief = s.belief_params;
    return std::make_unique<HJepaAgent>(s.model->level1, s.model->level2, s.task, s.env_params, planner_for(s), p);
  }
  throw std::logic_error("make_agent: agent \"" + name + "\" is listed but not built");
}

}  // namespace hjepa
