// The parameter table: one name, short label, default, valid range, unit and help text for every
// env.*, agent.*, map.* and train.* parameter. Every reader takes them from here: the CLI's flags and
// --help-config, --set and JSON config files (env.* and agent.*: nested objects with the same dotted
// names), suite files, the desktop app's sliders, tooltips and settings file. Ranges of the env and
// the map generator are sim/'s constants, so the modules' own checks accept exactly the table's.
// Reading refuses unknown keys and out-of-range values with a message naming the source, the key,
// the value and the valid range.
#pragma once
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "agent/jepa/hjepa_agent.hpp"
#include "agent/jepa/level1_training.hpp"
#include "agent/jepa/level2_training.hpp"
#include "agent/oracle_agent.hpp"
#include "sim/env.hpp"
#include "sim/map_gen.hpp"

namespace hjepa {

// Everything an episode needs besides the map, the task and the model.
struct RunConfig {
  EnvParams env;
  std::string planner_type = "gradient";  // "gradient" or "cem"
  // The low level of the commands, the app and Python: the Mode-1 policy's rollout seeding the
  // optimiser (agent.low.mode policy+planner; PlannerParams itself defaults to the optimiser alone).
  PlannerParams planner = {.mode = LowMode::PolicyPlanner};
  HJepaParams hjepa;                      // hjepa.belief is also the flat agent's belief
  OracleAgentParams oracle;
};

// Every value the table describes: an episode's (env.*, agent.*), the map generator's (map.*) and
// training's (train.*).
struct ParamValues {
  RunConfig run;
  MapParams map;
  Level1TrainParams train;
  Level2TrainParams train2;
};

struct ParamSpec {
  std::string name;   // dotted, e.g. "agent.planner.horizon"
  std::string label;  // the app's short label, e.g. "horizon"
  std::string help;   // one line: what it is and does (the unit is `unit`)
  std::string unit;   // "units", "radians", "steps", ... or "" (a count, a weight, a share)
  bool integer = false;
  double lo = 0, hi = 0;              // valid closed range (numbers)
  std::vector<std::string> choices;   // non-empty: a text parameter with these values
  std::vector<std::string> choice_help;  // a text parameter's: what each choice does (help_text lists them after `help`)
  std::function<double(const ParamValues&)> read;                    // numbers
  std::function<void(ParamValues&, double)> write;                   // numbers
  std::function<std::string(const ParamValues&)> read_text;         // text
  std::function<void(ParamValues&, const std::string&)> write_text;  // text

  std::string range_text() const;    // "an integer in [1, 64]" / "one of gradient, cem"
  std::string help_text() const;     // help with the unit: "Distance moved per step when unobstructed, units"; for a
                                     // text parameter with its choices: "Low-level planner: gradient (...) or cem (...)"
  std::string choice_text(size_t i) const;  // choice i's help, "(the default)" appended to the default's
  std::string default_text() const;  // the struct's default: "1", "0.05", "gradient"
  bool is_run_param() const;         // env.* or agent.*: in RunConfig, accepted by --set and config files
  // The value in a RunConfig (env.* and agent.* only).
  double get(const RunConfig& c) const;
  void set(RunConfig& c, double v) const;
  std::string get_text(const RunConfig& c) const;
};

// The whole table: env.*, agent.*, map.*, train.*, in that order.
const std::vector<ParamSpec>& params();
const ParamSpec* find_param(const std::string& name);  // nullptr when unknown
// Any parameter by name. Throws std::logic_error for a name nothing declares (a programming error,
// not a user one).
const ParamSpec& declared(const std::string& name);

// "" when `text` is a number in [lo, hi] (an integer if `integer`), else what is wrong with it:
// "\"x\" is not a number", "1.5 is not an integer", "-3 is out of range". The CLI's flag checks
// and the app's test hook word their refusals with it.
std::string number_text_problem(const std::string& text, bool integer, double lo, double hi);

// A bad key or value; what() names the source, the key, the value and what was expected.
struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The env.* and agent.* part of the table (what --set and config files accept).
const std::vector<ParamSpec>& run_params();
const ParamSpec* find_run_param(const std::string& name);  // nullptr when unknown or not a run parameter

// "key=value" (from --set); throws ConfigError. source names it in messages (e.g. "--set").
void apply_setting(RunConfig& config, const std::string& assignment, const std::string& source);
// "train.NAME=VALUE": a training parameter (bench's --set for the models of a suite); throws ConfigError.
bool is_train_setting(const std::string& assignment);
void apply_train_setting(Level1TrainParams& train, Level2TrainParams& train2, const std::string& assignment,
                         const std::string& source);
// "NAME=VALUE" for any parameter of the table (env.*, agent.*, map.*, train.*), with the same checks and
// messages as the two above; throws ConfigError. The Python module's keyword arguments go through it.
void apply_param_setting(ParamValues& values, const std::string& assignment, const std::string& source);
// A JSON object with nested objects (or dotted keys); throws ConfigError naming source and key.
void apply_config_json(RunConfig& config, const nlohmann::json& j, const std::string& source);
// Reads and applies a config file; throws ConfigError (unreadable file, bad JSON, bad key/value).
void apply_config_file(RunConfig& config, const std::string& path);
// Every parameter as nested JSON (the format apply_config_json reads).
nlohmann::json config_to_json(const RunConfig& config);

}  // namespace hjepa
