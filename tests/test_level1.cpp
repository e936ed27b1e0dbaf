// Level 1: the full batch objective's gradients against finite differences (double), and a short
// training run on a small map that lowers the loss without collapsing the latent.
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <map>
#include <tuple>
#include <utility>

#include "agent/jepa/exploration.hpp"
#include "agent/jepa/level1.hpp"
#include "agent/jepa/level1_diagnostics.hpp"
#include "agent/jepa/level1_loss.hpp"
#include "agent/jepa/level1_training.hpp"
#include "agent/jepa/predictor.hpp"
#include "agent/jepa/side_thread.hpp"
#include "agent/jepa/train_model.hpp"
#include "agent/nn/optim.hpp"
#include "sim/map_gen.hpp"
#include "tests/gradient_check.hpp"
#include "tests/halves_check.hpp"
#include "tests/level1_batch.hpp"
#include "tiny_training.hpp"

using namespace hjepa;

TEST_CASE("gather_windows: each window's frames from the data in order, the targets its frames after the first") {
  MapParams mp;
  mp.width = 16, mp.height = 12, mp.num_regions = 6, mp.num_obstacles = 3;
  ExplorationParams ep;
  ep.sequences = 6, ep.sequence_length = 9;
  const ExplorationData d = collect_exploration(generate_map(4, mp), EnvParams{}, ep, 3);
  const std::vector<int> seq = {5, 0, 3, 5}, t0 = {0, 4, 2, 3};  // windows of 4 frames; the same sequence twice
  std::vector<MatF> frames(4);
  MatF targets;
  gather_windows(d, seq, t0, frames, &targets);
  REQUIRE(targets.rows() == d.features);
  REQUIRE(targets.cols() == 3 * 4);
  for (int t = 0; t < 4; ++t) {
    REQUIRE(frames[t].rows() == d.features);
    REQUIRE(frames[t].cols() == 4);
    for (int b = 0; b < 4; ++b)
      for (int f = 0; f < d.features; ++f) {
        CHECK(frames[t](f, b) == d.obs_at(seq[b], t0[b] + t)[f]);
        if (t > 0) CHECK(targets(f, (t - 1) * 4 + b) == frames[t](f, b));
      }
  }
  std::vector<MatF> alone(2);
  gather_windows(d, {1}, {7}, alone, nullptr);  // no targets asked for; the last window of a sequence
  CHECK(alone[1](0, 0) == d.obs_at(1, 8)[0]);
}

TEST_CASE("level-1 loss: every parameter gradient matches finite differences") {
  test::Level1Batch batch(3, 5, 3, 6, 3, 1, 7, 5);  // the Fourier basis's backward is checked too
  nn::ParamList<double> params = batch.params();
  nn::zero_grad(params);
  batch.loss(true);
  CHECK(worst_gradient_error(params, [&] { return batch.loss(false); }) < 1e-5);
}

TEST_CASE("level-1 loss in two halves of the batch: the whole batch's loss and gradients, with or without a side thread") {
  const int K = 2;
  test::Level1Batch batch(5, 5, 3, 7, 3, K, 7, 5);  // an odd batch: halves of 3 and 4 windows
  const std::vector<int> z = {0, 1, 1, 0, 1, 0, 0};
  const ZColumns zc{K, z.data()};
  nn::MLP<double> replica = batch.pred;
  check_halves_match_whole(
      batch.params(), batch.pred, replica, [&] { return std::vector<double>{batch.loss(true, zc)}; },
      [&](SideThread* thread) {
        const PredictionHalves<double> halves{&replica, thread};
        return std::vector<double>{batch.loss(true, zc, &halves)};
      });
}

TEST_CASE("training unrolls train.unroll steps, at most the sequences' length") {
  Level1TrainParams tp;
  tp.unroll = 3;
  ExplorationData data;
  data.length = 5;
  CHECK(training_unroll(tp, data) == 3);
  tp.unroll = 9;
  CHECK(training_unroll(tp, data) == 5);
  tp.unroll = 0;
  CHECK_THROWS_AS(training_unroll(tp, data), std::invalid_argument);
}

namespace {

// A short level-1 training on a small map (level 2 as little as possible: not measured here).
ModelFile train_small_uncached(int steps, int polish_steps, int head_steps, int probe_steps, int heldout, Level1Report& r,
                               int polish_short_unroll, double polish_from_belief) {
  MapParams mp;
  mp.width = 16, mp.height = 12, mp.num_regions = 6, mp.num_obstacles = 3;
  const World w = generate_map(4, mp);
  Level1TrainParams tp;
  tp.steps = steps;
  tp.batch = 64;
  tp.polish_steps = polish_steps;
  tp.polish_short_unroll = polish_short_unroll;
  tp.polish_from_belief = polish_from_belief;
  tp.head_steps = head_steps;
  tp.probe_steps = probe_steps;
  tp.exploration.sequences = 150;
  tp.exploration.sequence_length = 20;
  tp.heldout_sequences = heldout;
  tp.mode1 = test::tiny_mode1();
  Level2TrainParams level2;
  level2.steps = 20;
  level2.distance_steps = 20;
  level2.kmeans_iterations = 2;
  Level2Report r2;
  return train_model(w, EnvParams{}, tp, level2, 5, "test", r, r2);
}

// The same, each set of arguments trained once per run (training is deterministic; two test cases
// train the same pair of models, and under the sanitizers a training takes seconds).
ModelFile train_small(int steps, int polish_steps, int head_steps, int probe_steps, int heldout, Level1Report& r,
                      int polish_short_unroll = 0, double polish_from_belief = 1) {
  using Key = std::tuple<int, int, int, int, int, int, double>;
  static std::map<Key, std::pair<ModelFile, Level1Report>> trained;
  const Key key{steps, polish_steps, head_steps, probe_steps, heldout, polish_short_unroll, polish_from_belief};
  auto it = trained.find(key);
  if (it == trained.end()) {
    Level1Report report;
    ModelFile mf = train_small_uncached(steps, polish_steps, head_steps, probe_steps, heldout, report, polish_short_unroll,
                                        polish_from_belief);
    it = trained.emplace(key, std::make_pair(std::move(mf), report)).first;
  }
  r = it->second.second;
  return it->second.first;
}

}  // namespace

TEST_CASE("train.polish_short_unroll changes the polish's first half only where it is set") {
  Level1Report r0, r1, r2;
  const ModelFile m0 = train_small(40, 60, 20, 20, 10, r0), m1 = train_small(40, 60, 20, 20, 10, r1, 2);
  const ModelFile m2 = train_small(40, 60, 20, 20, 10, r2, 6);  // >= train.unroll (6): the same as off
  REQUIRE((r0.finite && r1.finite && r2.finite));
  const auto& w0 = m0.level1.predictor.layers[0].W.value;
  CHECK(w0 != m1.level1.predictor.layers[0].W.value);  // a different polish
  CHECK(w0 == m2.level1.predictor.layers[0].W.value);
  CHECK(m0.level1.encoder.layers[0].W.value == m1.level1.encoder.layers[0].W.value);  // the joint phase untouched
  CHECK(r1.loss_polish.size() == r0.loss_polish.size());
}

TEST_CASE("the belief's fitted gain trusts the reading less where perception is noisier; the polish learns from that belief") {
  Level1Report r, raw;
  const ModelFile mf = train_small(300, 60, 20, 20, 20, r), mr = train_small(300, 60, 20, 20, 20, raw, 0, 0);
  REQUIRE((r.finite && raw.finite));
  CHECK(mf.level1.fitted_gain == static_cast<float>(r.fitted_gain));  // the model carries what its diagnostics fitted
  // train.polish_from_belief 0: the polish learns from the raw encodings (gain 1), the joint phase is the same.
  CHECK(raw.polish_gain == 1);
  CHECK(r.polish_gain > 0);
  CHECK(r.polish_gain <= 1);
  CHECK(mf.level1.encoder.layers[0].W.value == mr.level1.encoder.layers[0].W.value);
  if (r.polish_gain < 1) CHECK(mf.level1.predictor.layers[0].W.value != mr.level1.predictor.layers[0].W.value);
  // The same model on held-out data with sharp and with very noisy perception.
  MapParams mp;
  mp.width = 16, mp.height = 12, mp.num_regions = 6, mp.num_obstacles = 3;
  const World w = generate_map(4, mp);
  ExplorationParams ep;
  ep.sequences = 40;
  ep.sequence_length = 20;
  EnvParams sharp, blurred;
  sharp.noise_perception = 0;
  blurred.noise_perception = 3;
  const double g_sharp = fit_belief_gain(mf.level1, collect_exploration(w, sharp, ep, 9));
  const double g_blurred = fit_belief_gain(mf.level1, collect_exploration(w, blurred, ep, 9));
  MESSAGE("fitted gain: sharp perception " << g_sharp << ", sigma 3 " << g_blurred);
  CHECK(g_blurred < g_sharp);
  CHECK(g_blurred > 0);
  CHECK(g_sharp <= 1);
  CHECK_THROWS_AS(fit_belief_gain(mf.level1, collect_exploration(w, sharp, ep, 9, false)), std::logic_error);
}

TEST_CASE("train.polish_from_belief is the share of each polish batch taken from the belief, the rest from the raw encodings") {
  Level1Report r_belief, r_raw, r_half, r_none;
  const ModelFile belief = train_small(300, 60, 20, 20, 20, r_belief, 0, 1), raw = train_small(300, 60, 20, 20, 20, r_raw, 0, 0);
  const ModelFile half = train_small(300, 60, 20, 20, 20, r_half, 0, 0.5);
  const ModelFile none = train_small(300, 60, 20, 20, 20, r_none, 0, 0.001);  // rounds to no window of the batch
  REQUIRE((r_belief.finite && r_raw.finite && r_half.finite && r_none.finite));
  REQUIRE(r_belief.polish_gain < 1);  // else the belief would be the raw encodings and nothing would differ
  CHECK(r_half.polish_gain == r_belief.polish_gain);  // the same fit after the same joint phase
  CHECK(half.level1.encoder.layers[0].W.value == raw.level1.encoder.layers[0].W.value);
  const auto& p_half = half.level1.predictor.layers[0].W.value;
  CHECK(p_half != belief.level1.predictor.layers[0].W.value);
  CHECK(p_half != raw.level1.predictor.layers[0].W.value);
  CHECK(none.level1.predictor.layers[0].W.value == raw.level1.predictor.layers[0].W.value);
}

TEST_CASE("short training lowers the loss, keeps every latent dimension alive, and the probe reads position" * doctest::test_suite("learning")) {
  Level1Report r;
  train_small(400, 200, 600, 600, 30, r);
  REQUIRE(r.finite);
  REQUIRE(r.loss_pred.size() >= 3);
  CHECK(r.loss_pred.back() < 0.5 * r.loss_pred.front());
  CHECK(r.loss_var.back() < r.loss_var.front());
  for (float s : r.latent_std) CHECK(s > 0.05f);
  CHECK(r.probe_r2 > 0.9);
  MESSAGE("probe error on noise-free frames: " << r.probe_error);
  CHECK(r.probe_error > 0);
  CHECK(r.probe_error < 1.0);
  CHECK(r.colour_accuracy > 0.9);
  REQUIRE(r.kstep_probe_error.size() == 16);
  CHECK(r.kstep_probe_error[0] < 2.0);
}

TEST_CASE("the k-step error from the first frame: the middle's figure where the two coincide, another where not") {
  Level1Report r;
  const ModelFile mf = train_small(50, 50, 10, 200, 10, r);
  REQUIRE(r.finite);
  // train_small's held-out sequences are 20 steps long: the middle windows start at step 4.
  REQUIRE(r.kstep_probe_error_from_start.size() == 16);
  CHECK(r.kstep_probe_error_from_start != r.kstep_probe_error);
  MapParams mp;
  mp.width = 16, mp.height = 12, mp.num_regions = 6, mp.num_obstacles = 3;
  ExplorationParams ep;
  ep.sequences = 12;
  ep.sequence_length = 16;  // 16 steps: the middle windows start at the first frame too
  const ExplorationData held = collect_exploration(generate_map(4, mp), EnvParams{}, ep, 9);
  Level1Report m;
  measure_level1(mf.level1, held, m);
  REQUIRE(m.kstep_probe_error.size() == 16);
  CHECK(m.kstep_probe_error_from_start == m.kstep_probe_error);
}

TEST_CASE("the predictor polish lowers the k-step probe error and leaves the encoder and heads alone" * doctest::test_suite("learning")) {
  Level1Report without, with;
  const ModelFile a = train_small(300, 0, 300, 1500, 60, without), b = train_small(300, 800, 300, 1500, 60, with);
  REQUIRE(without.finite);
  REQUIRE(with.finite);
  CHECK(without.loss_polish.empty());
  REQUIRE(with.loss_polish.size() >= 3);
  CHECK(with.loss_polish.back() < with.loss_polish.front());
  // Same joint phase, same heads: only P1 differs.
  CHECK(a.level1.encoder.params()[0]->value == b.level1.encoder.params()[0]->value);
  CHECK(a.level1.probe.params()[0]->value == b.level1.probe.params()[0]->value);
  CHECK(a.level1.colour_head.params()[0]->value == b.level1.colour_head.params()[0]->value);
  CHECK_FALSE(a.level1.predictor.params()[0]->value == b.level1.predictor.params()[0]->value);
  double e0 = 0, e1 = 0;
  for (int k = 0; k < 8; ++k) e0 += without.kstep_probe_error[k], e1 += with.kstep_probe_error[k];
  CAPTURE(e0);
  CAPTURE(e1);
  CHECK(e1 < 0.8 * e0);  // 0.61 when written
}

TEST_CASE("the two-thread predictor polish gives the same model every run" * doctest::test_suite("learning")) {
  Level1Report r1, r2;
  // Two real trainings (train_small would hand back the first one's model again).
  const ModelFile a = train_small_uncached(50, 200, 10, 10, 10, r1, 0, 1), b = train_small_uncached(50, 200, 10, 10, 10, r2, 0, 1);
  REQUIRE(r1.finite);
  REQUIRE(r2.finite);
  const auto pa = a.level1.predictor.params(), pb = b.level1.predictor.params();
  REQUIRE(pa.size() == pb.size());
  for (size_t i = 0; i < pa.size(); ++i) CHECK(pa[i]->value == pb[i]->value);
  CHECK(r1.loss_polish == r2.loss_polish);
}

TEST_CASE("exploration keeps each frame as the world would look without perception and range noise") {
  const World world = generate_map(4);
  ExplorationParams xp;
  xp.sequences = 6;
  xp.sequence_length = 12;
  EnvParams noisy;
  noisy.noise_perception = 0.5, noisy.noise_range = 0.2;
  EnvParams quiet = noisy;
  quiet.noise_perception = 0, quiet.noise_range = 0;
  const ExplorationData d = collect_exploration(world, noisy, xp, 3), q = collect_exploration(world, quiet, xp, 3);
  REQUIRE(d.noise_free_obs.size() == d.obs.size());
  CHECK(q.noise_free_obs == q.obs);  // without noise the two are the same frames
  size_t position_differs = 0, range_differs = 0;
  for (size_t i = 0; i < d.obs.size(); ++i) {
    const size_t feature = i % static_cast<size_t>(d.features);
    (feature < 2 ? position_differs : range_differs) += d.obs[i] != d.noise_free_obs[i];
  }
  CHECK(position_differs == 2 * d.obs.size() / d.features);  // every perceived position is noisy
  CHECK(range_differs > 0);
  for (int s = 0; s < d.sequences; ++s)
    for (int t = 0; t <= d.length; ++t) {  // the noise-free frame's position is the true one
      const float* f = &d.noise_free_obs[static_cast<size_t>(d.frame_index(s, t)) * d.features];
      CHECK(f[0] == doctest::Approx(2 * d.xy_at(s, t)[0] / world.width - 1).epsilon(1e-5));
      CHECK(f[1] == doctest::Approx(2 * d.xy_at(s, t)[1] / world.height - 1).epsilon(1e-5));
    }
  const MatF all = all_noise_free_frames(d);
  CHECK(all.cols() == d.frame_index(d.sequences, 0));
  CHECK(all.col(d.frame_index(5, 7)) == Eigen::Map<const MatF>(&d.noise_free_obs[d.frame_index(5, 7) * d.features], d.features, 1));
  // A training set keeps none, and its noisy frames are the same.
  const ExplorationData train = collect_exploration(world, noisy, xp, 3, false);
  CHECK(train.noise_free_obs.empty());
  CHECK(train.obs == d.obs);
}

TEST_CASE("the data budget grows with the motion noise above train.sequences_motion_ref, and the model records what was collected") {
  ExplorationParams xp;  // 3000 sequences, motion_ref 0.4
  CHECK(resolve_exploration(xp, 0.05).sequences == 3000);
  CHECK(resolve_exploration(xp, 0.4).sequences == 3000);
  CHECK(resolve_exploration(xp, 0.6).sequences == 6750);   // (0.6 / 0.4)^2 = 2.25
  CHECK(resolve_exploration(xp, 0.8).sequences == 12000);  // 4x
  CHECK(resolve_exploration(xp, 1.6).sequences == 12000);  // at most kMaxDataGrowth
  CHECK(resolve_exploration(xp, 0.8).motion_ref == 0);
  CHECK(resolve_exploration(resolve_exploration(xp, 0.8), 0.8).sequences == 12000);  // resolving again changes nothing
  xp.motion_ref = 0;
  CHECK(resolve_exploration(xp, 0.8).sequences == 3000);
  xp.motion_ref = 0.1, xp.sequences = 400000;
  CHECK(resolve_exploration(xp, 1.6).sequences == 1000000);  // at most train.sequences' range

  const World world = generate_map(4);
  Level1TrainParams tp = test::tiny_level1(5, 20);
  EnvParams noisy;
  noisy.noise_motion = 0.8;
  Level1Report r;
  Level2Report r2;
  const ModelFile mf = train_model(world, noisy, tp, test::tiny_level2(5, 2), 1, "test", r, r2);
  CHECK(mf.train.exploration.sequences == 80);
  CHECK(mf.train.exploration.motion_ref == 0);
  auto conf = [](const ModelFile& m) {
    for (const ModelSection& s : model_sections(m))
      if (s.tag == "CONF") return s.payload;
    return std::string();
  };
  // Recorded as a model trained on 80 sequences without the rule: the file's bytes say what was done.
  CHECK(conf(mf).find("motion_ref") == std::string::npos);
  CHECK(unpack_model_file(pack_model_file(model_sections(mf)), "round trip").train.exploration.sequences == 80);
  tp.exploration.motion_ref = 0;
  tp.exploration.sequences = 40;
  CHECK(resolved_train_params(tp, noisy).exploration.sequences == 40);
  tp.exploration.motion_ref = 1.2;  // only the part above is off: 0.8 < 1.2 keeps the sequences
  CHECK(resolved_train_params(tp, noisy).exploration.sequences == 40);
  CHECK(resolved_train_params(tp, noisy).exploration.motion_ref == 0);
}

TEST_CASE("the caller's job beside the position probe sees the final E1, P1 and colour head and changes nothing") {
  const World world = generate_map(4);
  const Level1TrainParams tp = test::tiny_level1(30, 40);
  const ExplorationData data = collect_exploration(world, EnvParams{}, tp.exploration, 1);
  const ExplorationData heldout = collect_exploration(world, EnvParams{}, tp.exploration, 2);
  Level1 alone(Level1Arch{}, 5), with(Level1Arch{}, 5);
  const Level1Report ra = train_level1(alone, data, heldout, tp, 6);
  int calls = 0;
  nn::MLP<float> seen_e1, seen_p1, seen_colour;  // as the job sees them (not the probe: it is training)
  const Level1Report rw = train_level1(with, data, heldout, tp, 6, {}, [&] {
    ++calls;
    seen_e1 = with.encoder, seen_p1 = with.predictor, seen_colour = with.colour_head;
  });
  REQUIRE(ra.finite);
  REQUIRE(rw.finite);
  CHECK(calls == 1);
  const auto same = [](const nn::MLP<float>& x, const nn::MLP<float>& y) {
    const auto px = const_cast<nn::MLP<float>&>(x).params(), py = const_cast<nn::MLP<float>&>(y).params();
    if (px.size() != py.size()) return false;
    for (size_t i = 0; i < px.size(); ++i)
      if (px[i]->value != py[i]->value) return false;
    return true;
  };
  CHECK(same(with.encoder, alone.encoder));
  CHECK(same(with.predictor, alone.predictor));
  CHECK(same(with.colour_head, alone.colour_head));
  CHECK(same(with.probe, alone.probe));
  CHECK(same(seen_e1, alone.encoder));
  CHECK(same(seen_p1, alone.predictor));
  CHECK(same(seen_colour, alone.colour_head));
  CHECK(rw.kstep_probe_error == ra.kstep_probe_error);
}

TEST_CASE("an exception from level 2, beside the position probe, leaves train_model (the app's stop button)") {
  struct Stop {};
  const World world = generate_map(4);
  Level1TrainParams tp = test::tiny_level1(30, 40);
  tp.probe_steps = 1000000;  // the probe would run long; the stop must end it early
  Level1Report r1;
  Level2Report r2;
  int level2_calls = 0;
  const auto stop_level2 = [&](int, int, const Level2Report&) {
    ++level2_calls;
    throw Stop{};
  };
  CHECK_THROWS_AS(train_model(world, EnvParams{}, tp, test::tiny_level2(30, 5), 3, "test", r1, r2, {}, stop_level2), Stop);
  CHECK(level2_calls == 1);
}

TEST_CASE("the Fourier features' backward kernel sums as Eigen's product does, bit for bit, or declines") {
  Rng rng(11);
  auto fill = [&](MatF& m) {
    for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<float>(rng.normal());
  };
  bool any_taken = false;
  for (int K : {8, 32, 64})
    for (int B : {4, 8, 12, 64, 128}) {
      CAPTURE(K);
      CAPTURE(B);
      MatF W(K, 16), dz(K, B), ds(16, B);
      fill(W), fill(dz), fill(ds);
      MatF expected = ds, got = ds;
      expected.noalias() += W.transpose() * dz;
      const MatF Wt = W.transpose();
      if (fourier_backward_add(Wt, dz, got)) {
        any_taken = true;
        CHECK((got.array() == expected.array()).all());
      } else {
        CHECK((got.array() == ds.array()).all());  // declined: ds untouched
      }
    }
#if defined(__AVX512F__)
  CHECK(any_taken);
#endif
  // Shapes it does not take: ds untouched, false.
  for (auto [D, K, B] : {std::array<int, 3>{16, 30, 8}, {16, 32, 6}, {17, 32, 8}}) {
    MatF W(K, D), dz(K, B), ds(D, B);
    fill(W), fill(dz), fill(ds);
    MatF got = ds;
    CHECK_FALSE(fourier_backward_add(MatF(W.transpose()), dz, got));
    CHECK((got.array() == ds.array()).all());
  }
  // The predictor's input backward gives the same with the kernel as without (an empty Wt: Eigen).
  const FourierBasis<float> with = make_fourier_basis<float>(16);
  FourierBasis<float> without = with;
  without.Wt.resize(0, 0);
  MatF s(16, 8);
  fill(s);
  std::vector<float> headings(8);
  for (float& h : headings) h = static_cast<float>(rng.uniform(-3.14, 3.14));
  MatF d_in(predictor_input_size(16), 8);
  fill(d_in);
  std::vector<float> dh1(8), dh2(8);
  const MatF a = predictor_input_backward<float>(d_in, s, headings.data(), with, dh1.data());
  const MatF b = predictor_input_backward<float>(d_in, s, headings.data(), without, dh2.data());
  CHECK((a.array() == b.array()).all());
  CHECK(dh1 == dh2);
}
