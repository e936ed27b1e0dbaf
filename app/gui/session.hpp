// The desktop app's simulation: the map, task, env and agent the GUI shows, their Params structs
// (edited directly by the panels), the episode itself (reset, one step, live parameter edits) and
// what the learned agents planned, decoded into world units for drawing (session_traces.cpp). The
// agent is built by name through app/agent_factory's make_agent and read only through its trace().
// No drawing here; the world view and the panels read it through const references.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "agent/agent.hpp"
#include "agent/config.hpp"
#include "agent/jepa/model_file.hpp"
#include "app/agent_factory.hpp"
#include "sim/env.hpp"
#include "sim/map_gen.hpp"
#include "sim/oracle.hpp"

namespace hjepa {

// What a level-1 planner (flat or H-JEPA agent) planned at its last step, decoded by the position
// probe for drawing (world units). The probe is for drawing only: the agents never read it.
struct Level1Trace {
  bool valid = false;
  std::vector<Vec2> plan;                     // H + 1 probe positions of the chosen plan (first = belief)
  std::vector<std::vector<Vec2>> candidates;  // R rollouts of the optimiser's final candidates
  std::vector<float> candidate_costs;         // R
  Vec2 belief;                                // probe on the belief
  Vec2 encoding;                              // probe on the raw encoding of the current observation
  std::vector<float> sweep;                   // energy for kSweep first headings, the rest of the plan kept
  float chosen_heading = 0;                   // first heading of the plan, radians
  // The Mode-1 policy's heading at the same belief (NaN without a policy) and, per step of this
  // episode, how far it was from the heading the optimiser chose (degrees; NaN where the policy
  // acted alone, agent.low.mode policy, so there was no optimiser's heading).
  float policy_heading = 0;
  bool policy_acted = false;
  std::vector<float> policy_gap;
  float cost = 0;                             // energy of the chosen plan
  int target_colour = -1;                     // palette index the colour cost aims at (-1: none)
  // With P1's latent z: the chosen plan imagined under each z the belief allows (the most probable
  // first, which is `plan`), their z values and weights; the belief over z (K values) and its top.
  std::vector<std::vector<Vec2>> futures;
  std::vector<int> future_z;
  std::vector<float> future_weight;
  std::vector<float> z_belief;
  int believed_z = 0;
  static constexpr int kSweep = 32;
};

// The H-JEPA agent's learned place graph decoded for drawing: each place at the position probe of
// its subgoal latent. Depends only on the model and the places and graph the agent plans over (they
// differ by variant), so it is rebuilt only when one of those changes.
struct PlaceGraphView {
  int model_version = -1;                    // Session::model_version it was decoded from
  const PlaceGraph* graph = nullptr;         // the agent's graph it was decoded from (null: the model's P2 graph)
  int version = 0;                           // bumped at every decode (drawing caches key on it)
  std::vector<Vec2> position;                // P
  std::vector<int> colour;                   // dominant palette index; -1 for a place without members
  int connections = 0;                       // place pairs linked in either direction
  std::vector<std::pair<int, int>> edges;    // the ones drawn (a < b): those not implied by a shorter detour
};

// The H-JEPA agent's high-level plan at its last step, decoded for drawing and captions.
struct HighTrace {
  bool valid = false;                  // a plan exists
  std::vector<int> route;              // plan places from the one the agent is in onward
  std::vector<Color> route_colours;    // the colour each stands for (the one it achieves, else its dominant one)
  std::vector<int> achieves;           // per route place: the task index achieved there, or -1
  std::vector<Color> colour_sequence;  // route_colours with consecutive repeats collapsed
  float remaining_cost = 0;            // predicted steps along the rest of the route
  int subgoal_place = -1;              // the place handed to level 1 (-1: colour cost only)
  Vec2 subgoal;                        // probe on its subgoal latent
};

enum class EpisodeStatus { Running, Success, Truncated, NotRunning };

struct Session {
  // Parameters (the panels edit these; apply_* makes them take effect).
  MapParams map_params;
  uint64_t map_seed = 1;
  EnvParams env_params;
  std::string agent_name = "oracle";      // one of agent_names() (the CLI's --agent names)
  OracleAgentParams oracle_params;
  std::string planner_type = "gradient";  // flat and hjepa agents: "gradient" or "cem"
  PlannerParams planner_params = RunConfig{}.planner;  // flat and hjepa agents (applied live, on the next step)
  BeliefParams belief_params;             // flat and hjepa agents (copied into hjepa_params.belief)
  HJepaParams hjepa_params;               // hjepa agent: high level and watches (applied live)
  std::shared_ptr<const ModelFile> model; // trained levels 1 and 2 (the flat and hjepa agents need one for this map)
  int model_version = 0;                  // bumped whenever the model changes (drawing caches key on it)
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
  double last_high_ms = 0;           // hjepa: the part of it spent in a level-2 plan (0 when it kept its plan)
  int last_replan_step = -1;         // hjepa: env step at which level 2 last replanned (-1: not yet)
  std::string last_replan_reason;    // hjepa: why
  std::string last_correction;       // hjepa: the last thing the world showed its model got wrong, with its step
  double last_step_ms = 0;           // wall time of the last env step
  double last_plan_ms = 0;           // wall time of the reference plan at reset
  int episode = 0;                   // episodes begun (reset_episode, adopt_episode): a recording keys on it
  Level1Trace level1_trace;          // flat or hjepa agent; refreshed by refresh_traces()
  HighTrace high_trace;              // hjepa agent; refreshed by refresh_traces()
  PlaceGraphView place_graph;        // the place graph the agent plans over; refreshed by refresh_traces()

  // The episode parameters above as one RunConfig (env.* and agent.* of the parameter table), and back;
  // set_run_config changes only the fields (apply_* makes them take effect).
  RunConfig run_config() const;
  void set_run_config(const RunConfig& c);
  // Generates the map from map_seed and map_params; keeps the task. Returns "" or why map_params were
  // refused (map_params_problem: the map is kept, or at launch generated without gates).
  std::string regenerate_map();
  void set_world(World w, std::string source);
  // Rebuilds env and agent from the current params and starts an episode (episode_seed, start).
  void reset_episode();
  // Rebuilds env/agent with new params, keeping the agent where it is (live parameter edits).
  void apply_env_params();
  void apply_agent_params();
  // One env step; no-op when no episode is running.
  void step_once();
  // An episode driven from outside (hjepa run builds env and agent itself, with its own refusals, and
  // steps them; world, env, agent, task and the Params structs set first): adopt_episode after
  // env->reset and agent->reset, record_step after each env->step, and the session keeps obs, trail,
  // reward, status and the replan notes exactly as reset_episode and step_once do.
  void adopt_episode(const Observation& first, OraclePath reference_path);
  void record_step(const StepResult& result);
  // Gates of the current episode (the map's gate g, drawn at reset): open or not, and the app's toggle,
  // which changes the episode's state (the agents perceive it through the env; the oracle agent, privileged,
  // and the reference path replan). Returns "" or why not (no episode, closing on the agent).
  bool gate_open(int gate) const { return env && ((env->state().open_gates >> gate) & 1u); }
  std::string set_gate_open(int gate, bool open);
  bool running() const { return env && status == EpisodeStatus::Running; }
  // What the agent believes and planned (empty when there is no agent).
  AgentTrace agent_trace() const { return agent ? agent->trace() : AgentTrace{}; }
  // Empty when the model can drive the flat and hjepa agents here; else why not.
  std::string model_problem() const;
  // Replaces the model (the agent is rebuilt first, so it never points at a freed model).
  void set_model(std::shared_ptr<const ModelFile> m, std::string source);
  // Hands planner_params / belief_params / hjepa_params to the running agent (set_agent_params);
  // rebuilds it when the planner type changed.
  void apply_planner_params();
  // Recomputes level1_trace and high_trace when the agent acted since the last call (cheap: a few
  // predictor batches), and place_graph when the model or the agent's graph changed.
  void refresh_traces();
  // False when refresh_traces() has something to do (drawing would show the last step's traces).
  bool traces_current() const;
  std::vector<Color> colors_on_map() const;
  bool on_map(Color c) const;

 private:
  bool build_env();
  bool make_agent();
  AgentSetup agent_setup() const;  // what make_agent builds from: env, task, model and the Params structs
  void decode_place_graph(const AgentTrace& trace);
  void decode_level1(const Level1& m, const PlanResult& plan, const MatF& belief, const std::vector<float>* z_belief,
                     const MatF* goal, int colour, const PlannerParams& pp);
  void decode_high(const AgentTrace& a);
  std::string agent_planner_type_;  // the planner type the current agent was built with
  int trace_version_ = 0, traced_version_ = -1;
};

// Three distinct colours present on the map, chosen deterministically from its fingerprint.
Task default_task(const World& world);
const char* status_name(EpisodeStatus s);

}  // namespace hjepa
