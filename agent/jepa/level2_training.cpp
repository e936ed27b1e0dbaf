// Level-2 training: E2 by the temporal-distance objective on the frozen level-1 latents, then P2 on
// the frozen E2 at the coarse time scale, then the places (a cover in h, and k-means in s for the
// Euclidean variant) and the place graphs (place_graph.cpp). D = level-1 latent, d = h, P = places, N = frames.
#include "agent/jepa/level2_training.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "agent/jepa/belief.hpp"
#include "agent/jepa/level2_loss.hpp"
#include "agent/jepa/place_graph.hpp"
#include "agent/jepa/side_thread.hpp"
#include "agent/jepa/temporal_distance.hpp"
#include "agent/jepa/train_guard.hpp"
#include "agent/nn/loss.hpp"
#include "agent/nn/optim.hpp"

namespace hjepa {

namespace {

// Restores the last good parameters and says why training stopped; false, for `return stop(...)`.
bool stop(nn::ParamList<float>& trained, const Checkpoint& last_good, const std::string& fault, int step, Level2Report& report) {
  report.finite = false;
  report.message = stop_training(trained, last_good, "level 2", fault, "step", step);
  return false;
}

// A batch of E2 pairs: half bound pairs (one sequence, 1..bound_steps apart), a quarter random
// frames, a quarter "near" frames (the nearest in s of 16 candidates from other sequences).
void sample_pairs(const ExplorationData& d, const MatF& S, const MatF& X, int bound_steps, Rng& rng, MatF& xa, MatF& xb,
                  std::vector<float>& steps) {
  const int B = static_cast<int>(xa.cols()), seq_frames = d.length + 1;
  const Eigen::Index N = S.cols();
  for (int b = 0; b < B; ++b) {
    const int s = static_cast<int>(rng.below(d.sequences));
    Eigen::Index a = 0, other = 0;
    steps[b] = 0;
    if (b < B / 2) {
      const int k = 1 + static_cast<int>(rng.below(std::min(bound_steps, d.length)));
      const int t = static_cast<int>(rng.below(d.length - k + 1));
      a = d.frame_index(s, t), other = d.frame_index(s, t + k), steps[b] = static_cast<float>(k);
    } else {
      a = d.frame_index(s, static_cast<int>(rng.below(seq_frames)));
      other = static_cast<Eigen::Index>(rng.below(N));
      if (b >= 3 * B / 4) {
        float best = std::numeric_limits<float>::infinity();
        for (int c = 0; c < 16; ++c) {
          const Eigen::Index cand = static_cast<Eigen::Index>(rng.below(N));
          if (cand / seq_frames == s) continue;
          const float d2 = (S.col(cand) - S.col(a)).squaredNorm();
          if (d2 < best) best = d2, other = cand;
        }
      }
    }
    xa.col(b) = X.col(a), xb.col(b) = X.col(other);
  }
}

// E2 by the temporal-distance objective, each batch in two halves on both cores (the second on a
// replica of E2 whose gradients are added in a fixed order, so the result does not depend on
// scheduling). Returns false (with report.message) when training stopped.
bool train_encoder(Level2& model, const ExplorationData& data, const MatF& S, const MatF& X, const Level2TrainParams& tp,
                   Rng& rng, Level2Report& report, const Level2ProgressFn& progress) {
  nn::ParamList<float> trained = model.encoder.params();
  nn::Adam<float> adam(nn::AdamParams{tp.lr});
  nn::zero_grad(trained);
  nn::MLP<float> replica = model.encoder;
  nn::zero_grad(replica.params());
  SideThread side;
  const DistanceLossWeights w{tp.bound_weight, tp.spread_weight, tp.margin};
  MatF xa(X.rows(), tp.batch), xb(X.rows(), tp.batch);
  std::vector<float> steps(tp.batch);
  Checkpoint last_good;
  last_good.save(trained, 0);
  for (int step = 0; step < tp.distance_steps; ++step) {
    adam.hyper.lr = nn::cosine_lr(tp.lr, step, tp.distance_steps);
    sample_pairs(data, S, X, tp.bound_steps, rng, xa, xb, steps);
    const DistanceLossTerms t = temporal_distance_loss_halves<float>(model.encoder, replica, xa, xb, steps, w, true, &side);
    const std::string fault = guarded_step(trained, non_finite_loss({{"E2 distance bound", t.bound}, {"E2 distance spread", t.spread}}),
                                           last_good, step, [&] { adam.step(trained); });
    if (!fault.empty()) return stop(trained, last_good, fault, step, report);
    if (step % 50 == 0 || step == tp.distance_steps - 1) {
      report.logged_step.push_back(step);
      report.loss_pred.push_back(report.loss_pred.empty() ? 0.f : report.loss_pred.back());
      report.loss_var.push_back(static_cast<float>(t.bound));
      report.loss_cov.push_back(static_cast<float>(t.spread));
      if (progress) progress(step, tp.distance_steps + tp.steps, report);
    }
  }
  return true;
}

// P2 on the frozen E2's latents H (d x N). Returns false (with report.message) when training stopped.
bool train_predictor(Level2& model, const ExplorationData& data, const MatF& H, const Level2TrainParams& tp, Rng& rng,
                     Level2Report& report, const Level2ProgressFn& progress) {
  const int K = std::min(model.arch.horizon, data.length), B = tp.batch;
  nn::ParamList<float> trained = model.predictor.params();
  nn::Adam<float> adam(nn::AdamParams{tp.lr});
  nn::zero_grad(trained);
  MatF h0(H.rows(), B), hk(H.rows(), B), macro(2, B);
  Checkpoint last_good;
  last_good.save(trained, 0);
  for (int step = 0; step < tp.steps; ++step) {
    adam.hyper.lr = nn::cosine_lr(tp.lr, step, tp.steps);
    for (int b = 0; b < B; ++b) {
      const int s = static_cast<int>(rng.below(data.sequences)), t = static_cast<int>(rng.below(data.length - K + 1));
      h0.col(b) = H.col(data.frame_index(s, t));
      hk.col(b) = H.col(data.frame_index(s, t + K));
      float m[2];
      macro_action(&data.headings[static_cast<size_t>(s) * data.length + t], K, m);
      macro(0, b) = m[0], macro(1, b) = m[1];
    }
    const double loss = level2_prediction_loss<float>(model.predictor, h0, macro, hk, true);
    const std::string fault =
        guarded_step(trained, non_finite_loss({{"P2 prediction", loss}}), last_good, step, [&] { adam.step(trained); });
    if (!fault.empty()) return stop(trained, last_good, fault, step, report);
    if (step % 50 == 0 || step == tp.steps - 1) {
      report.logged_step.push_back(tp.distance_steps + step);
      report.loss_pred.push_back(static_cast<float>(loss));
      report.loss_var.push_back(report.loss_var.empty() ? 0.f : report.loss_var.back());
      report.loss_cov.push_back(report.loss_cov.empty() ? 0.f : report.loss_cov.back());
      if (progress) progress(tp.distance_steps + step, tp.distance_steps + tp.steps, report);
    }
  }
  return true;
}

// Held-out diagnostics: latent spread, distance / steps on one-sequence pairs, P2's place accuracy.
void measure_heldout(const Level2& model, const Level1& level1, const ExplorationData& heldout, Level2Report& report) {
  const MatF Sh = level1.encode(all_frames(heldout));
  const MatF Hh = model.encode(Sh);
  report.latent_std.assign(Hh.rows(), 0);
  for (Eigen::Index i = 0; i < Hh.rows(); ++i) {
    const double mean = Hh.row(i).mean();
    report.latent_std[i] = static_cast<float>(
        std::sqrt((Hh.row(i).array() - mean).square().sum() / std::max<Eigen::Index>(1, Hh.cols() - 1)));
  }
  const int K = std::min(model.arch.horizon, heldout.length);
  double ratio = 0;
  long pairs = 0;
  for (int s = 0; s < heldout.sequences; ++s)
    for (int k = 1; k <= K; ++k)
      for (int t = 0; t + k <= heldout.length; t += K)
        ratio += (Hh.col(heldout.frame_index(s, t)) - Hh.col(heldout.frame_index(s, t + k))).norm() / k, ++pairs;
  report.bound_ratio = pairs > 0 ? ratio / pairs : 0;
  const std::vector<int> hp = nearest_columns(model.places.centres.value, Hh);
  const int windows_per_seq = heldout.length - K + 1;
  MatF h0(model.arch.latent, static_cast<Eigen::Index>(heldout.sequences) * windows_per_seq), m0(2, h0.cols());
  std::vector<int> truth(h0.cols()), stay(h0.cols());
  for (int s = 0; s < heldout.sequences; ++s)
    for (int t = 0; t < windows_per_seq; ++t) {
      const Eigen::Index c = static_cast<Eigen::Index>(s) * windows_per_seq + t;
      h0.col(c) = Hh.col(heldout.frame_index(s, t));
      float m[2];
      macro_action(&heldout.headings[static_cast<size_t>(s) * heldout.length + t], K, m);
      m0(0, c) = m[0], m0(1, c) = m[1];
      truth[c] = hp[heldout.frame_index(s, t + K)];
      stay[c] = hp[heldout.frame_index(s, t)];
    }
  const std::vector<int> predicted = nearest_columns(model.places.centres.value, model.predict(h0, m0));
  long hit = 0, stay_hit = 0;
  for (size_t c = 0; c < truth.size(); ++c) hit += predicted[c] == truth[c], stay_hit += stay[c] == truth[c];
  report.p2_place_accuracy = truth.empty() ? 0 : static_cast<double>(hit) / truth.size();
  report.stay_place_accuracy = truth.empty() ? 0 : static_cast<double>(stay_hit) / truth.size();
}

}  // namespace

Level2Report train_level2(Level2& model, const Level1& level1, const ExplorationData& data, const ExplorationData& heldout,
                          const Level2TrainParams& tp, uint64_t seed, const Level2ProgressFn& progress) {
  const auto t_start = std::chrono::steady_clock::now();
  Level2Report report;
  Rng rng(derive_seed(seed, 1));
  // D x N, frozen level 1: the belief over each sequence, or its raw encodings at gain 1
  const MatF S = tp.belief_gain < 1 ? filtered_encodings(level1, data, static_cast<float>(tp.belief_gain))
                                    : level1.encode(all_frames(data));
  if (!train_encoder(model, data, S, level2_encoder_input<float>(S, model.fourier), tp, rng, report, progress)) return report;
  const MatF H = model.encode(S);
  if (!train_predictor(model, data, H, tp, rng, report, progress)) return report;
  const std::vector<int> members = learn_places(model, level1, data, S, H, tp, rng);
  model.rebuild_graphs(&report.proposed_edges);
  report.places = model.places.size();
  report.edges = edge_count(model.graph(PlaceGraphKind::P2));
  report.raw_edges = edge_count(model.graph(PlaceGraphKind::P2Raw));
  report.p2_reach_ratio = model.p2_reach_ratio(), report.p2_reach_scale = model.p2_reach_scale();
  report.experience_edges = model.arch.experience_edges;
  report.reachable_pairs = reachable_pairs(model.graph(PlaceGraphKind::P2), members);
  measure_heldout(model, level1, heldout, report);
  report.parameters = model.num_parameters();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
  return report;
}

}  // namespace hjepa
