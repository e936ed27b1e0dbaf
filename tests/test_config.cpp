// The parameter table behind --config, --set and the app's settings: every default lies in its
// declared range, values round-trip through JSON, and bad keys or values are refused with a message
// naming the source, the key and the valid range.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "agent/config.hpp"
#include "agent/jepa/level1_training.hpp"
#include "agent/jepa/level2_training.hpp"
#include "sim/map_gen.hpp"
#include "fuzz_regressions.hpp"

using namespace hjepa;

namespace {

std::string refusal(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("every parameter has a unique name and its default inside its range") {
  const RunConfig defaults;
  std::set<std::string> names;
  for (const ParamSpec& p : run_params()) {
    CAPTURE(p.name);
    CHECK(names.insert(p.name).second);
    CHECK_FALSE(p.help.empty());
    if (!p.choices.empty()) {
      CHECK(std::find(p.choices.begin(), p.choices.end(), p.get_text(defaults)) != p.choices.end());
    } else {
      CHECK(p.lo <= p.hi);
      CHECK(p.get(defaults) >= p.lo);
      CHECK(p.get(defaults) <= p.hi);
    }
  }
  CHECK(find_run_param("agent.planner.horizon") != nullptr);
  CHECK(find_run_param("agent.planner") == nullptr);
}

TEST_CASE("every text parameter says what each of its choices does, once, in the table") {
  int text_params = 0;
  for (const ParamSpec& p : params()) {
    if (p.choices.empty()) continue;
    CAPTURE(p.name);
    ++text_params;
    REQUIRE(p.choice_help.size() == p.choices.size());
    const std::string help = p.help_text();
    CHECK(help.rfind(p.help + ": ", 0) == 0);  // the lead, then every choice with its help in order
    size_t at = 0;
    int defaults = 0;
    for (size_t i = 0; i < p.choices.size(); ++i) {
      CHECK_FALSE(p.choice_help[i].empty());
      at = help.find(p.choices[i] + " (" + p.choice_help[i] + ")", at);
      CHECK(at != std::string::npos);
      const std::string tip = p.choice_text(i);
      CHECK(tip.rfind(p.choice_help[i], 0) == 0);
      defaults += tip.size() > p.choice_help[i].size();  // "(the default)" appended
    }
    CHECK(defaults == 1);
  }
  CHECK(text_params >= 6);
  const ParamSpec* mode = find_param("agent.low.mode");
  REQUIRE(mode != nullptr);
  CHECK(mode->choice_text(0).find("(the default)") == std::string::npos);
  CHECK(mode->choice_text(2).find("(the default)") != std::string::npos);  // policy+planner
}

TEST_CASE("--set and config JSON change exactly the named parameter, and round-trip") {
  RunConfig c;
  apply_setting(c, "agent.planner.horizon=12", "--set");
  apply_setting(c, "env.noise_motion=0.2", "--set");
  apply_setting(c, "agent.planner.type=cem", "--set");
  CHECK(c.planner.horizon == 12);
  CHECK(c.env.noise_motion == 0.2);
  CHECK(c.planner_type == "cem");
  CHECK(c.planner.iterations == PlannerParams{}.iterations);

  RunConfig d;
  apply_config_json(d, config_to_json(c), "test");
  CHECK(config_to_json(d) == config_to_json(c));
  RunConfig e;  // dotted keys work as well as nested objects
  apply_config_json(e, nlohmann::json{{"agent.high.replan_period", 3}, {"agent", {{"belief", {{"gain", 0.25}}}}}}, "test");
  CHECK(e.hjepa.high.replan_period == 3);
  CHECK(e.hjepa.belief.gain == 0.25);
}

TEST_CASE("unknown keys, wrong types and values out of range are refused") {
  RunConfig c;
  std::string m = refusal([&] { apply_setting(c, "agent.planner.horizon=0", "--set"); });
  CHECK(m.find("--set agent.planner.horizon: 0 is out of range; expected an integer in [1, 64]") != std::string::npos);
  m = refusal([&] { apply_setting(c, "agent.planner.horizon=2.5", "--set"); });
  CHECK(m.find("is not an integer") != std::string::npos);
  m = refusal([&] { apply_setting(c, "agent.planner.horizon=many", "--set"); });
  CHECK(m.find("\"many\" is not a number") != std::string::npos);
  m = refusal([&] { apply_setting(c, "agent.planner.type=adam", "--set"); });
  CHECK(m.find("expected one of gradient, cem") != std::string::npos);
  m = refusal([&] { apply_setting(c, "horizon", "--set"); });
  CHECK(m.find("expected KEY=VALUE") != std::string::npos);
  m = refusal([&] { apply_config_json(c, nlohmann::json{{"agent", {{"planer", {{"horizon", 3}}}}}}, "cfg.json"); });
  CHECK(m.find("cfg.json: $.agent.planer.horizon: unknown parameter") != std::string::npos);
  m = refusal([&] { apply_config_json(c, nlohmann::json{{"env", {{"noise_motion", -1}}}}, "cfg.json"); });
  CHECK(m.find("cfg.json: $.env.noise_motion: -1 is out of range; expected a number in [0, 10]") != std::string::npos);
  m = refusal([&] { apply_config_json(c, nlohmann::json::array(), "cfg.json"); });
  CHECK(m.find("expected a JSON object") != std::string::npos);
  m = refusal([&] { apply_config_json(c, nlohmann::json{{"agent", {{"planner", {{"type", 3}}}}}}, "cfg.json"); });
  CHECK(m.find("cfg.json: $.agent.planner.type: 3 is not text; expected one of gradient, cem") != std::string::npos);
  m = refusal([&] { apply_config_file(c, "/nonexistent/cfg.json"); });
  CHECK(m.find("/nonexistent/cfg.json: cannot open file") != std::string::npos);
  m = refusal([&] { apply_config_json(c, nlohmann::json{{"agent.planner.horizon", 5}, {"env.ray_max", 0}}, "cfg.json"); });
  CHECK(m.find("cfg.json: $[\"env.ray_max\"]: 0 is out of range") != std::string::npos);
  CHECK(config_to_json(c) == config_to_json(RunConfig{}));  // a refused file changes nothing
}

TEST_CASE("config files: a key twice, broken JSON and a bad value are refused at their JSON path") {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("hjepa_test_config_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto refusal_of_file = [&](const std::string& text) {
    const std::string path = (dir / "cfg.json").string();
    std::ofstream(path) << text;
    RunConfig c;
    const std::string m = refusal([&] { apply_config_file(c, path); });
    CHECK(config_to_json(c) == config_to_json(RunConfig{}));
    return m.substr(m.find("cfg.json"));
  };
  CHECK(refusal_of_file(R"({"agent": {"planner": {"horizon": 4, "horizon": 5}}})") ==
        "cfg.json: $.agent.planner.horizon: duplicate key; expected each key at most once");
  CHECK(refusal_of_file(R"({"agent": )").rfind("cfg.json: $: not valid JSON (parse error at byte ", 0) == 0);
  CHECK(refusal_of_file(R"({"agent": {"belief": {"gain": 2}}})") ==
        "cfg.json: $.agent.belief.gain: 2 is out of range; expected a number in [0, 1]");
  std::filesystem::remove_all(dir);
}

TEST_CASE("inputs found by fuzzing (tests/data/fuzz/config) are applied or refused with ConfigError") {
  // As in tests/fuzz/fuzz_config.cpp: first byte even = a JSON config object, odd = one --set.
  for (const auto& [name, bytes] : hjepa::test::fuzz_regressions("config")) {
    CAPTURE(name);
    if (bytes.empty()) continue;
    const std::string text = bytes.substr(1);
    RunConfig c;
    try {
      if (bytes[0] % 2 == 0) {
        const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
        if (!j.is_discarded()) apply_config_json(c, j, name);
      } else {
        apply_setting(c, text, "--set");
      }
    } catch (const ConfigError&) {
    }
    for (const ParamSpec& p : run_params())
      if (p.choices.empty()) CHECK((p.get(c) >= p.lo && p.get(c) <= p.hi));
  }
}

TEST_CASE("map.* and train.* are declared once, with their defaults inside their ranges") {
  const MapParams mp;
  const Level1TrainParams tp;
  const Level2TrainParams tp2;
  const std::vector<std::pair<std::string, double>> defaults = {
      {"map.width", mp.width}, {"map.height", mp.height}, {"map.regions", mp.num_regions},
      {"map.obstacles", mp.num_obstacles}, {"map.circle_fraction", mp.circle_fraction}, {"map.gates", mp.num_gates},
      {"train.steps", tp.steps}, {"train.unroll", tp.unroll},
      {"train.sequences", tp.exploration.sequences}, {"train.sequences_motion_ref", tp.exploration.motion_ref}, {"train.lr", tp.lr}, {"train.head_steps", tp.head_steps},
      {"train.polish_steps", tp.polish_steps}, {"train.polish_short_unroll", tp.polish_short_unroll},
      {"train.polish_from_belief", tp.polish_from_belief}, {"train.probe_steps", tp.probe_steps},
      {"train.distance_steps", tp2.distance_steps}, {"train.level2_steps", tp2.steps},
      {"train.level2_belief_gain", tp2.belief_gain},
      {"train.z_values", tp.z_values}, {"train.heldout_sequences", tp.heldout_sequences},
      {"train.mode1.rounds", tp.mode1.rounds}, {"train.mode1.episodes", tp.mode1.episodes},
      {"train.mode1.heldout_episodes", tp.mode1.heldout_episodes}, {"train.mode1.episode_steps", tp.mode1.episode_steps},
      {"train.mode1.steps", tp.mode1.steps}, {"train.mode1.hidden", tp.mode1.hidden}};
  std::set<std::string> names;
  for (const ParamSpec& p : run_params()) names.insert(p.name);
  size_t declared_count = 0;
  for (const ParamSpec& d : params()) {
    if (d.is_run_param()) continue;
    CAPTURE(d.name);
    CHECK(names.insert(d.name).second);  // unique across the table
    CHECK((d.choices.empty() ? d.lo < d.hi : !d.integer));
    declared_count += d.choices.empty();
  }
  CHECK(declared_count == defaults.size());
  // The one text parameter among them: map.style, whose default is the first choice.
  const ParamSpec& style = declared("map.style");
  REQUIRE(style.choices.size() == 2);
  CHECK(style.choices[0] == map_style_name(mp.style));
  CHECK(style.choices[1] == "maze");
  CHECK(style.range_text() == "one of open, maze");
  CHECK(style.default_text() == "open");
  for (const auto& [name, value] : defaults) {
    CAPTURE(name);
    const ParamSpec& d = declared(name);
    CHECK(d.name == name);
    CHECK((value >= d.lo && value <= d.hi));
    CHECK(d.read(ParamValues{}) == value);  // the default is the struct's
  }
  // run_params' numbers are found through the same lookup, with the same bounds.
  const ParamSpec& h = declared("agent.planner.horizon");
  CHECK(h.integer);
  CHECK(h.lo == find_run_param("agent.planner.horizon")->lo);
  CHECK(declared("map.regions").range_text() == "an integer in [6, 16]");
  CHECK_THROWS_AS(declared("no.such.parameter"), std::logic_error);
  CHECK_THROWS_AS(declared("agent.planner"), std::logic_error);  // the planner's type is agent.planner.type
}

TEST_CASE("--set and config files reach every env.* and agent.* parameter of the table, and nothing else") {
  for (const ParamSpec& p : params()) {
    CAPTURE(p.name);
    CHECK((find_run_param(p.name) != nullptr) == p.is_run_param());
    if (!p.is_run_param()) {
      RunConfig c;
      CHECK_THROWS_AS(apply_setting(c, p.name + "=" + (p.choices.empty() ? "1" : p.choices.front()), "--set"), ConfigError);
      continue;
    }
    // The end of the range (or the choice) farthest from the default, by --set and by a config file.
    RunConfig by_set, by_file;
    std::string value;
    if (!p.choices.empty()) {
      value = p.choices.back() == p.get_text(by_set) ? p.choices.front() : p.choices.back();
      apply_config_json(by_file, nlohmann::json{{p.name, value}}, "cfg.json");
    } else {
      const double x = p.get(by_set) == p.hi ? p.lo : p.hi;
      char text[64];
      std::snprintf(text, sizeof text, "%.17g", x);
      value = text;
      apply_config_json(by_file, nlohmann::json{{p.name, x}}, "cfg.json");
    }
    apply_setting(by_set, p.name + "=" + value, "--set");
    CHECK(config_to_json(by_set) == config_to_json(by_file));
    CHECK(config_to_json(by_set) != config_to_json(RunConfig{}));
    if (p.choices.empty()) CHECK(p.get(by_set) == std::strtod(value.c_str(), nullptr));
    else CHECK(p.get_text(by_set) == value);
  }
}

TEST_CASE("Env accepts exactly the table's env.* ranges") {
  const World world = generate_map(1);
  Task task;
  REQUIRE(parse_task(std::string(color_name(world.regions[0].color)), task).empty());
  for (const ParamSpec& p : params()) {
    if (p.name.rfind("env.", 0) != 0) continue;
    CAPTURE(p.name);
    const double step = p.integer ? 1 : std::max(1e-9, (p.hi - p.lo) * 1e-6);
    for (const auto& [value, ok] : {std::pair{p.lo, true}, {p.hi, true}, {p.lo - step, false}, {p.hi + step, false}}) {
      CAPTURE(value);
      RunConfig c;
      p.set(c, value);
      const std::string field = p.name.substr(4) + " ";  // Env's message names the field: "step_length 0; expected ..."
      if (ok)
        CHECK_NOTHROW(Env(world, task, c.env));
      else
        CHECK_THROWS_WITH_AS(Env(world, task, c.env), doctest::Contains(field.c_str()), std::invalid_argument);
    }
  }
}
