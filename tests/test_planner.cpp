// The planning energy's gradient with respect to every heading (finite differences, double), and
// the planners: they lower the energy, and on an empty map a trained level 1 steers to a target.
#include <doctest/doctest.h>

#include <cmath>

#include "agent/jepa/low_level_planner.hpp"
#include "agent/jepa/plan_cost.hpp"
#include "agent/jepa/predictor.hpp"
#include "agent/jepa/train_model.hpp"
#include "tiny_training.hpp"

using namespace hjepa;

TEST_CASE("d cost / d heading matches finite differences (goal, colour and obstacle terms)") {
  using M = nn::Mat<double>;
  Rng rng(9);
  const int D = 4, H = 5, R = 3;
  const FourierBasis<double> fourier = make_fourier_basis<double>(D, 6, 0.8);
  nn::MLP<double> pred({predictor_input_size(D, fourier.size()), 9, 8, D}, nn::Activation::GELU, rng, "P"),
      head({D, 6, kNumColors}, nn::Activation::Tanh, rng, "C");
  const M s0 = M::Random(D, 1), goal = M::Random(D, 1);
  M headings(H, R);
  for (Eigen::Index i = 0; i < headings.size(); ++i) headings(i) = rng.uniform(-3, 3);
  PlanCostSpec<double> spec{&goal, 2, 0.7, 1.3, 2.5};
  std::vector<double> costs;
  M grad;
  plan_cost<double>(pred, fourier, head, s0, headings, spec, costs, &grad);
  double worst = 0;
  for (int t = 0; t < H; ++t)
    for (int r = 0; r < R; ++r) {
      M up = headings, down = headings;
      up(t, r) += 1e-6;
      down(t, r) -= 1e-6;
      std::vector<double> cu, cd;
      plan_cost<double>(pred, fourier, head, s0, up, spec, cu, nullptr);
      plan_cost<double>(pred, fourier, head, s0, down, spec, cd, nullptr);
      const double numeric = (cu[r] - cd[r]) / 2e-6;
      worst = std::max(worst, std::fabs(numeric - grad(t, r)) / std::max(1.0, std::fabs(numeric)));
    }
  CHECK(worst < 1e-6);
}

namespace {

// A small level 1 trained on an empty 12 x 12 map (two regions), shared by the tests below.
const Level1& empty_map_model(World& world_out) {
  static World world = [] {
    World w;
    w.width = 12, w.height = 12;
    w.regions = {{{3, 6}, Color::Red}, {{9, 6}, Color::Blue}};
    return w;
  }();
  static Level1 model = [] {
    Level1TrainParams tp;
    tp.steps = 800;
    tp.batch = 64;
    tp.polish_steps = 400;
    tp.head_steps = 1500;
    tp.probe_steps = 1500;
    tp.exploration.sequences = 200;
    tp.exploration.sequence_length = 20;
    tp.heldout_sequences = 20;
    tp.mode1 = test::tiny_mode1();
    Level2TrainParams level2;  // level 2 is not used here: as little of it as possible
    level2.steps = 20;
    level2.distance_steps = 20;
    level2.kmeans_iterations = 2;
    Level1Report report;
    Level2Report report2;
    return train_model(world, EnvParams{}, tp, level2, 3, "test", report, report2).level1;
  }();
  world_out = world;
  return model;
}

}  // namespace

TEST_CASE("both planners lower the energy below the average random plan" * doctest::test_suite("learning")) {
  World w;
  const Level1& model = empty_map_model(w);
  Env env(w, Task{{Color::Blue}});
  const Observation obs = env.reset(1, Vec2{2, 6});
  const MatF s0 = model.encode_observation(obs, EnvParams{}.ray_max);
  for (const char* name : {"gradient", "cem"}) {
    CAPTURE(name);
    auto planner = make_planner(name, PlannerParams{}, 4);
    const PlanResult r = planner->plan(model, s0, nullptr, static_cast<int>(Color::Blue));
    REQUIRE(r.headings.size() == 8);
    // Average energy of random plans for comparison.
    Rng rng(5);
    MatF random(8, 64);
    for (Eigen::Index i = 0; i < random.size(); ++i) random(i) = static_cast<float>(rng.uniform(-3.14, 3.14));
    std::vector<float> costs;
    PlanCostSpec<float> spec{nullptr, static_cast<int>(Color::Blue), 1, 1, 2};
    plan_cost<float>(model.predictor, model.fourier, model.colour_head, s0, random, spec, costs, nullptr);
    double mean = 0;
    for (float c : costs) mean += c / costs.size();
    CHECK(r.cost < 0.5 * mean);
    CHECK(std::cos(r.headings.front()) > 0.5);  // blue lies to the east
  }
}

TEST_CASE("on an empty map the gradient planner reaches a nearby target latent" * doctest::test_suite("learning")) {
  World w;
  const Level1& model = empty_map_model(w);
  EnvParams ep;
  Env env(w, Task{{Color::Pink}}, ep);  // a colour not on the map: the episode never ends early
  // The subgoal: the encoding of an observation at the target point.
  Env probe_env(w, Task{{Color::Blue}}, ep);
  const Observation at_target = probe_env.reset(7, Vec2{6, 9.5});
  const MatF goal = model.encode_observation(at_target, ep.ray_max);
  GradientPlanner planner(PlannerParams{}, 3);
  Observation obs = env.reset(2, Vec2{2.5, 3});
  double closest = 1e9;
  for (int step = 0; step < 12; ++step) {
    const PlanResult r = planner.plan(model, model.encode_observation(obs, ep.ray_max), &goal, -1);
    const StepResult s = env.step(r.headings.front());
    obs = s.obs;
    closest = std::min(closest, dist(s.info.true_position, {6, 9.5}));
  }
  CHECK(closest < 1.0);  // start is 7.6 units away
}
