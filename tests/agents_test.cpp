// The agent table (app/agent_factory) and its callers: every listed agent has what the app shows
// (label, one line about it), make_agent builds it, it acts, and its read-only trace holds what its
// kind promises; the desktop app's Session (which lists agent_infos() in the Agent panel, accepts
// the same names from --agent and the settings file) builds and steps every one of them, and live
// parameter edits reach the running agent.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <set>
#include <string>

#include "agent/jepa/hjepa_agent.hpp"
#include "agent/jepa/places.hpp"
#include "agent/jepa/train_model.hpp"
#include "app/agent_factory.hpp"
#include "app/gui/agent_params.hpp"
#include "app/gui/param_settings.hpp"
#include "app/gui/session.hpp"
#include "sim/map_gen.hpp"
#include "sim/oracle.hpp"
#include "tiny_training.hpp"

using namespace hjepa;

namespace {

const World& test_world() {
  static const World world = generate_map(5);
  return world;
}

// A tiny model for test_world (quality does not matter, only that every agent can be built on it).
const std::shared_ptr<const ModelFile>& tiny_model() {
  static const std::shared_ptr<const ModelFile> model = [] {
    Level1Report r1;
    Level2Report r2;
    auto m = std::make_shared<const ModelFile>(train_model(test_world(), EnvParams{}, test::tiny_level1(40, 16),
                                                           test::tiny_level2(40, 3), 11, "agents_test", r1, r2));
    REQUIRE(r1.finite);
    REQUIRE(r2.finite);
    return m;
  }();
  return model;
}

// What every agent of a kind must publish through trace().
void check_trace(const AgentInfo& info, const AgentTrace& t) {
  CHECK((t.belief != nullptr) == info.needs_model);
  CHECK((t.plan != nullptr) == info.needs_model);
  CHECK((t.planner != nullptr) == info.needs_model);
  CHECK((t.hierarchy != nullptr) == info.hierarchical);
  CHECK((t.places != nullptr) == info.hierarchical);
  CHECK((t.place_graph != nullptr) == info.hierarchical);
  CHECK((t.first_high_plan != nullptr) == info.hierarchical);
  CHECK((t.oracle_path != nullptr) == info.oracle);  // oracle, oracle-sighted
  if (t.belief) CHECK(t.belief->s.allFinite());
}

}  // namespace

TEST_CASE("the agent table: names, labels and lines about each, in one order") {
  REQUIRE(agent_infos().size() == agent_names().size());
  std::set<std::string> names, labels;
  for (size_t i = 0; i < agent_infos().size(); ++i) {
    const AgentInfo& a = agent_infos()[i];
    CAPTURE(a.name);
    CHECK(agent_names()[i] == a.name);
    CHECK(is_agent_name(a.name));
    CHECK(agent_info(a.name) == &a);
    CHECK(std::string(a.label).size() > 0);
    CHECK(std::string(a.about).size() > 0);
    CHECK(agent_about(a.name) == a.about);
    CHECK(agent_needs_model(a.name) == a.needs_model);
    CHECK((!a.ablation || a.hierarchical));  // the ablations are hjepa variants
    CHECK(names.insert(a.name).second);
    CHECK(labels.insert(a.label).second);
  }
  // The app's labels for the base agents.
  CHECK(std::string(agent_info("hjepa")->label) == "H-JEPA (levels 1 + 2)");
  CHECK(std::string(agent_info("oracle")->label) == "oracle");
  for (const char* base : {"random", "oracle", "oracle-sighted", "flat", "hjepa"}) CHECK(!agent_info(base)->ablation);
  CHECK(agent_info("nobody") == nullptr);
  CHECK_FALSE(is_agent_name("nobody"));
}

TEST_CASE("make_agent builds every listed agent, and its trace holds what its kind promises") {
  const World& world = test_world();
  const Task task = default_task(world);
  const EnvParams env_params;
  for (const AgentInfo& info : agent_infos()) {
    CAPTURE(info.name);
    Env env(world, task, env_params);
    Observation obs = env.reset(3);
    AgentSetup setup(env, task, env_params, 3, info.needs_model ? tiny_model().get() : nullptr);
    const std::unique_ptr<Agent> agent = make_agent(info.name, setup);
    REQUIRE(agent);
    agent->reset(obs);
    for (int step = 0; step < 3 && !env.done(); ++step) {
      const double heading = agent->act(obs);
      REQUIRE(std::isfinite(heading));
      check_trace(info, agent->trace());
      obs = env.step(heading).obs;
    }
    // A live edit reaches the running agent.
    setup.planner_params.iterations = 3;
    set_agent_params(info.name, *agent, setup);
    if (const PlannerParams* p = agent->trace().planner) CHECK(p->iterations == 3);
  }
}

TEST_CASE("the app's session builds, steps and traces every listed agent through make_agent") {
  Session s;
  s.set_world(test_world(), "agents_test");
  s.task = default_task(*s.world);
  s.set_model(tiny_model(), "tiny");
  for (const AgentInfo& info : agent_infos()) {
    CAPTURE(info.name);
    s.agent_name = info.name;
    s.reset_episode();
    CAPTURE(s.problem);
    REQUIRE(s.agent);
    CHECK(s.problem.empty());
    CHECK(s.running());
    s.step_once();
    s.step_once();
    check_trace(info, s.agent_trace());
    s.refresh_traces();
    CHECK(s.level1_trace.valid == info.needs_model);
    // The place graph drawn is the one the agent plans over (the variants' places and graphs differ).
    if (info.hierarchical) {
      CHECK(s.place_graph.graph == s.agent_trace().place_graph);
      CHECK(s.place_graph.position.size() == static_cast<size_t>(s.agent_trace().places->size()));
    }
    // A live planner edit reaches the running agent without rebuilding it.
    const Agent* before = s.agent.get();
    s.planner_params.iterations = 4;
    s.apply_planner_params();
    CHECK(s.agent.get() == before);
    if (info.needs_model) CHECK(s.agent_trace().planner->iterations == 4);
    s.planner_params = PlannerParams{};
  }
  s.agent_name = "nobody";  // the CLI and the settings file refuse it first; the session says so
  s.reset_episode();
  CHECK_FALSE(s.agent);
  CHECK(s.problem.find("nobody") != std::string::npos);
}

TEST_CASE("the app's parameters are the table's: the Agent panel's layout names its parameters, the settings file reaches all") {
  // Every slider of the Agent panel edits a parameter of the table, of the table's kind, once; its
  // span lies within the table's range (label and help come from the table itself).
  Session s;
  std::set<std::string> keys;
  for_each_agent_param(s, [&](const AgentParam& p) {
    CAPTURE(p.key);
    const ParamSpec* spec = find_param(p.key);
    REQUIRE(spec);
    CHECK(spec->is_run_param());
    CHECK(keys.insert(p.key).second);
    CHECK((p.integer != nullptr) == spec->integer);
    CHECK((p.integer != nullptr) != (p.real != nullptr));
    CHECK((spec->lo <= p.lo && p.lo < p.hi && p.hi <= spec->hi));
    CHECK_FALSE(spec->label.empty());
    CHECK_FALSE(spec->help.empty());
  });

  // Every parameter of the table round-trips through the settings file under its own name: a value
  // other than the default for each (its other end of the range, or another choice) comes back.
  ParamValues changed;
  for (const ParamSpec& p : params()) {
    CAPTURE(p.name);
    CHECK_FALSE(p.label.empty());
    CHECK_FALSE(p.help.empty());
    if (!p.choices.empty()) {
      p.write_text(changed, p.choices.back() == p.read_text(changed) ? p.choices.front() : p.choices.back());
    } else {
      p.write(changed, p.read(changed) == p.hi ? p.lo : p.hi);
    }
  }
  JsonReader::Json root = JsonReader::Json::object();
  write_param_settings(changed, root);
  ParamValues read;
  std::vector<std::string> warnings;
  const std::vector<std::string> keys_read =
      read_param_settings(JsonReader("settings.json"), root, read, [&](const std::string& w) { warnings.push_back(w); });
  CHECK(warnings.empty());
  CHECK(keys_read.size() == params().size());
  for (const ParamSpec& p : params()) {
    CAPTURE(p.name);
    CHECK(root.contains(p.name));
    if (!p.choices.empty())
      CHECK(p.read_text(read) == p.read_text(changed));
    else
      CHECK(p.read(read) == p.read(changed));
    CHECK((p.choices.empty() ? p.read(read) != p.read(ParamValues{}) : p.read_text(read) != p.read_text(ParamValues{})));
  }

  // A value out of the table's range is refused with the table's range and keeps its value; an
  // older file's "agent.planner" still sets agent.planner.type.
  JsonReader::Json bad = {{"env.step_length", 0}, {"agent.planner", "cem"}};
  ParamValues kept;
  warnings.clear();
  read_param_settings(JsonReader("settings.json"), bad, kept, [&](const std::string& w) { warnings.push_back(w); });
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0] == "$[\"env.step_length\"]: 0 is out of range; expected a number in [0.01, 10]");
  CHECK(kept.run.env.step_length == EnvParams{}.step_length);
  CHECK(kept.run.planner_type == "cem");
}

TEST_CASE("the app's gate toggle changes the episode's state; the oracle agent and the reference path follow it") {
  MapParams mp;
  mp.style = MapStyle::Maze;
  mp.num_obstacles = 8;
  mp.num_gates = 4;
  Session s;
  s.set_world(generate_map(3007, mp), "gates");
  REQUIRE(s.world->gate_count() >= 1);
  s.task = default_task(*s.world);
  s.agent_name = "oracle";
  s.reset_episode();
  REQUIRE(s.running());
  for (int g = 0; g < s.world->gate_count(); ++g) {
    const bool was_open = s.gate_open(g);
    CHECK(s.set_gate_open(g, !was_open).empty());
    CHECK(s.gate_open(g) == !was_open);
  }
  const OpenGates now = s.env->state().open_gates;
  const OraclePath expected = plan_oracle(s.world->with_gates(now), s.env->state().position, s.task);
  CHECK(s.reference.length == doctest::Approx(expected.length));
  s.step_once();
  CHECK(s.env->state().open_gates == now);  // a step keeps the toggled state
  CHECK_FALSE(s.set_gate_open(s.world->gate_count(), true).empty());  // no such gate: a message, no change
  CHECK(s.env->state().open_gates == now);
  s.regenerate_map();  // the same map_params the session holds: open style, no gates
  CHECK(s.world->gate_count() == 0);
  s.map_params.num_gates = 2;  // on an open map: refused, the map kept
  const int version = s.world_version;
  CHECK(s.regenerate_map().find("map.gates 2 on an open map") == 0);
  CHECK(s.world_version == version);
}
