// The agent table behind make_agent (see agent_factory.hpp).
#include "app/agent_factory.hpp"

#include <algorithm>
#include <stdexcept>

#include "agent/jepa/encoder.hpp"
#include "agent/jepa/hjepa_agent.hpp"
#include "agent/random_agent.hpp"
#include "app/usage_error.hpp"

namespace hjepa {

namespace {

// A model-based agent's model must read the observations this env produces.
void check_model_fits(const ModelFile& model, const EnvParams& env_params) {
  if (model.level1.arch.features != feature_size(env_params.num_rays))
    throw UsageError("the model reads " + std::to_string(model.level1.arch.features) + " observation features; expected " +
                     std::to_string(feature_size(env_params.num_rays)) +
                     " (a model trained with the same number of range rays)");
}

// The low-level planner with the model's Mode-1 policy attached (the modes other than planner need it).
std::unique_ptr<Planner> planner_for(const AgentSetup& s) {
  std::unique_ptr<Planner> planner;
  try {
    planner = make_planner(s.planner, s.planner_params, derive_seed(s.episode_seed, 2));
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  if (s.model && !s.model->policy.empty()) planner->set_policy(&s.model->policy);
  if (s.planner_params.mode != LowMode::Planner && !planner->policy())
    throw UsageError(std::string("agent.low.mode ") + low_mode_name(s.planner_params.mode) +
                     " needs the model's Mode-1 policy, and this model has none; expected a model trained by hjepa train "
                     "(or agent.low.mode planner)");
  return planner;
}

}  // namespace

namespace {

// One row per agent: what the commands and the app show (AgentInfo), and how the hierarchical
// variants differ from "hjepa" (ablations: each switches one part off).
struct AgentEntry {
  const char* name;
  const char* label;
  const char* about;
  bool needs_model;
  bool ablation;
  void (*variant)(HJepaParams&, PlannerParams&);  // hjepa and its variants only
  bool oracle = false;                             // the oracle and its variants: take OracleAgentParams
};

const std::vector<AgentEntry>& agent_table() {
  static const std::vector<AgentEntry> table = {
      {"random", "random", "uniform random headings", false, false, nullptr},
      {"oracle", "oracle", "privileged: follows the oracle's shortest path with the true position", false, false, nullptr, true},
      {"oracle-sighted", "oracle, gates on sight",
       "the oracle without the episode's gates: each is taken for open until seen within the range rays' reach", false,
       false, nullptr, true},
      {"flat", "flat", "level 1 alone: the planner aims at the next colour through the colour head", true, false, nullptr},
      {"hjepa", "H-JEPA (levels 1 + 2)", "both levels: temporal places, the P2 place graph, the stuck, offer and overdue watches",
       true, false, [](HJepaParams&, PlannerParams&) {}},
      {"hjepa-no-p2", "hjepa-no-p2", "hjepa with the place graph from experienced transitions only (no P2)", true, true,
       [](HJepaParams& h, PlannerParams&) { h.graph = PlaceGraphKind::Experience; }},
      {"hjepa-distance", "hjepa-distance",
       "hjepa with the place graph from the learned distance alone (places <= K steps apart, no P2)", true, true,
       [](HJepaParams& h, PlannerParams&) { h.graph = PlaceGraphKind::Distance; }},
      {"hjepa-no-watch", "hjepa-no-watch", "hjepa with the stuck, offer and overdue watches off", true, true,
       [](HJepaParams& h, PlannerParams&) { h.stuck_ratio = 0, h.offer_patience = 0, h.overdue_factor = 0; }},
      {"hjepa-p2-raw", "hjepa-p2-raw",
       "hjepa over the P2 graph without its reach calibration by experience (the P2 graph before 2026-12-06)", true, true,
       [](HJepaParams& h, PlannerParams&) { h.graph = PlaceGraphKind::P2Raw; }},
      {"hjepa-euclid", "hjepa-euclid", "hjepa over model format 4's places: k-means in s, P2 edges filtered by experience",
       true, true, [](HJepaParams& h, PlannerParams&) { h.graph = PlaceGraphKind::Euclid; }},
  };
  return table;
}

const AgentEntry* find_agent(const std::string& name) {
  for (const AgentEntry& e : agent_table())
    if (name == e.name) return &e;
  return nullptr;
}

// The hierarchy and planner parameters a hierarchical agent is built with: the setup's, its belief
// from belief_params, then the variant's changes.
HJepaParams hjepa_params_for(const AgentEntry& entry, const AgentSetup& s, PlannerParams& planner) {
  HJepaParams p = s.hjepa_params;
  p.belief = s.belief_params;
  planner = s.planner_params;
  entry.variant(p, planner);
  return p;
}

}  // namespace

const std::vector<AgentInfo>& agent_infos() {
  static const std::vector<AgentInfo> infos = [] {
    std::vector<AgentInfo> out;
    for (const AgentEntry& e : agent_table())
      out.push_back({e.name, e.label, e.about, e.needs_model, e.variant != nullptr, e.ablation, e.oracle});
    return out;
  }();
  return infos;
}

const std::vector<std::string>& agent_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const AgentInfo& a : agent_infos()) out.push_back(a.name);
    return out;
  }();
  return names;
}

const AgentInfo* agent_info(const std::string& name) {
  for (const AgentInfo& a : agent_infos())
    if (name == a.name) return &a;
  return nullptr;
}

std::string agent_name_list() {
  std::string out;
  for (const std::string& n : agent_names()) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string agent_about(const std::string& name) {
  const AgentInfo* a = agent_info(name);
  return a ? a->about : "";
}

bool is_agent_name(const std::string& name) { return find_agent(name) != nullptr; }

bool agent_needs_model(const std::string& name) {
  const AgentInfo* a = agent_info(name);
  return a && a->needs_model;
}

std::unique_ptr<Agent> make_agent(const std::string& name, const AgentSetup& s) {
  const AgentEntry* entry = find_agent(name);
  if (!entry) throw std::logic_error("make_agent: unknown agent \"" + name + "\"");
  if (name == "random") return std::make_unique<RandomAgent>(derive_seed(s.episode_seed, 1));
  if (name == "oracle") return std::make_unique<OracleAgent>(s.env, s.oracle_params);
  if (name == "oracle-sighted") {
    OracleAgentParams p = s.oracle_params;
    p.gates_on_sight = true;
    return std::make_unique<OracleAgent>(s.env, p);
  }
  if (!s.model) throw std::logic_error("make_agent: agent \"" + name + "\" needs a model");
  check_model_fits(*s.model, s.env_params);
  if (name == "flat")
    return std::make_unique<FlatJepaAgent>(s.model->level1, s.task, s.env_params, planner_for(s), s.belief_params);
  AgentSetup varied = s;
  const HJepaParams p = hjepa_params_for(*entry, s, varied.planner_params);
  return std::make_unique<HJepaAgent>(s.model->level1, s.model->level2, s.task, s.env_params, planner_for(varied), p);
}

void set_agent_params(const std::string& name, Agent& agent, const AgentSetup& s) {
  const AgentEntry* entry = find_agent(name);
  if (!entry) throw std::logic_error("set_agent_params: unknown agent \"" + name + "\"");
  if (!entry->variant) return agent.set_params({&s.planner_params, &s.belief_params, nullptr});
  PlannerParams planner;
  const HJepaParams p = hjepa_params_for(*entry, s, planner);
  agent.set_params({&planner, &p.belief, &p});
}

}  // namespace hjepa
