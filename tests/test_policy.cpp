// The Mode-1 policy: its imitation loss's gradient (finite differences, double) and the loss in two
// halves of the batch, its input layout,
// the low-level modes (policy alone, policy seeding the optimiser, the planner untouched by an
// attached policy), the labels DAgger collects, and the DAgger phase of training on a tiny model.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>

#include "agent/jepa/counters.hpp"
#include "agent/jepa/low_level_planner.hpp"
#include "agent/jepa/policy_training.hpp"
#include "agent/jepa/train_model.hpp"
#include "gradient_check.hpp"
#include "halves_check.hpp"
#include "sim/map_gen.hpp"
#include "tiny_training.hpp"

using namespace hjepa;

TEST_CASE("the imitation loss's gradient matches finite differences") {
  Rng rng(3);
  const int D = 3, I = policy_inputs(D), B = 5;
  nn::MLP<double> net({I, 7, 6, 2}, nn::Activation::GELU, rng, "pi");
  nn::Mat<double> x = nn::Mat<double>::Random(I, B);
  std::vector<float> headings(B);
  for (float& h : headings) h = static_cast<float>(rng.uniform(-3, 3));
  nn::zero_grad(net.params());
  policy_loss<double>(net, x, headings, true);
  CHECK(worst_gradient_error(net.params(), [&] { return policy_loss<double>(net, x, headings, false); }) < 1e-6);
}

TEST_CASE("the imitation loss in two halves of the batch: the whole batch's loss and gradients, with or without a side thread") {
  Rng rng(4);
  const int D = 3, I = policy_inputs(D), B = 7;  // an odd batch: halves of 3 and 4
  nn::MLP<double> net({I, 7, 6, 2}, nn::Activation::GELU, rng, "pi");
  const nn::Mat<double> x = nn::Mat<double>::Random(I, B);
  std::vector<float> headings(B);
  for (float& h : headings) h = static_cast<float>(rng.uniform(-3, 3));
  nn::MLP<double> replica = net;
  check_halves_match_whole(
      net.params(), net, replica, [&] { return std::vector<double>{policy_loss<double>(net, x, headings, true)}; },
      [&](SideThread* thread) { return std::vector<double>{policy_loss_halves<double>(net, replica, x, headings, true, thread)}; });
}

TEST_CASE("the policy's input: s, the subgoal relative to s with a flag, the colour one-hot") {
  const int D = 2;
  MatF s(D, 1), g(D, 1), x(policy_inputs(D), 2);
  s << 1, 2;
  g << 4, 0;
  write_policy_input(s, &g, static_cast<int>(Color::Blue), x, 0);
  write_policy_input(s, nullptr, -1, x, 1);
  CHECK(x.rows() == 2 * D + 1 + kNumColors);
  CHECK(x(0, 0) == 1);
  CHECK(x(1, 0) == 2);
  CHECK(x(2, 0) == 3);
  CHECK(x(3, 0) == -2);
  CHECK(x(4, 0) == 1);
  CHECK(x(5 + static_cast<int>(Color::Blue), 0) == 1);
  CHECK(x.col(0).sum() == doctest::Approx(1 + 2 + 3 - 2 + 1 + 1));
  CHECK(x(0, 1) == 1);
  CHECK(x.col(1).tail(1 + kNumColors).isZero());
  CHECK(x(2, 1) == 0);
}

namespace {

const World& test_world() {
  static const World world = generate_map(5);
  return world;
}

const ModelFile& tiny_model() {
  static const ModelFile model = [] {
    Level1Report r1;
    Level2Report r2;
    ModelFile m = train_model(test_world(), EnvParams{}, test::tiny_level1(40, 16), test::tiny_level2(40, 3), 11, "test_policy", r1, r2);
    REQUIRE(r1.finite);
    REQUIRE(r2.finite);
    return m;
  }();
  return model;
}

MatF start_belief(const ModelFile& m) {
  Env env(test_world(), Task{{Color::Red}});
  return m.level1.encode_observation(env.reset(4), EnvParams{}.ray_max);
}

}  // namespace

TEST_CASE("the low-level modes: the planner, the policy alone, the policy seeding fewer iterations") {
  const ModelFile& m = tiny_model();
  REQUIRE_FALSE(m.policy.empty());
  const MatF s0 = start_belief(m);
  const MatF goal = s0 + MatF::Constant(s0.rows(), 1, 0.5f);
  auto calls = [&](LowMode mode, PlanResult& out, int iterations = 10) {
    PlannerParams pp;
    pp.mode = mode;
    pp.iterations = iterations;
    GradientPlanner planner(pp, 7);
    planner.set_policy(&m.policy);
    const uint64_t before = predictor_evaluations;
    out = planner.plan(m.level1, s0, &goal, 2);
    return predictor_evaluations - before;
  };
  PlanResult planned, alone, seeded, reduced;
  const uint64_t planner_calls = calls(LowMode::Planner, planned);
  const uint64_t policy_calls = calls(LowMode::Policy, alone);
  const uint64_t seeded_calls = calls(LowMode::PolicyPlanner, seeded);
  const uint64_t reduced_calls = calls(LowMode::Planner, reduced, PlannerParams{}.seeded_iterations);
  const float pi = m.policy.heading(s0, &goal, 2);
  CHECK(planned.policy_heading == pi);  // drawn beside the planner's
  CHECK(alone.headings.front() == pi);  // the policy decides
  CHECK(alone.policy_heading == pi);
  REQUIRE(alone.latents.size() == alone.headings.size() + 1);
  CHECK(alone.candidate_headings.cols() == 1);
  CHECK(policy_calls * 10 < planner_calls);
  CHECK(seeded_calls * 10 < planner_calls * 4);  // <= 40%
  CHECK(seeded_calls > reduced_calls);           // the same iterations plus the policy's rollout
  CHECK(seeded.headings.size() == planned.headings.size());

  SUBCASE("an attached policy leaves the planner's choice unchanged") {
    GradientPlanner bare(PlannerParams{}, 7);
    const PlanResult without = bare.plan(m.level1, s0, &goal, 2);
    CHECK(without.headings == planned.headings);
    CHECK(std::isnan(without.policy_heading));
  }
  SUBCASE("modes other than planner need a policy") {
    PlannerParams pp;
    pp.mode = LowMode::Policy;
    GradientPlanner bare(pp, 7);
    CHECK_THROWS_AS(bare.plan(m.level1, s0, &goal, 2), std::logic_error);
  }
  SUBCASE("labels: the optimiser's heading at each state, also when the policy acts") {
    PlannerParams pp;
    pp.mode = LowMode::Policy;
    GradientPlanner labelled(pp, 7);
    labelled.set_policy(&m.policy);
    PolicyLabels labels;
    labelled.labels = &labels;
    const PlanResult r = labelled.plan(m.level1, s0, &goal, 2);
    CHECK(r.headings.front() == pi);  // labelling does not change who acts
    REQUIRE(labels.samples() == 1);
    CHECK(labels.headings[0] == planned.headings.front());  // the same optimiser, seed and state
    CHECK(labels.inputs.size() == static_cast<size_t>(policy_inputs(static_cast<int>(s0.rows()))));
  }
}

TEST_CASE("DAgger training: every round labels states, the held-out error is measured, same seed same policy") {
  const ModelFile& m = tiny_model();
  PolicyTrainParams p = test::tiny_mode1();
  p.rounds = 2;
  auto train = [&] {
    Policy pi(PolicyArch{m.level1.arch.latent, p.hidden}, 5);
    const PolicyReport r = train_policy(pi, m.level1, m.level2, test_world(), EnvParams{}, p, 9);
    return std::make_pair(pi, r);
  };
  const auto [a, ra] = train();
  const auto [b, rb] = train();
  CHECK(ra.finite);
  REQUIRE(ra.round_samples.size() == 3);
  for (int n : ra.round_samples) CHECK(n > 0);
  CHECK(std::isnan(ra.round_error[0]));
  CHECK(std::isfinite(ra.round_error[1]));
  CHECK(ra.heldout_samples > 0);
  CHECK(ra.heldout_error >= 0);
  CHECK(ra.heldout_error <= 180);
  CHECK(ra.parameters == a.num_parameters());
  CHECK(rb.heldout_error == ra.heldout_error);
  for (size_t i = 0; i < a.net.layers.size(); ++i) CHECK(a.net.layers[i].W.value == b.net.layers[i].W.value);
}

TEST_CASE("the policy learns the planner's headings: held-out error well below chance" * doctest::test_suite("learning")) {
  const World world = generate_map(1);
  Level1Report r1;
  Level2Report r2;
  Level1TrainParams tp;  // the default training, a little smaller
  tp.steps = 1500;
  tp.polish_steps = 4000;
  tp.probe_steps = 2000;
  tp.heldout_sequences = 20;
  const ModelFile m = train_model(world, EnvParams{}, tp, Level2TrainParams{}, 1, "test_policy", r1, r2);
  REQUIRE(r1.finite);
  CHECK(r1.mode1.heldout_samples > 50);
  CHECK(r1.mode1.heldout_error < 45);  // chance: 90 degrees
  CHECK(r1.mode1.heldout_within_30 > 0.5);
}
