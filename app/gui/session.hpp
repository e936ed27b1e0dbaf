// The desktop app's simulation: the map, task, env and agent the GUI shows, their Params structs
// (edited directly by the panels), and the episode itself (reset, one step, live parameter edits).
// No drawing here; the world view and the panels read it through const references.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/agent.hpp"
#include "agent/jepa/flat_agent.hpp"
#include "agent/jepa/model_file.hpp"
#include "agent/oracle_agent.hpp"
#include "sim/env.hpp"
#include "sim/map_gen.hpp"
#include "sim/oracle.hpp"

namespace hjepa {

enum class AgentKind { Oracle, Random, Flat };

// What the flat JEPA agent planned at its last step, decoded for drawing (world units).
struct FlatTrace {
  bool valid = false;
  std::vector<Vec2> plan;                     // H + 1 probe positions of the chosen plan (first = belief)
  std::vector<std::vector<Vec2>> candidates;  // R rollouts of the optimiser's final candidates
  std::vector<float> candidate_costs;         // R
  Vec2 belief;                                // probe on the belief
  Vec2 encoding;                              // probe on the raw encoding of the current observation
  std::vector<float> sweep;                   // energy for kSweep first headings, the rest of the plan kept
  float chosen_heading = 0;                   // first heading of the plan, radians
  int target_colour = -1;                     // palette index the plan aims at
  static constexpr int kSweep = 32;
};
enum class EpisodeStatus { Running, Success, Truncated, NotRunning };

struct Session {
  // Parameters (the panels edit these; apply_* makes them take effect).
  MapParams map_params;
  uint64_t map_seed = 1;
  EnvParams env_params;
  AgentKind agent_kind = AgentKind::Oracle;
  OracleAgentParams oracle_params;
  std::string planner_type = "gradient";  // flat agent: "gradient" or "cem"
  PlannerParams planner_params;           // flat agent (applied live, on the next step)
  BeliefParams belief_params;             // flat agent
  std::shared_ptr<const ModelFile> model; // trained level 1 (the flat agent needs one for this map)
  std::string model_source;               // "trained here (seed 1)" or the file it was loaded from
  uint64_t episode_seed = 1;
  Task task;
  std::optional<Vec2> start;  // chosen start point (right-click); none = drawn from the episode seed

  // State.
  std::unique_ptr<World> world;
  std::unique_ptr<Env> env;
  std::unique_ptr<Agent> agent;
  int world_version = 0;             // bumped whenever *world changes (drawing caches key on it)
  std::string map_source;            // "seed 1" or the file name
  std::string problem;               // why no episode runs (empty task, missing colour, bad params)
  Observation obs;
  std::vector<Vec2> trail;           // true positions since reset
  double episode_reward = 0;
  EpisodeStatus status = EpisodeStatus::NotRunning;
  OraclePath reference;              // oracle path from the episode's start (for the inspector)
  double last_act_ms = 0;            // wall time of the agent's last act (includes any replanning)
  double last_step_ms = 0;           // wall time of the last env step
  double last_plan_ms = 0;           // wall time of the reference plan at reset
  FlatTrace flat_trace;              // refreshed by refresh_flat_trace()

  // Generates the map from map_seed and map_params; keeps the task.
  void regenerate_map();
  void set_world(World w, std::string source);
  // Rebuilds env and agent from the current params and starts an episode (episode_seed, start).
  void reset_episode();
  // Rebuilds env/agent with new params, keeping the agent where it is (live parameter edits).
  void apply_env_params();
  void apply_agent_params();
  // One env step; no-op when no episode is running.
  void step_once();
  bool running() const { return env && status == EpisodeStatus::Running; }
  const OracleAgent* oracle_agent() const { return dynamic_cast<const OracleAgent*>(agent.get()); }
  FlatJepaAgent* flat_agent() const { return dynamic_cast<FlatJepaAgent*>(agent.get()); }
  // Empty when the model can drive the flat agent here; else why not.
  std::string model_problem() const;
  // Replaces the model (the agent is rebuilt first, so it never points at a freed model).
  void set_model(std::shared_ptr<const ModelFile> m, std::string source);
  // Copies planner_params / belief_params into the running flat agent; rebuilds it when the planner
  // type changed.
  void apply_planner_params();
  // Recomputes flat_trace when the agent acted since the last call (cheap: a few predictor batches).
  void refresh_flat_trace();
  std::vector<Color> colors_on_map() const;
  bool on_map(Color c) const;

 private:
  bool build_env();
  bool make_agent();
  int trace_version_ = 0, traced_version_ = -1;
};

// Three distinct colours present on the map, chosen deterministically from its fingerprint.
Task default_task(const World& world);
const char* status_name(EpisodeStatus s);

}  // namespace hjepa
