// The belief update (belief.hpp): the Kalman gain from the predictor's and the encoder's noise, how
// it weighs prediction against reading at the extremes, and the fixed gain left as it was.
#include <doctest/doctest.h>

#include "agent/jepa/belief.hpp"
#include "agent/jepa/encoder.hpp"
#include "agent/jepa/level1_diagnostics.hpp"
#include "sim/map_gen.hpp"

using namespace hjepa;

namespace {

Level1 small_level1() {
  Level1Arch arch;
  arch.features = feature_size(EnvParams{}.num_rays);
  arch.latent = 3;
  arch.hidden = 8;
  arch.head_hidden = 4;
  arch.probe_hidden = 4;
  return Level1(arch, 5);
}

}  // namespace

TEST_CASE("the Kalman gain: P- = P + Q, K = P- (P- + R)^-1, P = (I - K) P-") {
  Level1 m = small_level1();
  const Eigen::MatrixXf I = Eigen::MatrixXf::Identity(3, 3);
  m.belief_q = 0 * I;
  m.belief_r = 2 * I;
  Eigen::MatrixXf P = m.belief_r;  // an episode starts at the first encoding's noise
  const Eigen::MatrixXf K1 = kalman_gain_step(m, P);
  CHECK(K1.isApprox(0.5f * I, 1e-5f));  // equal uncertainty: halfway
  CHECK(P.isApprox(I, 1e-5f));
  const Eigen::MatrixXf K2 = kalman_gain_step(m, P);  // without process noise the belief trusts itself more each step
  CHECK(K2.isApprox(I / 3, 1e-5f));
  m.belief_q = 4 * I;
  Eigen::MatrixXf Pq = m.belief_r;
  for (int t = 0; t < 50; ++t) kalman_gain_step(m, Pq);
  const Eigen::MatrixXf Kss = kalman_gain_step(m, Pq);
  // Steady state of the scalar filter with q = 4, r = 2: p = (-q + sqrt(q^2 + 4 q r)) / 2, k = (p + q) / (p + q + r).
  const double p = (-4 + std::sqrt(16.0 + 32.0)) / 2, k = (p + 4) / (p + 4 + 2);
  CHECK(Kss(0, 0) == doctest::Approx(k).epsilon(1e-4));
  CHECK(std::abs(Kss(0, 1)) < 1e-6f);
}

TEST_CASE("the Kalman belief follows the reading when the encoder is sure, the prediction when it is not") {
  Level1 m = small_level1();
  const World world = generate_map(3);
  Env env(world, Task{{Color::Red}});
  const Observation o0 = env.reset(2);
  const Observation o1 = env.step(0.5).obs;
  const MatF b0 = m.encode_observation(o0, EnvParams{}.ray_max);
  const Eigen::MatrixXf I = Eigen::MatrixXf::Identity(3, 3);
  BeliefParams kalman;
  kalman.mode = BeliefMode::Kalman;
  auto step = [&](float r, float p0) {  // r: the encoder's noise; p0: the belief's own uncertainty before
    m.belief_q = 1e-6f * I;
    m.belief_r = r * I;
    std::vector<float> z = m.z_prior;
    Eigen::MatrixXf P = p0 * I;
    return update_belief(m, b0, 0.5f, o1, EnvParams{}.ray_max, kalman, z, &P);
  };
  const BeliefUpdate sure = step(1e-6f, 1), unsure = step(1e6f, 1);
  CHECK((sure.belief - sure.reading).norm() < 1e-4f * (1 + sure.reading.norm()));
  CHECK((unsure.belief - unsure.expected).norm() < 1e-4f * (1 + unsure.expected.norm()));
  SUBCASE("the fixed gain ignores the covariances") {
    BeliefParams fixed;
    fixed.mode = BeliefMode::Fixed;
    fixed.gain = 0.25;
    std::vector<float> z = m.z_prior;
    Eigen::MatrixXf P = m.belief_r;
    const BeliefUpdate u = update_belief(m, b0, 0.5f, o1, EnvParams{}.ray_max, fixed, z, &P);
    CHECK(u.belief.isApprox(u.expected + 0.25f * (u.reading - u.expected)));
    CHECK(P == m.belief_r);  // untouched
  }
  SUBCASE("a model without noise estimates falls back to the fixed gain") {
    Level1 bare = small_level1();
    std::vector<float> z = bare.z_prior;
    Eigen::MatrixXf P;
    const BeliefUpdate u = update_belief(bare, b0, 0.5f, o1, EnvParams{}.ray_max, kalman, z, &P);
    CHECK(u.belief.isApprox(u.expected + 0.5f * (u.reading - u.expected)));
  }
}

TEST_CASE("level 2's training belief: gain 1 follows the encodings, gain 0 the predictor from the first frame") {
  const Level1 m = small_level1();
  const World world = generate_map(3, MapParams{});
  ExplorationParams ep;
  ep.sequences = 3;
  ep.sequence_length = 5;
  const ExplorationData d = collect_exploration(world, EnvParams{}, ep, 7);
  const MatF raw = m.encode(all_frames(d));
  const MatF follow = filtered_encodings(m, d, 1.f), predict = filtered_encodings(m, d, 0.f),
             half = filtered_encodings(m, d, 0.5f);
  REQUIRE(follow.cols() == raw.cols());
  CHECK(follow.isApprox(raw, 1e-5f));
  for (int s = 0; s < d.sequences; ++s) {
    CAPTURE(s);
    MatF b = raw.col(d.frame_index(s, 0));
    CHECK(predict.col(d.frame_index(s, 0)) == b);  // every sequence starts at its first encoding
    for (int t = 1; t <= d.length; ++t) {
      const float h = d.heading_at(s, t - 1);
      const MatF p = predict_all_z(m, b, &h);  // K = 1: the prediction itself
      CHECK(predict.col(d.frame_index(s, t)).isApprox(p, 1e-5f));
      b = p;
      // halfway: the prediction from the previous belief plus half the encoder's correction
      const MatF prev = half.col(d.frame_index(s, t - 1)), q = predict_all_z(m, prev, &h);
      CHECK(half.col(d.frame_index(s, t)).isApprox(q + 0.5f * (raw.col(d.frame_index(s, t)) - q), 1e-5f));
    }
  }
}

TEST_CASE("the belief diagnostics in the latent: distances to the encoding without perception noise") {
  Level1 m = small_level1();
  const World world = generate_map(3, MapParams{});
  m.width = world.width, m.height = world.height;
  ExplorationParams ep;
  ep.sequences = 8;
  ep.sequence_length = 6;
  for (double sigma : {0.0, 0.5}) {
    CAPTURE(sigma);
    EnvParams env;
    env.noise_perception = sigma;
    const ExplorationData held = collect_exploration(world, env, ep, 9);
    Level1Report r;
    measure_level1(m, held, r);
    // By hand: every odd sequence's frames 1..L, E1 of the perceived frame against E1 of the frame
    // with its true position.
    double sq = 0;
    int n = 0;
    for (int s = 1; s < held.sequences; s += 2)
      for (int t = 1; t <= held.length; ++t, ++n) {
        MatF x = gather_frames(held, {s}, {0}, t), clean = x;
        clean(0, 0) = static_cast<float>(2 * held.xy_at(s, t)[0] / m.width - 1);
        clean(1, 0) = static_cast<float>(2 * held.xy_at(s, t)[1] / m.height - 1);
        sq += (m.encode(x) - m.encode(clean)).squaredNorm();
      }
    CHECK(r.encoding_latent_error == doctest::Approx(std::sqrt(sq / n)).epsilon(1e-4));
    CHECK(std::isfinite(r.kalman_latent_error));
    CHECK(std::isfinite(r.fixed_latent_error));
    if (sigma == 0) {
      CHECK(r.encoding_latent_error < 1e-6);  // the stored true position is a float: the last bits may differ
      // No observation noise (R = 0): the Kalman gain is the identity and the belief is the reading.
      CHECK(r.kalman_latent_error < 1e-3);
    } else {
      CHECK(r.encoding_latent_error > 0.01);
    }
  }
}
