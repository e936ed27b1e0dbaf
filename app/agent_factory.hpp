// Every agent, made by name in one place: `hjepa run`, `hjepa bench` and the desktop app (its
// Agent and Bench panels, `hjepa gui --agent`, the settings file) build agents through make_agent and
// list them from this table, so an agent added here is available to all.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "agent/agent.hpp"
#include "agent/config.hpp"
#include "agent/jepa/flat_agent.hpp"
#include "agent/jepa/hjepa_agent.hpp"
#include "agent/jepa/model_file.hpp"
#include "agent/oracle_agent.hpp"

namespace hjepa {

// What an agent may be built from. The references must outlive the agent (the oracle reads `env`,
// model-based agents read `model`).
struct AgentSetup {
  AgentSetup(const Env& env, const Task& task, const EnvParams& env_params, uint64_t episode_seed,
             const ModelFile* model = nullptr, std::string planner = "gradient")
      : env(env), task(task), env_params(env_params), episode_seed(episode_seed), model(model), planner(std::move(planner)) {}

  const Env& env;                    // the episode's env, already reset (the oracle reads its true state)
  const Task& task;                  // the task being run
  const EnvParams& env_params;       // the env's parameters (rays, range scale)
  uint64_t episode_seed;             // the agent's own randomness is derived from it
  const ModelFile* model;            // required when agent_needs_model(name); ignored otherwise
  std::string planner;               // low-level planner of model-based agents: "gradient" or "cem"
  PlannerParams planner_params = RunConfig{}.planner;  // its parameters (the table's defaults)
  BeliefParams belief_params;        // latent belief of model-based agents
  HJepaParams hjepa_params;          // the hierarchical agent (its belief comes from belief_params)
  OracleAgentParams oracle_params;   // the oracle agent's replanning and grid

  // The agent part of a run configuration: the planner type and every agent parameter.
  void take(const RunConfig& c) {
    planner = c.planner_type;
    planner_params = c.planner;
    belief_params = c.hjepa.belief;
    hjepa_params = c.hjepa;
    oracle_params = c.oracle;
  }
};

// One row of the agent table, as the commands and the app list it.
struct AgentInfo {
  const char* name;   // --agent, the settings file's "agent", the bench CSV's agent column
  const char* label;  // the app's Agent panel
  const char* about;  // one line: what it is
  bool needs_model;   // built on a trained model (AgentSetup::model)
  bool hierarchical;  // plans with level 2 (hjepa and its ablations): takes HJepaParams
  bool ablation;      // a variant with one part switched off (left out of the app's default bench selection)
  bool oracle;        // the privileged oracle and its variants: take OracleAgentParams (agent.oracle.*)
};

// Every agent, in table order: "random", "oracle", "oracle-sighted", "flat", "hjepa", then the hjepa ablations
// ("hjepa-no-p2", "hjepa-distance", "hjepa-no-watch", "hjepa-euclid").
const std::vector<AgentInfo>& agent_infos();
const std::vector<std::string>& agent_names();
// Its row; null for an unknown name.
const AgentInfo* agent_info(const std::string& name);
// One line on what the agent is ("" for an unknown name).
std::string agent_about(const std::string& name);
// "random, oracle, flat"
std::string agent_name_list();
bool is_agent_name(const std::string& name);
// True for agents built on a trained model (ModelFile): they need AgentSetup::model.
bool agent_needs_model(const std::string& name);

// Builds the agent. Throws UsageError when the model does not fit the env (observation features)
// or the planner name is unknown; a missing model for a model-based agent or an unknown agent name
// is a programmer error (std::logic_error): check with is_agent_name / agent_needs_model first.
std::unique_ptr<Agent> make_agent(const std::string& name, const AgentSetup& setup);
// Hands `agent`, built by make_agent(name, ...), the planner, belief and hierarchy parameters of
// `setup` (with the variant's changes, as make_agent applies them) between steps, without a reset:
// the app's live edits. The planner type, env, task and model stay; rebuild the agent for those.
void set_agent_params(const std::string& name, Agent& agent, const AgentSetup& setup);

}  // namespace hjepa
