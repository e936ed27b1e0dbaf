// Level 2 and the hierarchical agent: the level-2 loss gradients (finite differences, double) and
// E2's loss taken in two halves of the batch; the
// high-level planner on a hand-made place graph (routing through an intermediate colour, repeats,
// refuted offers, no path); and on a walled map it trained on: no place-graph edge through the
// wall, a plan around it, recovery after being pushed off the plan, a trace consistent with the
// actions taken.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <tuple>

#include "agent/jepa/hjepa_agent.hpp"
#include "agent/jepa/level2_loss.hpp"
#include "agent/jepa/place_graph.hpp"
#include "agent/jepa/predictor.hpp"
#include "agent/jepa/temporal_distance.hpp"
#include "agent/jepa/train_model.hpp"
#include "agent/nn/optim.hpp"
#include "tests/gradient_check.hpp"
#include "tests/halves_check.hpp"
#include "tiny_training.hpp"

using namespace hjepa;

TEST_CASE("P2's prediction loss: every parameter gradient matches finite differences") {
  using M = nn::Mat<double>;
  Rng rng(4);
  const int d = 3, B = 7;
  nn::MLP<double> pred({d + 2, 6, d}, nn::Activation::GELU, rng, "P2");
  const M h0 = M::Random(d, B), macro = M::Random(2, B) * 0.7, target = M::Random(d, B);
  nn::zero_grad(pred.params());
  CHECK(level2_prediction_loss<double>(pred, h0, macro, target, true) > 0);
  CHECK(worst_gradient_error(pred.params(), [&] { return level2_prediction_loss<double>(pred, h0, macro, target, false); }) < 1e-6);
}

TEST_CASE("temporal-distance loss: every encoder gradient matches finite differences, both terms active") {
  using M = nn::Mat<double>;
  Rng rng(5);
  const int D = 4, B = 8;
  const FourierBasis<double> fourier = make_fourier_basis<double>(D, 5, 0.5);
  nn::MLP<double> enc({D + 5, 7, 3}, nn::Activation::GELU, rng, "E2");
  const M xa = level2_encoder_input<double>(M::Random(D, B) * 2, fourier), xb = level2_encoder_input<double>(M::Random(D, B) * 2, fourier);
  // Bound pairs with small step counts (so the hinge is active), spread pairs with a wide margin.
  const std::vector<double> steps = {0.05, 0.1, 1, 0.02, 0, 0, 0, 0};
  const DistanceLossWeights w{3.0, 1.5, 4.0};
  nn::zero_grad(enc.params());
  const DistanceLossTerms t = temporal_distance_loss<double>(enc, xa, xb, steps, w, true);
  CHECK(t.bound > 0);
  CHECK(t.spread > 0);
  CHECK(worst_gradient_error(enc.params(), [&] { return temporal_distance_loss<double>(enc, xa, xb, steps, w, false).total; }) < 1e-6);
}

TEST_CASE("temporal-distance loss in two halves of the batch: the whole batch's terms and gradients, with or without a side thread") {
  using M = nn::Mat<double>;
  Rng rng(6);
  const int D = 4, B = 7;  // an odd batch: halves of 3 and 4 pairs, the bound pairs all in the first
  const FourierBasis<double> fourier = make_fourier_basis<double>(D, 5, 0.5);
  nn::MLP<double> enc({D + 5, 7, 3}, nn::Activation::GELU, rng, "E2");
  const M xa = level2_encoder_input<double>(M::Random(D, B) * 2, fourier), xb = level2_encoder_input<double>(M::Random(D, B) * 2, fourier);
  const std::vector<double> steps = {0.05, 0.1, 0.02, 0, 0, 0, 0};
  const DistanceLossWeights w{3.0, 1.5, 4.0};
  const auto terms = [](const DistanceLossTerms& t) { return std::vector<double>{t.bound, t.spread, t.bound_ratio, t.total}; };
  nn::MLP<double> replica = enc;
  check_halves_match_whole(
      enc.params(), enc, replica,
      [&] {
        const DistanceLossTerms t = temporal_distance_loss<double>(enc, xa, xb, steps, w, true);
        CHECK(t.bound > 0);  // both terms take part
        CHECK(t.spread > 0);
        return terms(t);
      },
      [&](SideThread* thread) { return terms(temporal_distance_loss_halves<double>(enc, replica, xa, xb, steps, w, true, thread)); });
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
struct HandMade {
  Places places{"places", 2, 2, 4};
  PlaceGraph graph;
};

HandMade hand_made_graph() {
  HandMade g;
  g.places.colours.value.setConstant(0.01f);
  g.places.colours.value(static_cast<int>(Color::Red), 0) = 0.9f;
  g.places.colours.value(static_cast<int>(Color::Blue), 1) = 0.9f;
  g.places.colours.value(static_cast<int>(Color::Green), 2) = 0.9f;
  g.places.colours.value(static_cast<int>(Color::Green), 3) = 0.9f;
  MatF table(3, 5);
  table << 0, 1, 0, 2, 3,  //
      1, 2, 3, 0, 1,       //
      3, 3, 20, 4, 2;
  g.graph = graph_from_table(table, 4);
  return g;
}

}  // namespace

TEST_CASE("high-level planner: cheapest place path over (place, progress)") {
  const HandMade g = hand_made_graph();
  const HighLevelParams hp;
  SUBCASE("routes through an intermediate colour when the target is not adjacent") {
    const HighLevelPlan plan = plan_high_level(g.places, g.graph, 0, Task{{Color::Green}}, 0, hp);
    REQUIRE(plan.found);
    CHECK(plan.places == std::vector<int>{0, 1, 2});
    CHECK(plan.cost == doctest::Approx(6));
    CHECK(plan.first_advance() == 2);
    CHECK(colour_sequence_text(plan_colour_sequence(plan)) == "red -> blue -> green");
  }
  SUBCASE("colour order, a return visit and consecutive repeats") {
    const HighLevelPlan plan = plan_high_level(g.places, g.graph, 1, Task{{Color::Green, Color::Red, Color::Red, Color::Blue}}, 0, hp);
    REQUIRE(plan.found);
    CHECK(plan.places == std::vector<int>{1, 2, 0, 1});
    CHECK(plan.progress == std::vector<int>{0, 1, 3, 4});
    CHECK(plan.cost == doctest::Approx(3 + 4 + 3));
  }
  SUBCASE("an offer found false and a blocked edge are avoided") {
    EpisodeMemory memory;
    memory.refuted_offers.insert({2, static_cast<int>(Color::Green)});
    HighLevelPlan plan = plan_high_level(g.places, g.graph, 0, Task{{Color::Green}}, 0, hp, &memory);
    REQUIRE(plan.found);
    CHECK(plan.places == std::vector<int>{0, 3});
    memory.refuted_offers.clear();
    memory.edge_penalties[{1, 2}] = 30;
    plan = plan_high_level(g.places, g.graph, 0, Task{{Color::Green}}, 0, hp, &memory);
    CHECK(plan.places == std::vector<int>{0, 3});
  }
  SUBCASE("a blocked passage: the edges between the neighbourhoods of a blocked edge's ends") {
    // Prototypes on a line: 0 at 0, 1 at 1, 2 at 10, 3 at 11 (units of steps).
    HandMade p = hand_made_graph();
    p.places.centres.value.setZero();
    p.places.centres.value(0, 1) = 1, p.places.centres.value(0, 2) = 10, p.places.centres.value(0, 3) = 11;
    EpisodeMemory memory;
    CHECK(penalise_passage(p.places, p.graph, 1, 2, 0, 16, memory) == 0);  // radius 0: the edge alone
    CHECK(memory.edge_penalties.empty());
    // Blocked 1 -> 2: within 1.5 of place 1 are 0 and 1, within 1.5 of place 2 are 2 and 3; of the
    // edges between them (0->1? no: 1 is not near 2; 0->3 and 1->2) only 0->3 is another one.
    CHECK(penalise_passage(p.places, p.graph, 1, 2, 1.5, 16, memory) == 1);
    CHECK(memory.edge_penalties.size() == 1);
    CHECK(memory.edge_penalties.at({0, 3}) == 16);
    // The plan now avoids both crossings' extra cost: 0 -> 1 -> 2 costs 6, 0 -> 3 costs 20 + 16.
    memory.edge_penalties[{1, 2}] += 16;
    const HighLevelPlan plan = plan_high_level(p.places, p.graph, 0, Task{{Color::Green}}, 0, hp, &memory);
    REQUIRE(plan.found);
    CHECK(plan.places == std::vector<int>{0, 1, 2});  // 3 + 3 + 16 = 22 < 20 + 16 = 36
    // Blocked 2 -> 0 with a radius of 2: edges from {2, 3} to {0, 1}: 3 -> 1 only.
    CHECK(penalise_passage(p.places, p.graph, 2, 0, 2, 5, memory) == 1);
    CHECK(memory.edge_penalties.at({3, 1}) == 5);
  }
  SUBCASE("already there, and no path") {
    HighLevelPlan plan = plan_high_level(g.places, g.graph, 0, Task{{Color::Red}}, 0, hp);
    REQUIRE(plan.found);
    CHECK(plan.places == std::vector<int>{0});
    CHECK(plan.first_advance() == 0);
    plan = plan_high_level(g.places, g.graph, 0, Task{{Color::Yellow}}, 0, hp);
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
  tp.mode1 = test::tiny_mode1();
  return tp;
}

const ModelFile& walled_model() {
  static const ModelFile model = [] {
    Level1Report r1;
    Level2Report r2;
    Level2TrainParams tp2;
    tp2.distance_steps = 1500;  // a third of the default: enough for one wall, and quicker under the sanitizers
    return train_model(walled_world(), EnvParams{}, small_training(), tp2, 7, "test", r1, r2);
  }();
  return model;
}

}  // namespace

TEST_CASE("places on a walled map: no place on both sides of the wall, no P2 edge through it" * doctest::test_suite("learning")) {
  const World& world = walled_world();
  const ModelFile& model = walled_model();
  const Level2& l2 = model.level2;
  // Where each place is, from fresh exploration (true positions are used only to check).
  ExplorationParams ep;
  ep.sequences = 300;
  const ExplorationData data = collect_exploration(world, EnvParams{}, ep, 99);
  const MatF frames = Eigen::Map<const MatF>(data.obs.data(), data.features, static_cast<Eigen::Index>(data.obs.size() / data.features));
  const MatF s = model.level1.encode(frames);
  const std::vector<int> place = nearest_columns(l2.places.centres.value, l2.encode(s));
  const int P = l2.places.size();
  std::vector<double> sx(P, 0), sy(P, 0), n(P, 0);
  // Members well left of the gap (x < 12) above and below the wall: going round takes > 10 steps.
  std::vector<int> above(P, 0), below(P, 0);
  for (Eigen::Index i = 0; i < s.cols(); ++i) {
    const int p = place[i];
    const double x = data.true_xy[2 * i], y = data.true_xy[2 * i + 1];
    sx[p] += x, sy[p] += y, ++n[p];
    if (x < 12) (y > 8 ? above : below)[p]++;
  }
  int straddling = 0;
  for (int p = 0; p < P; ++p)
    if (above[p] > 0 && below[p] > 0) {
      ++straddling;
      MESSAGE("place " << p << ": " << above[p] << " members above the wall, " << below[p] << " below");
    }
  CHECK(straddling == 0);
  int edges = 0, through_wall = 0;
  for (int a = 0; a < P; ++a)
    for (const PlaceEdge& e : l2.graph(PlaceGraphKind::P2)[a]) {
      ++edges;
      if (n[a] == 0 || n[e.to] == 0) continue;
      const double ax = sx[a] / n[a], ay = sy[a] / n[a], bx = sx[e.to] / n[e.to], by = sy[e.to] / n[e.to];
      // Both ends well left of the gap, on opposite sides: going around takes far more than K steps.
      if (ax < 12 && bx < 12 && (ay - 8) * (by - 8) < 0) {
        ++through_wall;
        MESSAGE("edge " << a << " (" << ax << ", " << ay << ") -> " << e.to << " (" << bx << ", " << by << ")");
      }
    }
  CHECK(edges > P);  // a real graph, not an empty one
  CHECK(through_wall == 0);
}

TEST_CASE("hierarchical agent: a plan around the wall, recovery after a push, a consistent trace" * doctest::test_suite("learning")) {
  const World& world = walled_world();
  const ModelFile& model = walled_model();
  const Task task{{Color::Blue}};
  Env env(world, task, EnvParams{});
  Observation obs = env.reset(5, Vec2{10, 12});
  HJepaAgent agent(model.level1, model.level2, task, EnvParams{}, make_planner("gradient", PlannerParams{}, 3));
  agent.reset(obs);
  bool pushed = false, replanned_after_push = false;
  int steps_after_push = 0, escape_before = 0;
  while (!env.done()) {
    const double heading = agent.act(obs);
    const HJepaTrace& tr = agent.hjepa_trace();
    // The trace describes the action just taken.
    CHECK(tr.heading == heading);
    // Side-steps after a stuck step (escape_left counts those still to come) replace the plan's heading.
    const bool escaping = tr.stuck || escape_before > 0;
    escape_before = tr.escape_left;
    if (!escaping) CHECK(heading == doctest::Approx(tr.low.headings.front()));
    CHECK(tr.place == model.level2.place_of(tr.belief.s));
    CHECK(tr.low.latents.size() == static_cast<size_t>(agent.planner().params.horizon + 1));
    CHECK(tr.low.candidate_costs.size() == static_cast<size_t>(agent.planner().params.restarts));
    if (tr.high.found && tr.subgoal_place >= 0) {
      CHECK(tr.high.places.size() > 1);
      CHECK(tr.subgoal_place == tr.high.places[1]);
      CHECK(tr.subgoal.isApprox(model.level2.places.subgoals.value.col(tr.subgoal_place)));
    }
    if (agent.hjepa_trace().replans == 1) {  // the first plan goes around the wall through green
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

TEST_CASE("the overdue watch: an edge headed along far longer than predicted is penalised and level 2 replans" * doctest::test_suite("learning")) {
  const World& world = walled_world();
  const ModelFile& model = walled_model();
  const Task task{{Color::Blue}};
  // Held where it started after every step (the stuck watch off, so only the overdue watch can
  // notice): the agent keeps heading along the same edge without arriving.
  auto run = [&](double factor, int steps) {
    HJepaParams params;
    params.stuck_ratio = 0;
    params.overdue_factor = factor;
    Env env(world, task, EnvParams{});
    Observation obs = env.reset(5, Vec2{10, 12});
    const EnvState start = env.state();
    HJepaAgent agent(model.level1, model.level2, task, EnvParams{}, make_planner("gradient", PlannerParams{}, 3), params);
    agent.reset(obs);
    int overdue = 0, replans_after = 0, first = -1;
    std::vector<int> spent;  // steps on the edge when it fell overdue
    std::pair<int, int> edge{-1, -1};
    for (int t = 0; t < steps; ++t) {
      agent.act(obs);
      const HJepaTrace& tr = agent.hjepa_trace();
      if (tr.replan_reason.rfind("overdue", 0) == 0) ++replans_after;
      if (const size_t at = tr.correction.find("overdue ("); at != std::string::npos) {
        if (first < 0) first = t, edge = {tr.place, tr.subgoal_place};
        spent.push_back(std::stoi(tr.correction.substr(at + 9)));
        ++overdue;
      }
      EnvState st = start;  // held where it started, with the same readings
      obs = env.observe(st);
      env.set_state(st);
    }
    const EpisodeMemory& memory = *agent.hjepa_trace().memory;
    const auto penalty = memory.edge_penalties.find(edge);
    return std::make_tuple(overdue, replans_after, first, penalty == memory.edge_penalties.end() ? 0.f : penalty->second, spent);
  };
  // With a budget of 0.01 x the edge's predicted steps + kOverdueSlack, an edge falls overdue at
  // its kOverdueSlack + 1-th step (none can come earlier in the episode); the edge gets the stuck
  // penalty and the next step replans for it.
  const auto [overdue, replans, first, penalty, spent] = run(0.01, 16);
  REQUIRE(overdue >= 1);
  CHECK(first >= kOverdueSlack);
  for (int n : spent) CHECK(n == kOverdueSlack + 1);
  CHECK(replans >= 1);
  CHECK(penalty >= HJepaParams{}.stuck_penalty);
  // Switched off, nothing is overdue.
  const auto [off, off_replans, off_first, off_penalty, off_spent] = run(0, 16);
  CHECK(off == 0);
  CHECK(off_replans == 0);
  CHECK(off_penalty == 0.f);
}

namespace {

// Steps the hierarchical agent takes from (x, y) above the wall to blue (below it); a failure
// counts as the steps it was given plus 1000.
int steps_to_blue(const ModelFile& model, const Level2& level2, Vec2 start, uint64_t seed) {
  const Task task{{Color::Blue}};
  Env env(walled_world(), task, EnvParams{});
  Observation obs = env.reset(seed, start);
  HJepaAgent agent(model.level1, level2, task, EnvParams{}, make_planner("gradient", PlannerParams{}, seed));
  agent.reset(obs);
  while (!env.done()) obs = env.step(agent.act(obs)).obs;
  return env.state().step + (env.state().progress == 1 ? 0 : 1000);
}

}  // namespace

TEST_CASE("the learned P2 earns its place: an untrained P2 routes measurably worse on the walled map" * doctest::test_suite("learning")) {
  const ModelFile& model = walled_model();
  Level2 untrained = model.level2;
  Rng rng(11);
  untrained.predictor = nn::MLP<float>({untrained.arch.latent + 2, untrained.arch.hidden, untrained.arch.hidden, untrained.arch.latent},
                                       nn::Activation::GELU, rng, "P2");
  untrained.rebuild_graphs();
  CHECK(edge_count(untrained.graph()) < edge_count(model.level2.graph()) / 2);
  int trained_steps = 0, untrained_steps = 0;
  for (const Vec2 start : {Vec2{3, 12}, Vec2{8, 14}, Vec2{12, 10}}) {
    trained_steps += steps_to_blue(model, model.level2, start, 21);
    untrained_steps += steps_to_blue(model, untrained, start, 21);
  }
  MESSAGE("steps to blue from three starts: trained P2 " << trained_steps << ", untrained " << untrained_steps);
  CHECK(untrained_steps > trained_steps + 20);
}

TEST_CASE("P2's reach calibrated by experience: a P2 that falls short is stretched back, a sound one left alone" * doctest::test_suite("learning")) {
  const ModelFile& model = walled_model();
  const Level2& trained = model.level2;
  // Noise-free training: P2's straight moves reach about as far as the experienced transitions, so
  // the graph is not stretched and the calibrated and raw P2 graphs are the same.
  MESSAGE("trained P2: reach ratio " << trained.p2_reach_ratio());
  CHECK(trained.p2_reach_ratio() < kReachCalibration);
  CHECK(trained.p2_reach_scale() == 1);
  CHECK(edge_count(trained.graph(PlaceGraphKind::P2Raw)) == edge_count(trained.graph(PlaceGraphKind::P2)));
  // The same P2 with every predicted move shortened to 0.6 of its length (its residual's output layer
  // scaled): as at heavy perception noise, where P2 predicts the mean of uncertain moves.
  Level2 shrunk = trained;
  nn::Linear<float>& out = shrunk.predictor.layers.back();
  out.W.value *= 0.6f, out.b.value *= 0.6f;
  shrunk.rebuild_graphs();
  MESSAGE("shortened P2: reach ratio " << shrunk.p2_reach_ratio() << ", stretch " << shrunk.p2_reach_scale() << "; edges "
                                        << edge_count(shrunk.graph(PlaceGraphKind::P2Raw)) << " raw, "
                                        << edge_count(shrunk.graph(PlaceGraphKind::P2)) << " calibrated, "
                                        << edge_count(trained.graph()) << " of the trained P2");
  CHECK(shrunk.p2_reach_ratio() == doctest::Approx(trained.p2_reach_ratio() / 0.6).epsilon(0.05));
  CHECK(shrunk.p2_reach_scale() == shrunk.p2_reach_ratio());
  // Shortened, P2 loses its longer edges; stretched back it has the trained P2's graph again.
  const int full = edge_count(trained.graph());
  CHECK(edge_count(shrunk.graph(PlaceGraphKind::P2Raw)) < 0.85 * full);
  CHECK(std::abs(edge_count(shrunk.graph(PlaceGraphKind::P2)) - full) < 0.1 * full);
  int shared = 0;
  for (int a = 0; a < trained.places.size(); ++a)
    for (const PlaceEdge& e : shrunk.graph(PlaceGraphKind::P2)[a])
      for (const PlaceEdge& t : trained.graph()[a]) shared += t.to == e.to;
  CHECK(shared > 0.85 * full);
}
