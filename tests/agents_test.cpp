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
  CHECK((t.oracle_path != nullptr) == (std::string(info.name) == "oracle"));
  if (t.belief) CHECK(t.belief->allFinite());
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
  for (const char* base : {"random", "oracle", "flat", "hjepa"}) CHECK(!agent_info(base)->ablation);
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
