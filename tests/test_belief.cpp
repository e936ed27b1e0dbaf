// The belief update (belief.hpp): the Kalman gain from the belief's variance and the encoder's noise,
// how it weighs prediction against reading at the extremes, and the fixed gain left as it was.
#include <doctest/doctest.h>

#include <algorithm>

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

TEST_CASE("the Kalman gain: p- = p + q, k = p- / (p- + r), p = (1 - k) p-, settling at the steady gain") {
  const Eigen::MatrixXf R = Eigen::Vector3f(1, 2, 3).asDiagonal();
  const KalmanNoise n = kalman_noise(R, 0.5);
  CHECK(n.r == doctest::Approx(2));  // the encoder's mean variance per dimension
  CHECK(n.q == doctest::Approx(1));  // q = k^2 r / (1 - k) at k = 0.5
  double p = n.r;                    // an episode starts at the first encoding's noise
  CHECK(kalman_gain_step(n, p) == doctest::Approx(0.6));  // p- = 3: trusts the reading more than it will
  CHECK(p == doctest::Approx(1.2));
  CHECK(kalman_gain_step(n, p) == doctest::Approx(2.2 / 4.2));
  float k = 1;
  for (int t = 0; t < 40; ++t) {
    const float next = kalman_gain_step(n, p);
    CHECK(next <= k);  // the gain only falls as the belief gathers readings
    k = next;
  }
  CHECK(k == doctest::Approx(0.5).epsilon(1e-4));
  SUBCASE("a steady gain of 1 or a reading without noise trusts every reading") {
    double p1 = 1;
    CHECK(kalman_gain_step(kalman_noise(R, 1.0), p1) == 1.f);
    double p0 = 1;
    CHECK(kalman_gain_step(kalman_noise(Eigen::MatrixXf::Zero(3, 3), 0.3), p0) == 1.f);
    CHECK(p0 == 0);
  }
  SUBCASE("the same filter for every steady gain: a lower one starts lower") {
    double pa = 2, pb = 2;
    CHECK(kalman_gain_step(kalman_noise(R, 0.2), pa) < kalman_gain_step(kalman_noise(R, 0.6), pb));
  }
}

TEST_CASE("the Kalman belief follows the reading when it is unsure of itself, the prediction when it is sure") {
  Level1 m = small_level1();
  const World world = generate_map(3);
  Env env(world, Task{{Color::Red}});
  const Observation o0 = env.reset(2);
  const Observation o1 = env.step(0.5).obs;
  const MatF b0 = m.encode_observation(o0, EnvParams{}.ray_max);
  const Eigen::MatrixXf I = Eigen::MatrixXf::Identity(3, 3);
  m.belief_q = I;
  m.belief_r = I;
  m.fitted_gain = 1e-3f;  // the predictor's noise a millionth of the encoder's
  BeliefParams kalman;
  kalman.mode = BeliefMode::Kalman;
  kalman.min_gain = 0;  // settle at the fitted gain
  auto step = [&](double& p) {  // p: the belief's own variance before the step
    std::vector<float> z = m.z_prior;
    return update_belief(m, b0, 0.5f, o1, EnvParams{}.ray_max, kalman, z, &p);
  };
  double unsure_p = 1e9, sure_p = 0;
  const BeliefUpdate unsure = step(unsure_p), sure = step(sure_p);
  CHECK((unsure.belief - unsure.reading).norm() < 1e-4f * (1 + unsure.reading.norm()));
  CHECK((sure.belief - sure.expected).norm() < 1e-4f * (1 + sure.expected.norm()));
  CHECK(sure_p > 0);  // the prediction's noise, less what the reading took away
  CHECK(sure_p < 2e-6);
  SUBCASE("the fixed gain ignores the variance") {
    BeliefParams fixed;
    fixed.mode = BeliefMode::Fixed;
    fixed.gain = 0.25;
    std::vector<float> z = m.z_prior;
    double p = 1;
    const BeliefUpdate u = update_belief(m, b0, 0.5f, o1, EnvParams{}.ray_max, fixed, z, &p);
    CHECK(u.belief.isApprox(u.expected + 0.25f * (u.reading - u.expected)));
    CHECK(p == 1);  // untouched
  }
  SUBCASE("a model without noise estimates steps at its fitted gain") {
    Level1 bare = small_level1();
    bare.fitted_gain = 0.3f;
    std::vector<float> z = bare.z_prior;
    double p = 1;
    const BeliefUpdate u = update_belief(bare, b0, 0.5f, o1, EnvParams{}.ray_max, kalman, z, &p);
    CHECK(u.belief.isApprox(u.expected + 0.3f * (u.reading - u.expected)));
    BeliefParams floored = kalman;
    floored.min_gain = 0.6;  // raised to the floor
    const BeliefUpdate f = update_belief(bare, b0, 0.5f, o1, EnvParams{}.ray_max, floored, z, &p);
    CHECK(f.belief.isApprox(f.expected + 0.6f * (f.reading - f.expected)));
    BeliefParams fitted = floored;
    fitted.mode = BeliefMode::Fitted;  // the fitted mode ignores the floor
    CHECK(fitted.fixed_gain(bare) == 0.3f);
  }
  SUBCASE("min_gain: the Kalman belief settles at the fitted gain or the floor, whichever is higher") {
    BeliefParams floored = kalman;
    floored.min_gain = 0.5;
    CHECK(floored.steady_gain(m) == doctest::Approx(0.5));
    m.fitted_gain = 0.7f;
    CHECK(floored.steady_gain(m) == doctest::Approx(0.7));
    // Many steps from an unsure start: the gain settles at the steady gain.
    m.fitted_gain = 0.2f;
    const KalmanNoise n = kalman_noise(m, floored);
    double p = n.r;
    float k = 1;
    for (int t = 0; t < 200; ++t) k = kalman_gain_step(n, p);
    CHECK(k == doctest::Approx(0.5).epsilon(1e-4));
    kalman.min_gain = 0;
    const KalmanNoise n0 = kalman_noise(m, kalman);
    p = n0.r;
    for (int t = 0; t < 200; ++t) k = kalman_gain_step(n0, p);
    CHECK(k == doctest::Approx(0.2).epsilon(1e-4));
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
    // The Kalman belief at its best steady gain is at least as good as at the fitted gain (one of the
    // gains it tries); its mean gain per frame stays in (0, 1] (with the process noise by context it
    // may rise again after a move into a tight spot).
    CHECK(r.kalman_error <= r.kalman_fitted_error * (1 + 1e-5));
    CHECK(r.best_kalman_steady_gain > 0);
    CHECK(r.best_kalman_steady_gain <= 1);
    REQUIRE(r.kalman_gain.size() == static_cast<size_t>(held.length));
    for (float k : r.kalman_gain) CHECK((k > 0 && k <= 1 + 1e-6f));
    CHECK(std::isfinite(r.kalman_full_error));
    // The context filter: a ratio per clearance bin whose mean over the frames is 1 (so some bins above,
    // some below unless all are 1), and its own best steady gain.
    REQUIRE(r.kalman_context_ratio.size() == static_cast<size_t>(kClearanceBins));
    CHECK(*std::max_element(r.kalman_context_ratio.begin(), r.kalman_context_ratio.end()) >= 1);
    CHECK(*std::min_element(r.kalman_context_ratio.begin(), r.kalman_context_ratio.end()) <= 1);
    CHECK(std::isfinite(r.kalman_scalar_error));
    CHECK(r.best_kalman_scalar_gain > 0);
    if (sigma == 0) {
      CHECK(r.encoding_latent_error < 1e-6);  // the stored true position is a float: the last bits may differ
      // No observation noise: the encoder's noise estimate (the Kalman belief's r) is nil.
      CHECK(r.kalman_r.trace() < 1e-9f);
    } else {
      CHECK(r.encoding_latent_error > 0.01);
    }
  }
}

TEST_CASE("the ideal position filter: exact without perception noise, better than the readings with it") {
  const World world = generate_map(3, MapParams{});
  ExplorationParams ep;
  ep.sequences = 200;
  ep.sequence_length = 20;
  std::vector<int> all(ep.sequences);
  for (int s = 0; s < ep.sequences; ++s) all[s] = s;
  EnvParams env;
  env.noise_perception = 0;
  env.noise_motion = 0.3;
  const ExplorationData exact = collect_exploration(world, env, ep, 9);
  REQUIRE(exact.landing_xy.size() == static_cast<size_t>(ep.sequences * ep.sequence_length * 2));
  CHECK(exact.noise_motion == 0.3);
  // Readings without noise: it takes each whole, whatever the motion noise did.
  CHECK(ideal_filter_error(exact, all, world.width, world.height) < 1e-4);
  // Each landing point is where the step ended before the motion noise: within the noise of the truth.
  double drift = 0;
  for (int s = 0; s < ep.sequences; ++s)
    for (int t = 0; t < ep.sequence_length; ++t)
      drift += std::hypot(exact.landing_at(s, t)[0] - exact.xy_at(s, t + 1)[0], exact.landing_at(s, t)[1] - exact.xy_at(s, t + 1)[1]);
  drift /= ep.sequences * ep.sequence_length;
  CHECK(drift > 0.3);  // mean length of a 2-D Gaussian step of 0.3 per axis: 0.376 (less where an obstacle stops it)
  CHECK(drift < 0.45);

  env.noise_perception = 0.8;
  env.noise_motion = 0.05;
  const ExplorationData noisy = collect_exploration(world, env, ep, 9);
  double perceived = 0;
  for (int s = 0; s < ep.sequences; ++s)
    for (int t = 1; t <= ep.sequence_length; ++t) {
      const Vec2 p = perceived_position(noisy.obs_at(s, t), world.width, world.height);
      perceived += std::hypot(p.x - noisy.xy_at(s, t)[0], p.y - noisy.xy_at(s, t)[1]);
    }
  perceived /= ep.sequences * ep.sequence_length;
  CHECK(perceived == doctest::Approx(0.8 * std::sqrt(kPi / 2)).epsilon(0.05));  // a reading's mean error
  // Almost no motion noise: the filter averages the readings so far, its error at frame t about the
  // reading's over sqrt(t + 1); over frames 1..20 that is 0.34 of it. Less than any one reading.
  const double ideal = ideal_filter_error(noisy, all, world.width, world.height);
  CHECK(ideal < 0.45 * perceived);
  CHECK(ideal > 0.25 * perceived);
  // The training set keeps no landing points: no figure.
  CHECK(std::isnan(ideal_filter_error(collect_exploration(world, env, ep, 9, false), all, world.width, world.height)));
}

TEST_CASE("clearance_bin: the least of the three range readings nearest the heading, binned") {
  ExplorationData d;
  const int rays = 8;
  d.features = 2 + kNumColors + rays;
  d.sequences = 1;
  d.length = 1;
  d.obs.assign(static_cast<size_t>(2 * d.features), 1.0f);
  d.headings = {0.0f};
  float* ranges = &d.obs[2 + kNumColors];
  CHECK(clearance_bin(d, 0, 0) == kClearanceBins - 1);  // nothing within reach
  ranges[4] = 0.05f;                                    // behind (heading 0 is ray 0): ignored
  CHECK(clearance_bin(d, 0, 0) == kClearanceBins - 1);
  ranges[7] = 0.25f;  // a neighbour of ray 0 (wrapping round)
  CHECK(clearance_bin(d, 0, 0) == 2);
  ranges[0] = 0.15f;
  CHECK(clearance_bin(d, 0, 0) == 1);
  d.headings = {static_cast<float>(kPi)};  // heading pi: rays 3, 4, 5
  CHECK(clearance_bin(d, 0, 0) == 0);
  d.headings = {static_cast<float>(-kPi / 2)};  // rays 5, 6, 7
  CHECK(clearance_bin(d, 0, 0) == 2);
  ranges[6] = 0.6f;
  CHECK(clearance_bin(d, 0, 0) == 2);
  ranges[7] = 0.65f;
  CHECK(clearance_bin(d, 0, 0) == 4);
}

TEST_CASE("the agents' Kalman belief: process noise by the clearance the move set out into") {
  Level1 m = small_level1();
  m.belief_q = m.belief_r = Eigen::MatrixXf::Identity(3, 3);
  m.fitted_gain = 0.5f;
  m.belief_context = {4.f, 1.f, 1.f, 1.f, 1.f, 0.25f};
  BeliefParams kalman;
  kalman.mode = BeliefMode::Kalman;
  const double ray_max = EnvParams{}.ray_max;
  Observation open;  // nothing within reach: the last bin
  open.num_rays = 8;
  open.ranges.fill(static_cast<float>(ray_max));
  Observation tight = open;  // a wall right ahead of heading 0 (ray 0)
  tight.ranges[0] = static_cast<float>(0.05 * ray_max);
  for (const bool near_wall : {false, true}) {
    CAPTURE(near_wall);
    BeliefState b;
    b.reset(m, near_wall ? tight : open, ray_max, kalman);
    const double p0 = b.variance;
    b.update(m, 0.f, open, ray_max, kalman);
    CHECK(b.context_bin == (near_wall ? 0 : kClearanceBins - 1));
    KalmanNoise n = kalman_noise(m, kalman);
    n.q *= near_wall ? 4.0 : 0.25;
    double p = p0;
    CHECK(b.gain == doctest::Approx(kalman_gain_step(n, p)));
    CHECK(b.variance == doctest::Approx(p));
    // The next move sets out from the open observation the belief just read: the last bin.
    b.update(m, static_cast<float>(kPi), open, ray_max, kalman);
    CHECK(b.context_bin == kClearanceBins - 1);
  }
  // Near a wall P1 is trusted less: the reading weighs more.
  BeliefState a, c;
  a.reset(m, open, ray_max, kalman), c.reset(m, tight, ray_max, kalman);
  a.update(m, 0.f, open, ray_max, kalman), c.update(m, 0.f, open, ray_max, kalman);
  CHECK(c.gain > a.gain);
  // agent.belief.context 0: one process noise for every move (the ablation); 0.5: the ratio's square root.
  for (const double weight : {0.0, 0.5}) {
    BeliefParams partial = kalman;
    partial.context = weight;
    BeliefState w;
    w.reset(m, tight, ray_max, partial);
    double p = w.variance;
    w.update(m, 0.f, open, ray_max, partial);
    KalmanNoise n = kalman_noise(m, partial);
    n.q *= std::pow(4.0, weight);
    CHECK(w.gain == doctest::Approx(kalman_gain_step(n, p)));
  }
}
