// P1's latent variable z (issue 18): its input rows, the gradients with z (training loss and the
// planning energy, expected and worst case, against finite differences in double), the hard-EM
// assignment's usage floor, the belief over z, and the planner's futures per z.
#include <doctest/doctest.h>

#include <cmath>

#include "agent/jepa/belief.hpp"
#include "agent/jepa/counters.hpp"
#include "agent/jepa/level1_loss.hpp"
#include "agent/jepa/low_level_planner.hpp"
#include "agent/jepa/plan_cost.hpp"
#include "agent/jepa/z_assignment.hpp"
#include "agent/nn/optim.hpp"
#include "tests/gradient_check.hpp"
#include "tests/level1_batch.hpp"

using namespace hjepa;

TEST_CASE("P1's input ends with a one-hot of z; K = 1 adds no rows") {
  const int D = 3;
  const FourierBasis<double> fourier = make_fourier_basis<double>(D, 4, 0.5);
  const nn::Mat<double> s = nn::Mat<double>::Random(D, 3);
  const double h[3] = {0.1, 1.2, -2};
  const int z[3] = {2, 0, 1};
  const nn::Mat<double> without = predictor_input<double>(s, h, fourier);
  const nn::Mat<double> with = predictor_input<double>(s, h, fourier, ZColumns{3, z});
  CHECK(without.rows() == predictor_input_size(D, 4));
  CHECK(with.rows() == predictor_input_size(D, 4, 3));
  CHECK(with.rows() == without.rows() + 3);
  CHECK(with.topRows(without.rows()) == without);
  for (int b = 0; b < 3; ++b)
    for (int v = 0; v < 3; ++v) CHECK(with(without.rows() + v, b) == (v == z[b] ? 1.0 : 0.0));
}

TEST_CASE("level-1 loss with z: every parameter gradient matches finite differences") {
  const int B = 5, K = 3;
  test::Level1Batch batch(13, 4, 3, B, 3, K, 6, 4);
  const int z[B] = {0, 2, 1, 2, 0};
  const ZColumns zc{K, z};
  nn::ParamList<double> params = batch.params();
  nn::zero_grad(params);
  batch.loss(true, zc);
  const double worst = worst_gradient_error(params, [&] { return batch.loss(false, zc); });
  CHECK(worst < 1e-5);
  // The z rows matter: another z gives another loss.
  const int other[B] = {1, 0, 2, 0, 1};
  const auto pred_term = [&](ZColumns c) {
    return level1_loss<double>(batch.nets(), batch.frames, batch.headings, batch.targets, batch.weights, false, c).pred;
  };
  CHECK(pred_term(ZColumns{K, other}) != doctest::Approx(pred_term(zc)));
}

TEST_CASE("d cost / d heading with z matches finite differences, expected and worst case") {
  using M = nn::Mat<double>;
  Rng rng(21);
  const int D = 4, H = 4, R = 3, K = 3;
  const FourierBasis<double> fourier = make_fourier_basis<double>(D, 6, 0.8);
  nn::MLP<double> pred({predictor_input_size(D, fourier.size(), K), 9, 8, D}, nn::Activation::GELU, rng, "P"),
      head({D, 6, kNumColors}, nn::Activation::Tanh, rng, "C");
  // Make z matter: large weights on the one-hot columns of the first layer.
  pred.layers[0].W.value.rightCols(K) *= 6.0;
  const M s0 = M::Random(D, 1), goal = M::Random(D, 1);
  M headings(H, R);
  for (Eigen::Index i = 0; i < headings.size(); ++i) headings(i) = rng.uniform(-3, 3);
  const double belief[K] = {0.5, 0.01, 0.49};  // z = 1 is below kPlanZMinWeight: not rolled out
  for (bool worst_case : {false, true}) {
    CAPTURE(worst_case);
    PlanCostSpec<double> spec{&goal, 2, 0.7, 1.3, 2.5, K, belief, worst_case};
    std::vector<double> costs;
    M grad;
    std::vector<M> latents;
    plan_cost<double>(pred, fourier, head, s0, headings, spec, costs, &grad, &latents);
    REQUIRE(costs.size() == static_cast<size_t>(R));
    CHECK(latents[1].cols() == 2 * R);  // two z rolled out
    // Each candidate's energy from its two futures.
    PlanCostSpec<double> only0 = spec, only2 = spec;
    const double b0[K] = {1, 0, 0}, b2[K] = {0, 0, 1};
    only0.z_weights = b0, only2.z_weights = b2;
    std::vector<double> c0, c2;
    plan_cost<double>(pred, fourier, head, s0, headings, only0, c0, nullptr);
    plan_cost<double>(pred, fourier, head, s0, headings, only2, c2, nullptr);
    for (int r = 0; r < R; ++r) {
      CHECK(c0[r] != doctest::Approx(c2[r]));
      const double want = worst_case ? std::max(c0[r], c2[r]) : (0.5 * c0[r] + 0.49 * c2[r]) / 0.99;
      CHECK(costs[r] == doctest::Approx(want).epsilon(1e-12));
    }
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
}

TEST_CASE("z assignment: each sequence takes its cheapest z, and every z keeps its floor") {
  Eigen::MatrixXd cost(8, 3);
  // Every sequence prefers z = 0; sequences 5 and 6 lose least by moving to z = 1, 2 and 7 to z = 2.
  cost << 0, 5, 5,  //
      0, 5, 5,      //
      0, 5, 1,      //
      0, 5, 5,      //
      0, 5, 5,      //
      0, 1, 5,      //
      0, 2, 5,      //
      0, 5, 2;
  const std::vector<int> free = assign_z(cost, 0.0);
  for (int q = 0; q < 8; ++q) CHECK(free[q] == 0);
  const std::vector<int> floored = assign_z(cost, 0.25);  // at least 2 of 8 each
  CHECK(floored == std::vector<int>{0, 0, 2, 0, 0, 1, 1, 2});
  const std::vector<double> usage = z_usage(floored, 3);
  CHECK(usage[0] == doctest::Approx(0.5));
  CHECK(usage[1] == doctest::Approx(0.25));
  CHECK(usage[2] == doctest::Approx(0.25));
}

namespace {

// A level 1 with K = 2 whose P1 moves s by +1 in dimension 0 under z = 0 and by -1 under z = 1,
// whatever the heading: a hand-built model where z decides the future.
Level1 two_futures_model() {
  Level1Arch arch;
  arch.features = 4, arch.latent = 2, arch.hidden = 4, arch.z_values = 2;
  Level1 m(arch, 3);
  for (auto& layer : m.predictor.layers) layer.W.value.setZero(), layer.b.value.setZero();
  // GELU(x) = x for large x, 0 for very negative x: route the one-hot through the hidden layers.
  const int in = predictor_input_size(2, kPredictorFourierFeatures, 2);
  m.predictor.layers[0].W.value(0, in - 2) = 10, m.predictor.layers[0].W.value(1, in - 1) = 10;
  for (size_t l = 1; l + 1 < m.predictor.layers.size(); ++l)
    m.predictor.layers[l].W.value(0, 0) = 1, m.predictor.layers[l].W.value(1, 1) = 1;
  auto& last = m.predictor.layers.back().W.value;
  last(0, 0) = 0.1f, last(0, 1) = -0.1f;  // 10 x 0.1 = +1 under z = 0, -1 under z = 1
  m.z_prior = {0.5f, 0.5f};
  m.z_noise = 0.05f;
  return m;
}

}  // namespace

TEST_CASE("the belief over z follows which future the readings confirm") {
  const Level1 m = two_futures_model();
  const MatF s = MatF::Zero(2, 1);
  const float h = 0.3f;
  const MatF each = predict_all_z(m, s, &h);  // D x K for one column
  CHECK(each(0, 0) == doctest::Approx(1.0).epsilon(0.01));
  CHECK(each(0, 1) == doctest::Approx(-1.0).epsilon(0.01));
  // Readings that moved by -1: z = 1.
  Eigen::MatrixXf p = z_prior_belief(m, 1);
  MatF reading = MatF::Zero(2, 1);
  reading(0, 0) = -1;
  update_z_belief(m, predict_all_z(m, s, &h), reading, p);
  CHECK(p(1, 0) > 0.95f);
  CHECK(p.col(0).sum() == doctest::Approx(1.0));
  // The expectation under that belief is z = 1's prediction, nearly.
  CHECK(expected_under_z(predict_all_z(m, s, &h), p)(0, 0) == doctest::Approx(-1.0).epsilon(0.1));
  // Then readings that moved by +1, twice: it changes its mind (the forgetting keeps z = 0 possible).
  reading(0, 0) = 1;
  for (int i = 0; i < 2; ++i) update_z_belief(m, predict_all_z(m, s, &h), reading, p);
  CHECK(p(0, 0) > 0.95f);
}

TEST_CASE("the planner rolls its plan out under each z the belief allows and weighs them") {
  const Level1 m = two_futures_model();
  PlannerParams pp;
  pp.horizon = 3, pp.iterations = 2, pp.restarts = 2;
  GradientPlanner planner(pp, 5);
  MatF goal = MatF::Zero(2, 1);
  goal(0, 0) = 3;
  const float sure1[2] = {0.0f, 1.0f}, unsure[2] = {0.6f, 0.4f};
  const PlanResult one = planner.plan(m, MatF::Zero(2, 1), &goal, -1, sure1);
  REQUIRE(one.future_z == std::vector<int>{1});
  CHECK(one.latents.back()(0, 0) == doctest::Approx(-3.0).epsilon(0.05));  // z = 1: moves away from the goal
  planner.reset();
  const PlanResult both = planner.plan(m, MatF::Zero(2, 1), &goal, -1, unsure);
  REQUIRE(both.future_z == std::vector<int>{0, 1});  // most probable first
  CHECK(both.future_weight[0] == doctest::Approx(0.6));
  CHECK(both.futures.back()(0, 0) == doctest::Approx(3.0).epsilon(0.05));
  CHECK(both.futures.back()(0, 1) == doctest::Approx(-3.0).epsilon(0.05));
  CHECK(both.latents.back()(0, 0) == doctest::Approx(3.0).epsilon(0.05));
  // Energies (goal weight 1, terminal weight 2): under z = 0 the steps reach 1, 2, 3: 4 + 1 + 0 = 5;
  // under z = 1 they reach -1, -2, -3: 16 + 25 + 2 x 36 = 113. Expected: 0.6 x 5 + 0.4 x 113.
  CHECK(one.cost == doctest::Approx(113).epsilon(0.01));
  CHECK(both.cost == doctest::Approx(0.6 * 5 + 0.4 * 113).epsilon(0.01));
}

TEST_CASE("labelling for the Mode-1 policy plans under the belief's most probable z alone") {
  const Level1 m = two_futures_model();
  PlannerParams pp;
  pp.horizon = 3, pp.iterations = 2, pp.restarts = 2;
  MatF goal = MatF::Zero(2, 1);
  goal(0, 0) = 3;
  const float unsure[2] = {0.4f, 0.6f}, sure1[2] = {0.0f, 1.0f};
  GradientPlanner labelling(pp, 5), plain(pp, 5), sure(pp, 5);
  PolicyLabels labels;
  labelling.labels = &labels;
  const uint64_t before = predictor_evaluations;
  const PlanResult l = labelling.plan(m, MatF::Zero(2, 1), &goal, -1, unsure);
  const uint64_t labelled_calls = predictor_evaluations - before;
  const PlanResult p = plain.plan(m, MatF::Zero(2, 1), &goal, -1, unsure);
  const uint64_t plain_calls = predictor_evaluations - before - labelled_calls;
  const PlanResult s = sure.plan(m, MatF::Zero(2, 1), &goal, -1, sure1);
  CHECK(p.future_z == std::vector<int>{1, 0});  // acting: every z the belief allows
  CHECK(l.future_z == std::vector<int>{1});     // labelling: the most probable one alone
  CHECK(l.headings == s.headings);              // as if the belief were sure of it
  REQUIRE(labels.samples() == 1);
  CHECK(labels.headings[0] == s.headings.front());
  CHECK(labelled_calls < plain_calls);
}
