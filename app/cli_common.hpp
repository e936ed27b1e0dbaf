// Pieces shared by the CLI commands: user errors (UsageError, exit status 2), map and task selection,
// and the option groups several commands take. Only the commands and main.cpp include it (CLI11).
#pragma once
#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "agent/config.hpp"
#include "app/usage_error.hpp"
#include "sim/env.hpp"
#include "sim/map_gen.hpp"
#include "sim/world.hpp"

namespace hjepa {

struct MapChoice {
  std::string file;    // --map FILE
  std::optional<uint64_t> seed;  // --map-seed N (any 64-bit seed)
  MapParams params;    // generator parameters for --map-seed
};
// --map FILE or --map-seed N with the generator's flags (add_generator_options), which exclude --map.
void add_map_options(CLI::App& cmd, MapChoice& choice, bool required);
// The generator's flags from the table (map.*): --width, --height, --regions, --obstacles, --style,
// --gates. Returns them (add_map_options makes each exclude --map).
std::vector<CLI::Option*> add_generator_options(CLI::App& cmd, MapParams& params);
// Loads or generates the map; throws UsageError.
World make_world(const MapChoice& choice);
// `params` if the generator accepts them (map_params_problem), else a UsageError naming --gates.
const MapParams& checked_map_params(const MapParams& params);

// Parses a task and checks every colour is on the map; throws UsageError.
Task make_task(const std::string& text, const World& world);
// Parses "X,Y"; throws UsageError.
Vec2 parse_point(const std::string& text, const std::string& flag);

// Parses argv into app and runs body; --help exits 0, parse errors and UsageError exit 2.
int run_command(CLI::App& app, int argc, char** argv, const std::function<int()>& body);
// Adds the EnvParams flags (--noise-motion, --noise-perception, --max-steps, ...).
void add_env_options(CLI::App& cmd, EnvParams& params);
// --set NAME=VALUE assignments, in order, through the parameter table: an assignment the command does
// not `take` is a UsageError ("--set ASSIGNMENT: " + refusal); train.* go into train and train2, the
// rest into run. Unknown names and bad values are UsageErrors with the table's message.
void apply_set_options(const std::vector<std::string>& settings, const std::function<bool(const std::string&)>& take,
                       RunConfig& run, Level1TrainParams* train, Level2TrainParams* train2, const std::string& refusal);
// A flag's number check with one wording everywhere: "\"x\" is not a number; expected an integer
// in [1, 256]" / "-1 is out of range; expected a number in [0, 10]". An upper bound of 1e18 or more
// reads "a non-negative integer" / "a number >= lo".
CLI::Validator number_check(bool integer, double lo, double hi);
// A seed flag: any non-negative integer ("a non-negative integer").
// A seed flag: any integer in [0, 2^64 - 1] (bench draws episode seeds over all 64 bits), parsed exactly.
CLI::Validator seed_check();
// The check for a flag bound to a parameter of the table (agent/config.hpp's declared(name)).
CLI::Validator declared_check(const std::string& name);
// A flag's help for the table's parameter `name`: its help text, unit and default,
// "Std of the Gaussian noise on the landing point, units (default 0.05)".
std::string param_flag_help(const std::string& name);
// A flag bound to the table's parameter `name` (e.g. add_param_option(app, "env.noise_motion",
// "--noise-motion", params.noise_motion)): help, default and range check all from the table.
template <class T>
CLI::Option* add_param_option(CLI::App& cmd, const std::string& name, const std::string& flag, T& field) {
  return cmd.add_option(flag, field, param_flag_help(name))->check(declared_check(name));
}
// --style (map.style): the generator's layout, open or maze.
CLI::Option* add_style_option(CLI::App& cmd, MapParams& params);

int cmd_run(int argc, char** argv);
int cmd_map(int argc, char** argv);
int cmd_perf(int argc, char** argv);
int cmd_gui(int argc, char** argv);
int cmd_train(int argc, char** argv);
int cmd_bench(int argc, char** argv);

}  // namespace hjepa
