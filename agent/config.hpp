// One declared name, valid range and help text for every env and agent parameter, shared by the
// CLI (--set agent.planner.horizon=12), JSON config files (--config FILE, nested objects with the
// same dotted names) and the desktop app's settings and sliders. Reading refuses unknown keys and
// out-of-range values with a message naming the source, the key, the value and the valid range.
#pragma once
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "agent/jepa/hjepa_agent.hpp"
#include "agent/oracle_agent.hpp"
#include "sim/env.hpp"

namespace hjepa {

// Everything an episode needs besides the map, the task and the model.
struct RunConfig {
  EnvParams env;
  std::string planner_type = "gradient";  // "gradient" or "cem"
  PlannerParams planner;
  HJepaParams hjepa;                      // hjepa.belief is also the flat agent's belief
  OracleAgentParams oracle;
};

struct ParamSpec {
  std::string name;   // dotted, e.g. "agent.planner.horizon"
  std::string help;   // one line, with the unit
  bool integer = false;
  double lo = 0, hi = 0;              // valid closed range (numbers)
  std::vector<std::string> choices;   // non-empty: a text parameter with these values
  std::function<double(const RunConfig&)> get;          // numbers
  std::function<void(RunConfig&, double)> set;          // numbers
  std::function<std::string(const RunConfig&)> get_text;  // text
  std::function<void(RunConfig&, const std::string&)> set_text;
  std::string range_text() const;  // "an integer in [1, 64]" / "one of gradient, cem"
};

// A parameter outside RunConfig with a declared range: the map generator's (map.*; the bounds are
// sim/map_gen.hpp's) and training's (train.*). `hjepa map` / `hjepa train` flags, suite files and
// the desktop app's sliders and settings all take their bounds from here.
struct DeclaredRange {
  std::string name;   // dotted, e.g. "train.lr"
  std::string help;   // one line, with the unit
  bool integer = false;
  double lo = 0, hi = 0;  // valid closed range (numbers)
  std::vector<std::string> choices = {};  // non-empty: a text parameter with these values (map.style)
  std::string range_text() const;  // "an integer in [1, 1e+06]" / "one of open, maze"
};
const std::vector<DeclaredRange>& map_param_ranges();
const std::vector<DeclaredRange>& train_param_ranges();
// "" when `text` is a number in [lo, hi] (an integer if `integer`), else what is wrong with it:
// "\"x\" is not a number", "1.5 is not an integer", "-3 is out of range". The CLI's flag checks
// and the app's test hook word their refusals with it.
std::string number_text_problem(const std::string& text, bool integer, double lo, double hi);

// Any declared parameter by name: run_params() (not text ones), map.* and train.*. Throws
// std::logic_error for a name nothing declares (a programming error, not a user one).
DeclaredRange declared(const std::string& name);

// A bad key or value; what() names the source, the key, the value and what was expected.
struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

const std::vector<ParamSpec>& run_params();
const ParamSpec* find_run_param(const std::string& name);  // nullptr when unknown

// "key=value" (from --set); throws ConfigError. source names it in messages (e.g. "--set").
void apply_setting(RunConfig& config, const std::string& assignment, const std::string& source);
// A JSON object with nested objects (or dotted keys); throws ConfigError naming source and key.
void apply_config_json(RunConfig& config, const nlohmann::json& j, const std::string& source);
// Reads and applies a config file; throws ConfigError (unreadable file, bad JSON, bad key/value).
void apply_config_file(RunConfig& config, const std::string& path);
// Every parameter as nested JSON (the format apply_config_json reads).
nlohmann::json config_to_json(const RunConfig& config);

}  // namespace hjepa
