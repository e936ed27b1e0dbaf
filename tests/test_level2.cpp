// Level 2 and the hierarchical agent: the level-2 loss gradient (finite differences, double); the
// high-level planner on a hand-made place graph (routing through an intermediate colour, repeats,
// refuted offers, no path); and on a walled map it trained on: no place-graph edge through the
// wall, a plan around it, recovery after being pushed off the plan, a trace consistent with the
// actions taken.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "agent/jepa/hjepa_agent.hpp"
#include "agent/jepa/level2_loss.hpp"
#include "agent/jepa/train_model.hpp"
#include "agent/nn/optim.hpp"

using namespace hjepa;

TEST_CASE("level-2 loss: every parameter gradient matches finite differences") {
  using M = nn::Mat<double>;
  Rng rng(4);
  const int D = 5, d = 3, B = 7;
  nn::MLP<double> enc({D, 6, d}, nn::Activation::GELU, rng, "E2"), pred({d + 2, 6, d}, nn::Activation::GELU, rng, "P2");
  const M s0 = M::Random(D, B), macro = M::Random(2, B) * 0.7, target = M::Random(d, B);
  const Level2LossWeights w{1.0, 1.3, 0.2};
  nn::ParamList<double> params = enc.params();
  for (auto* p : pred.params()) params.push_back(p);
  nn::zero_grad(params);
  const double total = level2_loss<double>(enc, pred, s0, macro, target, w, true).total;
  CHECK(total > 0);
  double worst = 0;
  for (auto* p : params)
    for (Eigen::Index i = 0; i < p->value.size(); ++i) {
      const double keep = p->value(i);
      p->value(i) = keep + 1e-6;
      const double up = level2_loss<double>(enc, pred, s0, macro, target, w, false).total;
      p->value(i) = keep - 1e-6;
      const double down = level2_loss<double>(enc, pred, s0, macro, target, w, false).total;
      p->value(i) = keep;
      const double numeric = (up - down) / 2e-6;
      worst = std::max(worst, std::fabs(numeric - p->grad(i)) / std::max(1.0, std::fabs(numeric)));
    }
  CHECK(worst < 1e-6);
}

TEST_CASE("macro-action: mean direction, length = straightness") {
  const float straight[3] = {0.5f, 0.5f, 0.5f}, back_and_forth[2] = {0.f, 3.14159265f};
  float m[2];
  macro_action(straight, 3, m);
  CHECK(m[0] == doctest::Approx(std::cos(0.5)).epsilon(1e-5));
  CHECK(m[1] == doctest::Approx(std::sin(0.5)).epsilon(1e-5));
  macro_action(back_and_forth, 2, m);
  CHECK(std::hypot(m[0], m[1]) < 1e-5);
}

namespace {

// Places 0 red, 1 blue, 2 green, 3 green; edges 0->1 (3), 1->2 (3), 0->3 (20), 2->0 (4), 3->1 (2).
Level2 hand_made_graph() {
  Level2Arch a;
  a.input = 2, a.latent = 2, a.hidden = 4, a.places = 4, a.edges = 5;
  Level2 l2(a, 1);
  l2.colours.value.setConstant(0.01f);
  l2.colours.value(static_cast<int>(Color::Red), 0) = 0.9f;
  l2.colours.value(static_cast<int>(Color::Blue), 1) = 0.9f;
  l2.colours.value(static_cast<int>(Color::Green), 2) = 0.9f;
  l2.colours.value(static_cast<int>(Color::Green), 3) = 0.9f;
  l2.edge_table.value << 0, 1, 0, 2, 3,  //
      1, 2, 3, 0, 1,                       //
      3, 3, 20, 4, 2;
  l2.rebuild_graph();
  return l2;
}

}  // namespace

TEST_CASE("high-level planner: cheapest place path over (place, progress)") {
  const Level2 l2 = hand_made_graph();
  const HighLevelParams hp;
  SUBCASE("routes through an intermediate colour when the target is not adjacent") {
    const HighLevelPlan plan = plan_high_level(l2, 0, Task{{Color::Green}}, 0, hp);
    REQUIRE(plan.found);
    CHECK(plan.places == std::vector<int>{0, 1, 2});
    CHECK(plan.cost == doctest::Approx(6));
    CHECK(plan.first_advance() == 2);
    CHECK(colour_sequence_text(plan_colour_sequence(plan)) == "red -> blue -> green");
  }
  SUBCASE("colour order, a return visit and consecutive repeats") {
    const HighLevelPlan plan = plan_high_level(l2, 1, Task{{Color::Green, Color::Red, Color::Red, Color::Blue}}, 0, hp);
    REQUIRE(plan.found);
    CHECK(plan.places == std::vector<int>{1, 2, 0, 1});
    CHECK(plan.progress == std::vector<int>{0, 1, 3, 4});
    CHECK(plan.cost == doctest::Approx(3 + 4 + 3));
  }
  SUBCASE("an offer found false and a blocked edge are avoided") {
    EpisodeMemory memory;
    memory.refuted_offers.insert({2, static_cast<int>(Color::Green)});
    HighLevelPlan plan = plan_high_level(l2, 0, Task{{Color::Green}}, 0, hp, &memory);
    REQUIRE(plan.found);
    CHECK(plan.places == std::vector<int>{0, 3});
    memory.refuted_offers.clear();
    memory.edge_penalties[{1, 2}] = 30;
    plan = plan_high_level(l2, 0, Task{{Color::Green}}, 0, hp, &memory);
    CHECK(plan.places == std::vector<int>{0, 3});
  }
  SUBCASE("already there, and no path") {
    HighLevelPlan plan = plan_high_level(l2, 0, Task{{Color::Red}}, 0, hp);
    REQUIRE(plan.found);
    CHECK(plan.places == std::vector<int>{0});
    CHECK(plan.first_advance() == 0);
    plan = plan_high_level(l2, 0, Task{{Color::Yellow}}, 0, hp);
    CHECK_FALSE(plan.found);
  }
}

namespace {

// 24 x 16: a wall along y = 8 from x = 0 to 17 leaves a gap on the right. Red is above the wall,
// blue below it, green on the right: from red, blue is reached only through green.
const World& walled_world() {
  static const World world = [] {
    World w;
    w.width = 24, w.height = 16;
    w.regions = {{{5, 12}, Color::Red}, {{5, 4}, Color::Blue}, {{21, 8}, Color::Green}};
    w.obstacles = {Obstacle::box({0, 7.6}, {17, 8.4})};
    return w;
  }();
  return world;
}

Level1TrainParams small_training() {
  Level1TrainParams tp;
  tp.steps = 1200;
  tp.polish_steps = 600;
  tp.head_steps = 2500;
  tp.probe_steps = 2500;
  tp.exploration.sequences = 400;
  tp.heldout_sequences = 40;
  return tp;
}

const ModelFile& walled_model() {
  static const ModelFile model = [] {
    Level1Report r1;
    Level2Report r2;
    return train_model(walled_world(), EnvParams{}, small_training(), Level2TrainParams{}, 7, "test", r1, r2);
  }();
  return model;
}

}  // namespace

TEST_CASE("place graph on a walled map: no edge through the wall") {
  const World& world = walled_world();
  const ModelFile& model = walled_model();
  const Level2& l2 = model.level2;
  // Where each place is, from fresh exploration (true positions are used only to check).
  ExplorationParams ep;
  ep.sequences = 300;
  const ExplorationData data = collect_exploration(world, EnvParams{}, ep, 99);
  const MatF frames = Eigen::Map<const MatF>(data.obs.data(), data.features, static_cast<Eigen::Index>(data.obs.size() / data.features));
  const MatF s = model.level1.encode(frames);
  std::vector<double> sx(l2.arch.places, 0), sy(l2.arch.places, 0), n(l2.arch.places, 0);
  for (Eigen::Index i = 0; i < s.cols(); ++i) {
    const int p = l2.place_of(s.col(i));
    sx[p] += data.true_xy[2 * i], sy[p] += data.true_xy[2 * i + 1], ++n[p];
  }
  int edges = 0, through_wall = 0;
  for (int a = 0; a < l2.arch.places; ++a)
    for (const PlaceEdge& e : l2.graph()[a]) {
      ++edges;
      if (n[a] == 0 || n[e.to] == 0) continue;
      const double ax = sx[a] / n[a], ay = sy[a] / n[a], bx = sx[e.to] / n[e.to], by = sy[e.to] / n[e.to];
      // Both ends well left of the gap, on opposite sides: going around takes far more than K steps.
      if (ax < 12 && bx < 12 && (ay - 8) * (by - 8) < 0) {
        ++through_wall;
        MESSAGE("edge " << a << " (" << ax << ", " << ay << ") -> " << e.to << " (" << bx << ", " << by << ")");
      }
    }
  CHECK(edges > l2.arch.places);  // a real graph, not an empty one
  CHECK(through_wall == 0);
}

TEST_CASE("hierarchical agent: a plan around the wall, recovery after a push, a consistent trace") {
  const World& world = walled_world();
  const ModelFile& model = walled_model();
  const Task task{{Color::Blue}};
  Env env(world, task, EnvParams{});
  Observation obs = env.reset(5, Vec2{10, 12});
  HJepaAgent agent(model.level1, model.level2, task, EnvParams{}, make_planner("gradient", PlannerParams{}, 3));
  agent.reset(obs);
  bool pushed = false, replanned_after_push = false;
  int steps_after_push = 0;
  while (!env.done()) {
    const double heading = agent.act(obs);
    const HJepaTrace& tr = agent.trace();
    // The trace describes the action just taken.
    CHECK(tr.heading == heading);
    if (tr.escape_left == 0 && !tr.stuck) CHECK(heading == doctest::Approx(tr.low.headings.front()));
    CHECK(tr.place == model.level2.place_of(tr.belief));
    CHECK(tr.low.latents.size() == static_cast<size_t>(agent.planner().params.horizon + 1));
    CHECK(tr.low.candidate_costs.size() == static_cast<size_t>(agent.planner().params.restarts));
    if (tr.high.found && tr.subgoal_place >= 0) {
      CHECK(tr.high.places.size() > 1);
      CHECK(tr.subgoal_place == tr.high.places[1]);
      CHECK(tr.subgoal.isApprox(model.level2.subgoals.value.col(tr.subgoal_place)));
    }
    if (agent.trace().replans == 1) {  // the first plan goes around the wall through green
      const std::vector<Color> colours = plan_colour_sequence(agent.first_plan());
      CHECK(colours.front() == Color::Red);
      CHECK(colours.back() == Color::Blue);
      CHECK(std::find(colours.begin(), colours.end(), Color::Green) != colours.end());
    }
    if (pushed && steps_after_push++ < 3 && !tr.replan_reason.empty()) replanned_after_push = true;
    obs = env.step(heading).obs;
    if (!pushed && env.state().step == 4) {  // push it to the far top-left corner, off its plan
      EnvState st = env.state();
      st.position = Vec2{1.5, 14.5};
      obs = env.observe(st);
      env.set_state(st);
      pushed = true;
    }
  }
  CHECK(pushed);
  CHECK(replanned_after_push);
  CHECK(env.state().progress == 1);  // it reached blue, around the wall
}
