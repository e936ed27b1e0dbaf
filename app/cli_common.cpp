// Shared CLI pieces: map choice, task and point parsing, all reporting user errors clearly.
#include "app/cli_common.hpp"

#include <charconv>

#include "agent/config.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sim/map_io.hpp"

namespace hjepa {

void add_map_options(CLI::App& cmd, MapChoice& choice, bool required) {
  auto* file = cmd.add_option("--map", choice.file, "Map file (hjepa-map/1 JSON)");
  auto* seed = cmd.add_option_function<uint64_t>(
                       "--map-seed", [&choice](const uint64_t& v) { choice.seed = v; }, "Generate the map from this seed (>= 0)")
                   ->check(seed_check());
  file->excludes(seed);
  for (CLI::Option* generator : add_generator_options(cmd, choice.params)) generator->excludes(file);
  (void)required;  // make_world reports a missing map with a clearer message than CLI11's
}

std::vector<CLI::Option*> add_generator_options(CLI::App& cmd, MapParams& mp) {
  // Map files refuse sides above kMapSideMax, so the table's ranges keep generated maps writable.
  return {add_param_option(cmd, "map.width", "--width", mp.width), add_param_option(cmd, "map.height", "--height", mp.height),
          add_param_option(cmd, "map.regions", "--regions", mp.num_regions),
          add_param_option(cmd, "map.obstacles", "--obstacles", mp.num_obstacles), add_style_option(cmd, mp),
          add_param_option(cmd, "map.gates", "--gates", mp.num_gates)};
}

int run_command(CLI::App& app, int argc, char** argv, const std::function<int()>& body) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "%s: %s; see '%s --help' for what is expected\n", app.get_name().c_str(), e.what(),
                 app.get_name().c_str());
    return 2;
  }
  try {
    return body();
  } catch (const UsageError& e) {
    std::fprintf(stderr, "%s: %s\n", app.get_name().c_str(), e.what());
    return 2;
  }
}

World make_world(const MapChoice& choice) {
  if (!choice.file.empty()) {
    try {
      return load_map(choice.file);
    } catch (const MapError& e) {
      throw UsageError(e.what());
    }
  }
  if (!choice.seed) throw UsageError("no map given; expected --map FILE or --map-seed N");
  return generate_map(*choice.seed, checked_map_params(choice.params));
}

const MapParams& checked_map_params(const MapParams& params) {
  if (const std::string problem = map_params_problem(params); !problem.empty())
    throw UsageError("--gates: " + problem);
  return params;
}

Task make_task(const std::string& text, const World& world) {
  Task task;
  const std::string err = parse_task(text, task);
  if (!err.empty()) throw UsageError("--task: " + err);
  if (const std::string problem = task_map_problem(task, world); !problem.empty()) throw UsageError("--task: " + problem);
  return task;
}

CLI::Validator number_check(bool integer, double lo, double hi) {
  std::string expected = integer ? "an integer" : "a number";
  char bounds[96];
  if (hi >= 1e18) {
    if (integer && lo == 0) expected = "a non-negative integer";
    else std::snprintf(bounds, sizeof bounds, " >= %g", lo), expected += bounds;
  } else {
    std::snprintf(bounds, sizeof bounds, " in [%g, %g]", lo, hi);
    expected += bounds;
  }
  return CLI::Validator(
      [integer, lo, hi, expected](std::string& text) -> std::string {
        const std::string problem = number_text_problem(text, integer, lo, hi);
        return problem.empty() ? "" : problem + "; expected " + expected;
      },
      expected);
}

CLI::Validator seed_check() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        uint64_t v = 0;
        const char* end = text.data() + text.size();
        if (const auto [p, ec] = std::from_chars(text.data(), end, v); ec == std::errc() && p == end) return "";
        std::string problem = number_text_problem(text, true, 0, 18446744073709551615.0);
        if (problem.empty()) problem = text + " is out of range";  // beyond 2^64 - 1 by less than a double resolves
        return problem + "; expected a non-negative integer below 2^64";
      },
      "a non-negative integer");
}

CLI::Validator declared_check(const std::string& name) {
  const ParamSpec& d = declared(name);
  return number_check(d.integer, d.lo, d.hi);
}

std::string param_flag_help(const std::string& name) {
  const ParamSpec& p = declared(name);
  return p.help_text() + " (default " + p.default_text() + ")";
}

CLI::Option* add_style_option(CLI::App& cmd, MapParams& params) {
  const ParamSpec& d = declared("map.style");
  const CLI::Validator known(
      [d](std::string& text) -> std::string {
        const bool ok = std::find(d.choices.begin(), d.choices.end(), text) != d.choices.end();
        return ok ? "" : "\"" + text + "\" is not a map style; expected " + d.range_text();
      },
      d.range_text());
  return cmd
      .add_option_function<std::string>(
          "--style", [&params](const std::string& name) { params.style = *parse_map_style(name); },
          param_flag_help("map.style"))
      ->check(known);
}

void add_env_options(CLI::App& cmd, EnvParams& p) {
  add_param_option(cmd, "env.noise_motion", "--noise-motion", p.noise_motion);
  add_param_option(cmd, "env.noise_perception", "--noise-perception", p.noise_perception);
  add_param_option(cmd, "env.noise_range", "--noise-range", p.noise_range);
  add_param_option(cmd, "env.step_length", "--step-length", p.step_length);
  add_param_option(cmd, "env.max_steps", "--max-steps", p.max_steps);
}

void apply_set_options(const std::vector<std::string>& settings, const std::function<bool(const std::string&)>& take,
                       RunConfig& run, Level1TrainParams* train, Level2TrainParams* train2, const std::string& refusal) {
  for (const std::string& s : settings) {
    if (!take(s)) throw UsageError("--set " + s + ": " + refusal);
    try {
      if (is_train_setting(s))
        apply_train_setting(*train, *train2, s, "--set");
      else
        apply_setting(run, s, "--set");
    } catch (const ConfigError& e) {
      throw UsageError(e.what());
    }
  }
}

Vec2 parse_point(const std::string& text, const std::string& flag) {
  const size_t comma = text.find(',');
  try {
    if (comma != std::string::npos) {
      size_t used1 = 0, used2 = 0;
      const std::string a = text.substr(0, comma), b = text.substr(comma + 1);
      const double x = std::stod(a, &used1), y = std::stod(b, &used2);
      if (used1 == a.size() && used2 == b.size() && std::isfinite(x) && std::isfinite(y)) return {x, y};
    }
  } catch (const std::exception&) {
  }
  throw UsageError(flag + ": \"" + text + "\" is not a point; expected X,Y (two numbers, e.g. 5,12.5)");
}

}  // namespace hjepa
