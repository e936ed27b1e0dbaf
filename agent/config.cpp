// The parameter table and the readers of --set and config files (see config.hpp).
#include "agent/config.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>
#include <type_traits>
#include <utility>

#include "sim/atomic_file.hpp"
#include "sim/json_reader.hpp"

namespace hjepa {
namespace {

using ConfigJson = nlohmann::json;

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// A number parameter bound to one field of ParamValues through `ref` (a lambda returning a
// reference to it); integer when the field is.
template <class Ref>
ParamSpec number(std::string name, std::string label, std::string help, std::string unit, double lo, double hi, Ref ref) {
  using F = std::remove_reference_t<decltype(ref(std::declval<ParamValues&>()))>;
  ParamSpec p;
  p.name = std::move(name), p.label = std::move(label), p.help = std::move(help), p.unit = std::move(unit);
  p.integer = std::is_integral_v<F>;
  p.lo = lo, p.hi = hi;
  p.read = [ref](const ParamValues& v) { return static_cast<double>(ref(const_cast<ParamValues&>(v))); };
  p.write = [ref](ParamValues& v, double x) { ref(v) = static_cast<F>(std::is_integral_v<F> ? std::round(x) : x); };
  return p;
}

// The env's parameters (ranges: sim/env.hpp, which Env's constructor checks).
void add_env_params(std::vector<ParamSpec>& t) {
  using V = ParamValues;
  t.push_back(number("env.step_length", "step length", "Distance moved per step when unobstructed", "units", kStepLengthMin,
                     kStepLengthMax, [](V& v) -> auto& { return v.run.env.step_length; }));
  t.push_back(number("env.noise_motion", "sigma motion", "Std of the Gaussian noise on the landing point", "units", 0, kNoiseMax,
                     [](V& v) -> auto& { return v.run.env.noise_motion; }));
  t.push_back(number("env.noise_perception", "sigma percept", "Std of the Gaussian noise on the perceived position", "units", 0,
                     kNoiseMax, [](V& v) -> auto& { return v.run.env.noise_perception; }));
  t.push_back(number("env.noise_range", "sigma range", "Std of the Gaussian noise on each range reading", "units", 0, kNoiseMax,
                     [](V& v) -> auto& { return v.run.env.noise_range; }));
  t.push_back(number("env.num_rays", "rays",
                     "Range-ring rays, evenly spaced from heading 0 (model-based agents need the count they were trained with)", "",
                     0, kMaxRays, [](V& v) -> auto& { return v.run.env.num_rays; }));
  t.push_back(number("env.ray_max", "ray max", "Longest range reading", "units", kRayMaxMin, kRayMaxMax,
                     [](V& v) -> auto& { return v.run.env.ray_max; }));
  t.push_back(number("env.max_steps", "max steps",
                     "Step limit of an episode; 0 = auto: 2 ceil((W+H)/step length) x task length", "", 0, kMaxStepsMax,
                     [](V& v) -> auto& { return v.run.env.max_steps; }));
}

// The low-level planner's parameters.
void add_planner_params(std::vector<ParamSpec>& t) {
  using V = ParamValues;
  {
    ParamSpec p;
    p.name = "agent.planner.type", p.label = "planner";
    p.help = "Low-level planner";
    p.choices = {"gradient", "cem"};
    p.choice_help = {"Adam on the heading angles through P1, with batched restarts, warm-started from the last plan",
                     "the cross-entropy method: samples heading sequences and refits to the best ones, derivative-free"};
    p.read_text = [](const V& v) { return v.run.planner_type; };
    p.write_text = [](V& v, const std::string& s) { v.run.planner_type = s; };
    t.push_back(std::move(p));
  }
  {
    ParamSpec p;
    p.name = "agent.low.mode", p.label = "low mode";
    p.help = "Who chooses level 1's headings";
    p.choices = {"planner", "policy", "policy+planner"};
    p.choice_help = {"Mode 2: the optimiser, through P1, every step for agent.planner.iterations",
                     "Mode 1: the policy distilled from the planner alone, no optimisation; its rollout through P1 is the plan drawn",
                     "the policy's rollout seeds the optimiser, which runs agent.planner.seeded_iterations"};
    p.read_text = [](const V& v) { return std::string(low_mode_name(v.run.planner.mode)); };
    p.write_text = [](V& v, const std::string& s) {
      v.run.planner.mode = s == "policy" ? LowMode::Policy : s == "policy+planner" ? LowMode::PolicyPlanner : LowMode::Planner;
    };
    t.push_back(std::move(p));
  }
  t.push_back(number("agent.low.seeded_iterations", "seeded iters",
                     "policy+planner: optimiser iterations per agent step from the policy's seed", "", 1, 500,
                     [](V& v) -> auto& { return v.run.planner.seeded_iterations; }));
  t.push_back(number("agent.planner.horizon", "horizon", "H: headings optimised per plan (steps looked ahead)", "", 1, 64,
                     [](V& v) -> auto& { return v.run.planner.horizon; }));
  t.push_back(number("agent.planner.iterations", "iterations", "Optimiser iterations per agent step", "", 1, 500,
                     [](V& v) -> auto& { return v.run.planner.iterations; }));
  t.push_back(number("agent.planner.restarts", "restarts", "R: candidate plans optimised together (one is the warm start)", "",
                     1, 256, [](V& v) -> auto& { return v.run.planner.restarts; }));
  t.push_back(number("agent.planner.lr", "lr", "Adam step on the heading angles", "radians", 1e-4, 5,
                     [](V& v) -> auto& { return v.run.planner.lr; }));
  t.push_back(number("agent.planner.goal_weight", "goal weight",
                     "Weight of the squared latent distance to the subgoal level 2 hands down (the flat agent has none)", "", 0,
                     1000, [](V& v) -> auto& { return v.run.planner.goal_weight; }));
  t.push_back(number("agent.planner.colour_weight", "colour weight", "Weight of -log p(next colour) from the colour head", "", 0,
                     1000, [](V& v) -> auto& { return v.run.planner.colour_weight; }));
  t.push_back(number("agent.planner.terminal_weight", "terminal wt", "Extra multiple of the goal and colour costs at the last step",
                     "", 0, 1000, [](V& v) -> auto& { return v.run.planner.terminal_weight; }));
  {
    ParamSpec p;
    p.name = "agent.planner.z_objective", p.label = "z objective";
    p.help = "With P1's latent z: the plan's energy over the futures the belief over z allows";
    p.choices = {"expected", "worst"};
    p.choice_help = {"their energies averaged, weighted by the belief", "the costliest of them"};
    p.read_text = [](const V& v) { return std::string(v.run.planner.z_worst ? "worst" : "expected"); };
    p.write_text = [](V& v, const std::string& s) { v.run.planner.z_worst = s == "worst"; };
    t.push_back(std::move(p));
  }
  t.push_back(number("agent.planner.cem_samples", "cem samples", "CEM: heading sequences sampled per iteration", "", 2, 4096,
                     [](V& v) -> auto& { return v.run.planner.cem_samples; }));
  t.push_back(number("agent.planner.cem_elites", "cem elites", "CEM: best samples the next proposal is fitted to", "", 1, 4096,
                     [](V& v) -> auto& { return v.run.planner.cem_elites; }));
}

// The H-JEPA agents' belief, level 2 and watch parameters.
void add_hjepa_params(std::vector<ParamSpec>& t) {
  using V = ParamValues;
  {
    ParamSpec p;
    p.name = "agent.belief.mode", p.label = "belief";
    p.help = "How the belief blends P1's prediction with E1's reading";
    p.choices = {"fixed", "fitted", "kalman"};
    p.choice_help = {"at agent.belief.gain",
                     "at the gain the model fitted on held-out data in training: train --json belief.fitted_gain",
                     "a gain per step from the belief's variance, as a Kalman filter would; it starts at the encoder's noise, "
                     "which the model estimated on held-out data, so the first steps trust the readings more, and settles at "
                     "the fitted gain, or at agent.belief.min_gain if that is higher"};
    p.read_text = [](const V& v) { return std::string(belief_mode_name(v.run.hjepa.belief.mode)); };
    p.write_text = [](V& v, const std::string& s) {
      v.run.hjepa.belief.mode = s == "kalman" ? BeliefMode::Kalman : s == "fitted" ? BeliefMode::Fitted : BeliefMode::Fixed;
    };
    t.push_back(std::move(p));
  }
  t.push_back(number("agent.belief.gain", "belief gain",
                     "Belief mode fixed: weight of the encoder's reading against the predictor's expectation (1 = trust the observation)", "", 0, 1,
                     [](V& v) -> auto& { return v.run.hjepa.belief.gain; }));
  t.push_back(number("agent.belief.min_gain", "belief min gain",
                     "Belief mode kalman: the gain settles at the model's fitted gain, but at least this. The fitted gain reads "
                     "position best on exploration data; on straight runs to a goal P1's errors add up and a lower gain lags "
                     "(0 = the fitted gain, as before 2026-12-05)",
                     "", 0, 1, [](V& v) -> auto& { return v.run.hjepa.belief.min_gain; }));
  t.push_back(number("agent.belief.context", "belief context",
                     "Belief mode kalman: how far P1's noise follows the clearance ahead of each move (q x ratio^this, the "
                     "ratio of P1's error in the move's clearance bin to its mean, measured in training: near walls the "
                     "reading weighs more). 0 = one process noise for every move, as before model format 9",
                     "", 0, 1, [](V& v) -> auto& { return v.run.hjepa.belief.context; }));
  t.push_back(number("agent.high.colour_threshold", "colour thresh",
                     "Level 2: a place offers a colour when the colour head gives it at least this mean probability there", "",
                     0.01, 1, [](V& v) -> auto& { return v.run.hjepa.high.colour_threshold; }));
  t.push_back(number("agent.high.replan_period", "replan period",
                     "Level 2: replan at least every this many steps (0 = only on events: start, progress, subgoal reached, "
                     "strayed, stuck)",
                     "", 0, 10000, [](V& v) -> auto& { return v.run.hjepa.high.replan_period; }));
  t.push_back(number("agent.watch.stuck_window", "stuck window",
                     "Stuck watch: steps over which real and predicted motion are compared", "", 2, kMaxStuckWindow,
                     [](V& v) -> auto& { return v.run.hjepa.stuck_window; }));
  t.push_back(number("agent.watch.stuck_ratio", "stuck ratio",
                     "Stuck when the encoder's readings moved less than this x the motion P1 predicted (0 = never stuck)", "", 0,
                     1, [](V& v) -> auto& { return v.run.hjepa.stuck_ratio; }));
  t.push_back(number("agent.watch.stuck_noise", "stuck noise",
                     "Stuck watch in noise: the window grows (up to 16 steps) until falling short of the ratio takes this many "
                     "standard deviations of the readings' noise along the predicted motion (the noise the model estimated), "
                     "and motion along that direction is compared (0 = the fixed window)",
                     "", 0, 10, [](V& v) -> auto& { return v.run.hjepa.stuck_noise; }));
  t.push_back(number("agent.watch.stuck_penalty", "stuck penalty",
                     "Predicted steps added to a place-graph edge found blocked (this episode only)", "", 0, 10000,
                     [](V& v) -> auto& { return v.run.hjepa.stuck_penalty; }));
  t.push_back(number("agent.watch.passage_radius", "passage radius",
                     "A blocked edge blocks the passage: the penalty also goes to every edge from a place within this learned "
                     "distance of the edge's start to a place within it of its end (0 = that edge alone)",
                     "steps", 0, 100, [](V& v) -> auto& { return v.run.hjepa.passage_radius; }));
  t.push_back(number("agent.watch.passage_evidence", "passage evidence",
                     "Blocked edges within the passage radius of each other (ends near ends) before the whole passage is "
                     "blocked (1 = at the first block; 2 = when a second edge across it is blocked too)",
                     "", 1, 10, [](V& v) -> auto& { return v.run.hjepa.passage_evidence; }));
  t.push_back(number("agent.watch.escape_steps", "escape steps",
                     "Side steps towards the open side (by the range rays) after getting stuck", "", 0, 50,
                     [](V& v) -> auto& { return v.run.hjepa.escape_steps; }));
  t.push_back(number("agent.watch.overdue_factor", "overdue factor",
                     "Overdue watch: a place-graph edge the agent has headed along for more than this x its predicted steps "
                     "(+4) in the episode, without arriving, is penalised as a blocked one and level 2 replans (0 = off)",
                     "", 0, 100, [](V& v) -> auto& { return v.run.hjepa.overdue_factor; }));
  t.push_back(number("agent.watch.offer_patience", "offer patience",
                     "Steps in a place the plan says offers the next colour, without seeing it, before that offer is marked "
                     "false for the episode (0 = off)",
                     "", 0, 1000, [](V& v) -> auto& { return v.run.hjepa.offer_patience; }));
}

// The oracle agent's parameters.
void add_oracle_params(std::vector<ParamSpec>& t) {
  using V = ParamValues;
  t.push_back(number("agent.oracle.replan_distance", "replan dist",
                     "The oracle agent replans when its true position is this far from its path", "units", 0.05, 10, [](V& v) -> auto& { return v.run.oracle.replan_distance; }));
  t.push_back(number("agent.oracle.cell", "grid cell", "The oracle planner's grid cell; smaller is more exact and slower", "units", 0.02, 2,
                     [](V& v) -> auto& { return v.run.oracle.oracle.cell; }));
}

// The map generator's parameters (ranges: sim/map_gen.hpp).
void add_map_params(std::vector<ParamSpec>& t) {
  using V = ParamValues;
  {
    ParamSpec p;
    p.name = "map.style", p.label = "style";
    p.help = "Generated map layout";
    p.choices = std::vector<std::string>(std::begin(kMapStyleNames), std::end(kMapStyleNames));
    p.choice_help = {"regions and scattered obstacles", "walled rooms joined by doors"};
    p.read_text = [](const V& v) { return std::string(map_style_name(v.map.style)); };
    p.write_text = [](V& v, const std::string& s) { v.map.style = *parse_map_style(s); };
    t.push_back(std::move(p));
  }
  t.push_back(number("map.width", "width", "Map width", "units", kMapSideMin, kMapSideMax, [](V& v) -> auto& { return v.map.width; }));
  t.push_back(number("map.height", "height", "Map height", "units", kMapSideMin, kMapSideMax, [](V& v) -> auto& { return v.map.height; }));
  t.push_back(number("map.regions", "regions", "Voronoi regions", "", kMapRegionsMin, kMapRegionsMax,
                     [](V& v) -> auto& { return v.map.num_regions; }));
  t.push_back(number("map.obstacles", "obstacles", "Obstacles placed (fewer only if they cannot fit)", "", 0, kMapObstaclesMax,
                     [](V& v) -> auto& { return v.map.num_obstacles; }));
  t.push_back(number("map.circle_fraction", "circle share", "Share of obstacles that are circles (the rest are boxes)", "", 0, 1,
                     [](V& v) -> auto& { return v.map.circle_fraction; }));
  t.push_back(number("map.gates", "gates",
                     "Maze maps: doors closed by a gate, each closed with probability 0.5 per episode; the rooms stay joined "
                     "another way with every gate closed (fewer if the maze has fewer such doors; 0 on open maps)",
                     "", 0, kMapGatesMax, [](V& v) -> auto& { return v.map.num_gates; }));
}

// Training's parameters.
void add_train_params(std::vector<ParamSpec>& t) {
  using V = ParamValues;
  t.push_back(number("train.steps", "steps", "Level-1 optimiser steps for the encoder and predictor", "", 1, 1000000,
                     [](V& v) -> auto& { return v.train.steps; }));
  t.push_back(number("train.unroll", "unroll",
                     "Level-1 training: predictor steps unrolled per window in the joint phase and the polish (at most the "
                     "exploration sequences' length)",
                     "", 1, 64, [](V& v) -> auto& { return v.train.unroll; }));
  t.push_back(number("train.sequences", "sequences", "Exploration sequences collected", "", 10, 1000000,
                     [](V& v) -> auto& { return v.train.exploration.sequences; }));
  t.push_back(number("train.sequences_motion_ref", "data motion ref",
                     "Above this sigma_motion the exploration data grows as the square of the ratio: train.sequences x "
                     "(env.noise_motion / this)^2 are collected, at most 4x (noisier landings, noisier targets to average; "
                     "train --json exploration_sequences); 0 = always train.sequences",
                     "", 0, 10, [](V& v) -> auto& { return v.train.exploration.motion_ref; }));
  t.push_back(number("train.lr", "learning rate", "Level-1 Adam learning rate (a run that diverges stops with a message)", "",
                     1e-6, 1e6, [](V& v) -> auto& { return v.train.lr; }));
  t.push_back(number("train.polish_steps", "polish steps",
                     "Level-1 predictor-only optimiser steps on the frozen encoder after the joint phase (0 = none)", "", 0,
                     1000000, [](V& v) -> auto& { return v.train.polish_steps; }));
  t.push_back(number("train.polish_short_unroll", "short unroll",
                     "Level-1 polish: its first half of steps unrolls this many predictor steps (at most train.unroll), a "
                     "cheaper start (2: about the same 8-step error, about 16% less training time); 0 = train.unroll throughout",
                     "", 0, 64, [](V& v) -> auto& { return v.train.polish_short_unroll; }));
  t.push_back(number("train.polish_from_belief", "belief polish",
                     "Level-1 polish: the share of each batch's windows from which P1 learns its exploration sequence as the "
                     "agents hold it, the belief at the gain fitted on held-out data after the joint phase (train --json "
                     "belief.polish_gain); the rest learn from the raw encodings (0 = raw only, 1 = belief only)",
                     "", 0, 1, [](V& v) -> auto& { return v.train.polish_from_belief; }));
  t.push_back(number("train.head_steps", "head steps", "Optimiser steps for the colour head", "", 1, 1000000,
                     [](V& v) -> auto& { return v.train.head_steps; }));
  t.push_back(number("train.probe_steps", "probe steps",
                     "Optimiser steps for the position probe, which only draws and measures (no agent reads it)",
                     "", 1, 1000000, [](V& v) -> auto& { return v.train.probe_steps; }));
  t.push_back(number("train.distance_steps", "distance steps",
                     "Optimiser steps for level 2's encoder E2, the learned temporal distance", "", 1, 1000000,
                     [](V& v) -> auto& { return v.train2.distance_steps; }));
  t.push_back(number("train.level2_belief_gain", "level-2 belief gain",
                     "Level 2 learns from each exploration sequence's belief at this fixed gain (prediction + gain x the "
                     "encoder's correction), as the agents hold it; 1 = from the raw encodings",
                     "", 0.05, 1, [](V& v) -> auto& { return v.train2.belief_gain; }));
  t.push_back(number("train.level2_steps", "level-2 steps", "Optimiser steps for level 2's predictor P2 on the frozen E2", "", 1,
                     1000000, [](V& v) -> auto& { return v.train2.steps; }));
  t.push_back(number("train.z_values", "z values",
                     "K: values of P1's latent variable z, what the present does not determine (a gate open or closed), one per "
                     "exploration sequence by hard EM; 1 = no z",
                     "", 1, kMaxZValues, [](V& v) -> auto& { return v.train.z_values; }));
  {
    ParamSpec p;
    p.name = "train.z_source", p.label = "z source";
    p.help = "Where each exploration sequence's z comes from";
    p.choices = {"learned", "gates"};
    p.choice_help = {"hard EM, the model's own",
                     "privileged, for measuring the ceiling of what a z of the gates can predict: the episode's gate "
                     "configuration, bit g = gate g open; needs a map with gates and train.z_values >= 2^gates"};
    p.read_text = [](const V& v) { return std::string(v.train.z_from_gates ? "gates" : "learned"); };
    p.write_text = [](V& v, const std::string& s) { v.train.z_from_gates = s == "gates"; };
    t.push_back(std::move(p));
  }
  t.push_back(number("train.heldout_sequences", "held-out seqs",
                     "Held-out exploration sequences the diagnostics (probe R^2, k-step probe error, belief) are measured on; "
                     "more gives a steadier k-step probe error and never changes the model",
                     "", 10, 100000, [](V& v) -> auto& { return v.train.heldout_sequences; }));
  t.push_back(number("train.mode1.rounds", "mode-1 rounds",
                     "Mode-1 policy: DAgger rounds after the first imitation round (the policy acts, the planner labels "
                     "the states it visits)",
                     "", 0, 100, [](V& v) -> auto& { return v.train.mode1.rounds; }));
  t.push_back(number("train.mode1.episodes", "mode-1 episodes",
                     "Mode-1 policy: episodes per round on the training map, alternately the hjepa and the flat agent", "",
                     1, 10000, [](V& v) -> auto& { return v.train.mode1.episodes; }));
  t.push_back(number("train.mode1.heldout_episodes", "mode-1 held-out",
                     "Mode-1 policy: episodes of held-out states its imitation error is measured on", "", 1, 10000,
                     [](V& v) -> auto& { return v.train.mode1.heldout_episodes; }));
  t.push_back(number("train.mode1.episode_steps", "mode-1 ep steps", "Mode-1 policy: step limit of its training episodes",
                     "", 1, 100000, [](V& v) -> auto& { return v.train.mode1.episode_steps; }));
  t.push_back(number("train.mode1.steps", "mode-1 steps", "Mode-1 policy: optimiser steps after each round", "", 1, 1000000,
                     [](V& v) -> auto& { return v.train.mode1.steps; }));
  t.push_back(number("train.mode1.hidden", "mode-1 hidden", "Mode-1 policy: width of its two hidden layers", "", 1, 1024,
                     [](V& v) -> auto& { return v.train.mode1.hidden; }));
}

// The table in the order --help-config lists it: env, agent (planner, H-JEPA, oracle), map, train.
std::vector<ParamSpec> make_table() {
  std::vector<ParamSpec> t;
  add_env_params(t);
  add_planner_params(t);
  add_hjepa_params(t);
  add_oracle_params(t);
  add_map_params(t);
  add_train_params(t);
  return t;
}

// Applies one value when it suits the parameter; else returns what is wrong with it ("2 is out of range").
std::string apply_value(ParamValues& values, const ParamSpec& p, const ConfigJson& v) {
  if (!p.choices.empty()) {
    if (!v.is_string()) return describe_json(nlohmann::ordered_json(v)) + " is not text";
    const std::string s = v.get<std::string>();
    if (std::find(p.choices.begin(), p.choices.end(), s) == p.choices.end()) return "\"" + s + "\"";
    p.write_text(values, s);
    return "";
  }
  if (!v.is_number()) return describe_json(nlohmann::ordered_json(v)) + " is not a number";
  const double x = v.get<double>();
  if (p.integer && (!v.is_number_integer() && !v.is_number_unsigned()) && x != std::floor(x)) return num(x) + " is not an integer";
  if (!(std::isfinite(x) && x >= p.lo && x <= p.hi)) return num(x) + " is out of range";
  p.write(values, x);
  return "";
}

std::string apply_value(RunConfig& config, const ParamSpec& p, const ConfigJson& v) {
  ParamValues values;
  values.run = config;
  std::string problem = apply_value(values, p, v);
  if (problem.empty()) config = values.run;
  return problem;
}

// Nested objects and dotted keys, in the key order of nlohmann::json (sorted), as before the reader.
void apply_object(RunConfig& config, const ConfigJson& j, const std::string& prefix, const std::string& path, const JsonReader& rd) {
  for (const auto& item : j.items()) {
    const std::string key = prefix + item.key();
    const std::string at = member_path(path, item.key());
    if (item.value().is_object()) {
      apply_object(config, item.value(), key + ".", at, rd);
      continue;
    }
    const ParamSpec* p = find_run_param(key);
    if (!p) rd.refuse(at, "unknown parameter", "one of the names `hjepa bench --help-config` lists");
    if (const std::string problem = apply_value(config, *p, item.value()); !problem.empty()) rd.refuse(at, problem, p->range_text());
  }
}

}  // namespace

std::string ParamSpec::range_text() const {
  if (!choices.empty()) {
    std::string out = "one of ";
    for (size_t i = 0; i < choices.size(); ++i) out += (i ? ", " : "") + choices[i];
    return out;
  }
  return std::string(integer ? "an integer" : "a number") + " in [" + num(lo) + ", " + num(hi) + "]";
}

// The unit closes the first clause: "Distance moved per step when unobstructed, units",
// "The oracle planner's grid cell, units; smaller is more exact and slower".
std::string ParamSpec::help_text() const {
  if (!choice_help.empty()) {  // "Lead: a (what a does), b (...) or c (...)"
    std::string h = help + ": ";
    for (size_t i = 0; i < choices.size(); ++i)
      h += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + choices[i] + " (" + choice_help[i] + ")";
    return h;
  }
  if (unit.empty()) return help;
  const size_t clause = help.find("; ");
  if (clause == std::string::npos) return help + ", " + unit;
  return help.substr(0, clause) + ", " + unit + help.substr(clause);
}

std::string ParamSpec::choice_text(size_t i) const {
  const std::string text = i < choice_help.size() ? choice_help[i] : "";
  return i < choices.size() && choices[i] == default_text() ? text + " (the default)" : text;
}

std::string ParamSpec::default_text() const {
  const ParamValues defaults;
  if (!choices.empty()) return read_text(defaults);
  if (integer) return std::to_string(static_cast<long long>(read(defaults)));
  return num(read(defaults));
}

bool ParamSpec::is_run_param() const { return name.rfind("env.", 0) == 0 || name.rfind("agent.", 0) == 0; }

double ParamSpec::get(const RunConfig& c) const {
  ParamValues v;
  v.run = c;
  return read(v);
}
void ParamSpec::set(RunConfig& c, double x) const {
  ParamValues v;
  v.run = c;
  write(v, x);
  c = v.run;
}
std::string ParamSpec::get_text(const RunConfig& c) const {
  ParamValues v;
  v.run = c;
  return read_text(v);
}

const std::vector<ParamSpec>& params() {
  static const std::vector<ParamSpec> table = make_table();
  return table;
}

const ParamSpec* find_param(const std::string& name) {
  for (const ParamSpec& p : params())
    if (p.name == name) return &p;
  return nullptr;
}

const ParamSpec& declared(const std::string& name) {
  if (const ParamSpec* p = find_param(name)) return *p;
  throw std::logic_error("no parameter \"" + name + "\" in the table (agent/config.cpp)");
}

std::string number_text_problem(const std::string& text, bool integer, double lo, double hi) {
  char* end = nullptr;
  const double x = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || std::isnan(x)) return "\"" + text + "\" is not a number";
  if (integer && x != std::floor(x)) return text + " is not an integer";
  if (!(x >= lo && x <= hi)) return text + " is out of range";
  return "";
}

const std::vector<ParamSpec>& run_params() {
  static const std::vector<ParamSpec> table = [] {
    std::vector<ParamSpec> run;
    for (const ParamSpec& p : params())
      if (p.is_run_param()) run.push_back(p);
    return run;
  }();
  return table;
}

const ParamSpec* find_run_param(const std::string& name) {
  for (const ParamSpec& p : run_params())
    if (p.name == name) return &p;
  return nullptr;
}

namespace {

// "KEY=VALUE" for a parameter find() knows, written into values; throws ConfigError.
void apply_assignment(ParamValues& values, const std::string& assignment, const std::string& source,
                      const ParamSpec* (*find)(const std::string&)) {
  const size_t eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ConfigError(source + " \"" + assignment + "\": expected KEY=VALUE, e.g. agent.planner.horizon=12");
  const std::string key = assignment.substr(0, eq), text = assignment.substr(eq + 1);
  const ParamSpec* p = find(key);
  if (!p) throw ConfigError(source + " " + key + ": unknown parameter; expected one of the names `hjepa bench --help-config` lists");
  ConfigJson v;
  if (!p->choices.empty()) {
    v = text;
  } else {
    try {
      size_t used = 0;
      const double x = std::stod(text, &used);
      if (used != text.size()) throw std::invalid_argument("trailing text");
      v = x;
      if (p->integer && x == std::floor(x) && std::fabs(x) < 9e15) v = static_cast<int64_t>(x);
    } catch (const std::exception&) {
      throw ConfigError(source + " " + key + ": \"" + text + "\" is not a number; expected " + p->range_text());
    }
  }
  if (const std::string problem = apply_value(values, *p, v); !problem.empty())
    throw ConfigError(source + " " + key + ": " + problem + "; expected " + p->range_text());
}

const ParamSpec* find_train_param(const std::string& name) { return is_train_setting(name) ? find_param(name) : nullptr; }

}  // namespace

void apply_setting(RunConfig& config, const std::string& assignment, const std::string& source) {
  ParamValues values;
  values.run = config;
  apply_assignment(values, assignment, source, find_run_param);
  config = values.run;
}

bool is_train_setting(const std::string& assignment) { return assignment.rfind("train.", 0) == 0; }

void apply_param_setting(ParamValues& values, const std::string& assignment, const std::string& source) {
  apply_assignment(values, assignment, source, find_param);
}

void apply_train_setting(Level1TrainParams& train, Level2TrainParams& train2, const std::string& assignment,
                         const std::string& source) {
  ParamValues values;
  values.train = train;
  values.train2 = train2;
  apply_assignment(values, assignment, source, find_train_param);
  train = values.train;
  train2 = values.train2;
}

void apply_config_json(RunConfig& config, const ConfigJson& j, const std::string& source) {
  const JsonReader rd(source);
  RunConfig updated = config;  // all or nothing
  try {
    if (!j.is_object())
      rd.refuse("$", describe_json(nlohmann::ordered_json(j)) + " is not an object",
                "a JSON object of parameters (e.g. {\"agent\": {\"planner\": {\"horizon\": 12}}})");
    apply_object(updated, j, "", "$", rd);
  } catch (const JsonError& e) {
    throw ConfigError(e.what());
  }
  config = updated;
}

void apply_config_file(RunConfig& config, const std::string& path) {
  std::string text;
  if (!read_whole_file(path, text).empty()) throw ConfigError(path + ": cannot open file; expected a JSON config file");
  ConfigJson j;
  try {
    j = ConfigJson(JsonReader(path).parse(text, "a JSON object of parameters"));
  } catch (const JsonError& e) {
    throw ConfigError(e.what());
  }
  apply_config_json(config, j, path);
}

ConfigJson config_to_json(const RunConfig& config) {
  ConfigJson out = ConfigJson::object();
  for (const ParamSpec& p : run_params()) {
    ConfigJson* node = &out;
    std::string rest = p.name;
    for (size_t dot; (dot = rest.find('.')) != std::string::npos; rest = rest.substr(dot + 1)) node = &(*node)[rest.substr(0, dot)];
    if (!p.choices.empty()) (*node)[rest] = p.get_text(config);
    else if (p.integer) (*node)[rest] = static_cast<int64_t>(p.get(config));
    else (*node)[rest] = p.get(config);
  }
  return out;
}

}  // namespace hjepa
