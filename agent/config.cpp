// The parameter table and the readers of --set and config files (see config.hpp).
#include "agent/config.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>

#include "sim/atomic_file.hpp"
#include "sim/json_reader.hpp"
#include "sim/map_gen.hpp"

namespace hjepa {
namespace {

using Json = nlohmann::json;

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// A number parameter bound to one field through a member-access function.
template <typename Field>
ParamSpec number(std::string name, std::string help, double lo, double hi, Field RunConfig::*group, double Field::*field) {
  ParamSpec p{std::move(name), std::move(help), false, lo, hi, {}, {}, {}, {}, {}};
  p.get = [group, field](const RunConfig& c) { return c.*group.*field; };
  p.set = [group, field](RunConfig& c, double v) { c.*group.*field = v; };
  return p;
}
template <typename Field>
ParamSpec integer(std::string name, std::string help, int lo, int hi, Field RunConfig::*group, int Field::*field) {
  ParamSpec p{std::move(name), std::move(help), true, static_cast<double>(lo), static_cast<double>(hi), {}, {}, {}, {}, {}};
  p.get = [group, field](const RunConfig& c) { return static_cast<double>(c.*group.*field); };
  p.set = [group, field](RunConfig& c, double v) { c.*group.*field = static_cast<int>(v); };
  return p;
}

std::vector<ParamSpec> make_table() {
  using C = RunConfig;
  std::vector<ParamSpec> t;
  // env
  t.push_back(number("env.step_length", "distance moved per step when unobstructed, units", 0.01, 10, &C::env, &EnvParams::step_length));
  t.push_back(number("env.noise_motion", "std of Gaussian noise on the landing point, units", 0, 10, &C::env, &EnvParams::noise_motion));
  t.push_back(number("env.noise_perception", "std of Gaussian noise on the perceived position, units", 0, 10, &C::env,
                     &EnvParams::noise_perception));
  t.push_back(number("env.noise_range", "std of Gaussian noise on each range reading, units", 0, 10, &C::env, &EnvParams::noise_range));
  t.push_back(integer("env.num_rays", "range-ring rays (model-based agents need the count they were trained with)", 0, kMaxRays,
                      &C::env, &EnvParams::num_rays));
  t.push_back(number("env.ray_max", "longest range reading, units", 0.5, 50, &C::env, &EnvParams::ray_max));
  t.push_back(integer("env.max_steps", "step limit; 0 = auto (2 ceil((W+H)/step) x task length)", 0, 1000000, &C::env,
                      &EnvParams::max_steps));
  // the low-level planner
  {
    ParamSpec p{"agent.planner.type", "low-level planner: gradient (Adam on the angles) or cem", false, 0, 0,
                {"gradient", "cem"}, {}, {}, {}, {}};
    p.get_text = [](const RunConfig& c) { return c.planner_type; };
    p.set_text = [](RunConfig& c, const std::string& v) { c.planner_type = v; };
    t.push_back(std::move(p));
  }
  t.push_back(integer("agent.planner.horizon", "headings optimised (H)", 1, 64, &C::planner, &PlannerParams::horizon));
  t.push_back(integer("agent.planner.iterations", "optimiser iterations per agent step", 1, 500, &C::planner, &PlannerParams::iterations));
  t.push_back(integer("agent.planner.restarts", "candidate plans optimised together (R)", 1, 256, &C::planner, &PlannerParams::restarts));
  t.push_back(number("agent.planner.lr", "Adam step on the angles, radians", 1e-4, 5, &C::planner, &PlannerParams::lr));
  t.push_back(number("agent.planner.goal_weight", "weight of the squared latent distance to the subgoal", 0, 1000, &C::planner,
                     &PlannerParams::goal_weight));
  t.push_back(number("agent.planner.colour_weight", "weight of -log p(next colour)", 0, 1000, &C::planner, &PlannerParams::colour_weight));
  t.push_back(number("agent.planner.terminal_weight", "extra multiple of the cost at the last step", 0, 1000, &C::planner,
                     &PlannerParams::terminal_weight));
  t.push_back(integer("agent.planner.cem_samples", "CEM: samples per iteration", 2, 4096, &C::planner, &PlannerParams::cem_samples));
  t.push_back(integer("agent.planner.cem_elites", "CEM: elites kept per iteration", 1, 4096, &C::planner, &PlannerParams::cem_elites));
  // belief, level 2 and the watches
  {
    ParamSpec p{"agent.belief.gain", "weight of the encoder's reading against the predictor's expectation", false, 0, 1, {}, {}, {}, {}, {}};
    p.get = [](const RunConfig& c) { return c.hjepa.belief.gain; };
    p.set = [](RunConfig& c, double v) { c.hjepa.belief.gain = v; };
    t.push_back(std::move(p));
  }
  auto hjepa_number = [&](std::string name, std::string help, bool is_int, double lo, double hi, auto field_ref) {
    ParamSpec p{std::move(name), std::move(help), is_int, lo, hi, {}, {}, {}, {}, {}};
    p.get = [field_ref](const RunConfig& c) { return static_cast<double>(field_ref(const_cast<RunConfig&>(c))); };
    p.set = [field_ref, is_int](RunConfig& c, double v) {
      using F = std::remove_reference_t<decltype(field_ref(c))>;
      field_ref(c) = static_cast<F>(is_int ? std::round(v) : v);
    };
    t.push_back(std::move(p));
  };
  hjepa_number("agent.high.colour_threshold", "a place offers a colour at or above this mean probability", false, 0.01, 1,
               [](RunConfig& c) -> double& { return c.hjepa.high.colour_threshold; });
  hjepa_number("agent.high.replan_period", "level 2 replans at least every this many steps (0 = only on events)", true, 0, 10000,
               [](RunConfig& c) -> int& { return c.hjepa.high.replan_period; });
  hjepa_number("agent.watch.stuck_window", "steps the stuck watch compares", true, 2, kMaxStuckWindow,
               [](RunConfig& c) -> int& { return c.hjepa.stuck_window; });
  hjepa_number("agent.watch.stuck_ratio", "stuck when readings moved less than this x the predicted motion (0 = off)", false, 0, 1,
               [](RunConfig& c) -> double& { return c.hjepa.stuck_ratio; });
  hjepa_number("agent.watch.stuck_penalty", "predicted steps added to a blocked place-graph edge", false, 0, 10000,
               [](RunConfig& c) -> double& { return c.hjepa.stuck_penalty; });
  hjepa_number("agent.watch.escape_steps", "side steps after getting stuck", true, 0, 50,
               [](RunConfig& c) -> int& { return c.hjepa.escape_steps; });
  hjepa_number("agent.watch.offer_patience", "steps in a place that should show the next colour before the offer is refuted (0 = off)", true, 0,
               1000, [](RunConfig& c) -> int& { return c.hjepa.offer_patience; });
  // the oracle agent
  hjepa_number("agent.oracle.replan_distance", "the oracle agent replans this far off its path, units", false, 0.05, 10,
               [](RunConfig& c) -> double& { return c.oracle.replan_distance; });
  hjepa_number("agent.oracle.cell", "the oracle's grid cell, units", false, 0.02, 2,
               [](RunConfig& c) -> double& { return c.oracle.oracle.cell; });
  return t;
}

// Applies one value when it suits the parameter; else returns what is wrong with it ("2 is out of range").
std::string apply_value(RunConfig& config, const ParamSpec& p, const Json& v) {
  if (!p.choices.empty()) {
    if (!v.is_string()) return describe_json(nlohmann::ordered_json(v)) + " is not text";
    const std::string s = v.get<std::string>();
    if (std::find(p.choices.begin(), p.choices.end(), s) == p.choices.end()) return "\"" + s + "\"";
    p.set_text(config, s);
    return "";
  }
  if (!v.is_number()) return describe_json(nlohmann::ordered_json(v)) + " is not a number";
  const double x = v.get<double>();
  if (p.integer && (!v.is_number_integer() && !v.is_number_unsigned()) && x != std::floor(x)) return num(x) + " is not an integer";
  if (!(std::isfinite(x) && x >= p.lo && x <= p.hi)) return num(x) + " is out of range";
  p.set(config, x);
  return "";
}

// Nested objects and dotted keys, in the key order of nlohmann::json (sorted), as before the reader.
void apply_object(RunConfig& config, const Json& j, const std::string& prefix, const std::string& path, const JsonReader& rd) {
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

std::string DeclaredRange::range_text() const {
  if (!choices.empty()) {
    std::string out = "one of ";
    for (size_t i = 0; i < choices.size(); ++i) out += (i ? ", " : "") + choices[i];
    return out;
  }
  return std::string(integer ? "an integer" : "a number") + " in [" + num(lo) + ", " + num(hi) + "]";
}

const std::vector<DeclaredRange>& map_param_ranges() {
  static const std::vector<DeclaredRange> table = {
      {"map.width", "map width, units", false, kMapSideMin, kMapSideMax},
      {"map.height", "map height, units", false, kMapSideMin, kMapSideMax},
      {"map.regions", "Voronoi regions", true, kMapRegionsMin, kMapRegionsMax},
      {"map.obstacles", "obstacles placed (fewer only if they cannot fit)", true, 0, kMapObstaclesMax},
      {"map.circle_fraction", "share of obstacles that are circles (the rest are boxes)", false, 0, 1},
      {"map.style", "layout: open (regions and scattered obstacles) or maze (walled rooms joined by doors)", false, 0, 0,
       std::vector<std::string>(std::begin(kMapStyleNames), std::end(kMapStyleNames))},
  };
  return table;
}

const std::vector<DeclaredRange>& train_param_ranges() {
  static const std::vector<DeclaredRange> table = {
      {"train.steps", "level-1 optimiser steps (encoder and predictor)", true, 1, 1000000},
      {"train.sequences", "exploration sequences collected", true, 10, 1000000},
      {"train.lr", "level-1 Adam learning rate (a run that diverges stops with a message)", false, 1e-6, 1e6},
      {"train.polish_steps", "level-1 predictor-only optimiser steps on the frozen encoder after the joint phase (0 = none)", true, 0, 1000000},
      {"train.head_steps", "optimiser steps for the colour head", true, 1, 1000000},
      {"train.probe_steps", "optimiser steps for the position probe (drawing and measuring only)", true, 1, 1000000},
      {"train.distance_steps", "level-2 E2 optimiser steps (the temporal distance, before P2)", true, 1, 1000000},
      {"train.level2_steps", "level-2 P2 optimiser steps (on the frozen E2)", true, 1, 1000000},
      {"train.heldout_sequences", "held-out exploration sequences the diagnostics (probe R^2, k-step probe error, belief) are measured on", true, 10, 100000},
  };
  return table;
}

std::string number_text_problem(const std::string& text, bool integer, double lo, double hi) {
  char* end = nullptr;
  const double x = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || std::isnan(x)) return "\"" + text + "\" is not a number";
  if (integer && x != std::floor(x)) return text + " is not an integer";
  if (!(x >= lo && x <= hi)) return text + " is out of range";
  return "";
}

DeclaredRange declared(const std::string& name) {
  if (const ParamSpec* p = find_run_param(name); p && p->choices.empty()) return {p->name, p->help, p->integer, p->lo, p->hi};
  for (const auto* table : {&map_param_ranges(), &train_param_ranges()})
    for (const DeclaredRange& d : *table)
      if (d.name == name) return d;
  throw std::logic_error("no declared range for parameter \"" + name + "\"");
}

const std::vector<ParamSpec>& run_params() {
  static const std::vector<ParamSpec> table = make_table();
  return table;
}

const ParamSpec* find_run_param(const std::string& name) {
  for (const ParamSpec& p : run_params())
    if (p.name == name) return &p;
  return nullptr;
}

void apply_setting(RunConfig& config, const std::string& assignment, const std::string& source) {
  const size_t eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ConfigError(source + " \"" + assignment + "\": expected KEY=VALUE, e.g. agent.planner.horizon=12");
  const std::string key = assignment.substr(0, eq), text = assignment.substr(eq + 1);
  const ParamSpec* p = find_run_param(key);
  if (!p) throw ConfigError(source + " " + key + ": unknown parameter; expected one of the names `hjepa bench --help-config` lists");
  Json v;
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
  if (const std::string problem = apply_value(config, *p, v); !problem.empty())
    throw ConfigError(source + " " + key + ": " + problem + "; expected " + p->range_text());
}

void apply_config_json(RunConfig& config, const Json& j, const std::string& source) {
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
  Json j;
  try {
    j = Json(JsonReader(path).parse(text, "a JSON object of parameters"));
  } catch (const JsonError& e) {
    throw ConfigError(e.what());
  }
  apply_config_json(config, j, path);
}

Json config_to_json(const RunConfig& config) {
  Json out = Json::object();
  for (const ParamSpec& p : run_params()) {
    Json* node = &out;
    std::string rest = p.name;
    for (size_t dot; (dot = rest.find('.')) != std::string::npos; rest = rest.substr(dot + 1)) node = &(*node)[rest.substr(0, dot)];
    if (!p.choices.empty()) (*node)[rest] = p.get_text(config);
    else if (p.integer) (*node)[rest] = static_cast<int64_t>(p.get(config));
    else (*node)[rest] = p.get(config);
  }
  return out;
}

}  // namespace hjepa
