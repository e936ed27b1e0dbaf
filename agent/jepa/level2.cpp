// Level-2 training: E2/P2 on the frozen level-1 latents at the coarse time scale (stop-gradient
// target, VICReg on h), then k-means places in s-space, then the place graph from P2 queries,
// pruned by the transitions the exploration actually saw. D = level-1 latent, d = h, P = places.
#include "agent/jepa/level2.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <deque>
#include <limits>
#include <map>

#include "agent/jepa/level2_loss.hpp"
#include "agent/jepa/train_guard.hpp"
#include "agent/nn/optim.hpp"

namespace hjepa {

void macro_action(const float* headings, int count, float out[2]) {
  double c = 0, s = 0;
  for (int i = 0; i < count; ++i) c += std::cos(headings[i]), s += std::sin(headings[i]);
  out[0] = static_cast<float>(c / std::max(1, count));
  out[1] = static_cast<float>(s / std::max(1, count));
}

Level2::Level2(const Level2Arch& a, uint64_t seed) : arch(a) {
  Rng rng(seed);
  encoder = nn::MLP<float>({a.input, a.hidden, a.latent}, nn::Activation::GELU, rng, "E2");
  predictor = nn::MLP<float>({a.latent + 2, a.hidden, a.hidden, a.latent}, nn::Activation::GELU, rng, "P2");
  centroids = nn::Parameter<float>("places.centroids", a.input, a.places, false);
  subgoals = nn::Parameter<float>("places.subgoals", a.input, a.places, false);
  colours = nn::Parameter<float>("places.colours", kNumColors, a.places, false);
  edge_table = nn::Parameter<float>("places.edges", 3, a.edges, false);
  graph_.assign(a.places, {});  // no edges until trained or loaded (an untrained level 2 plans nothing)
}

MatF Level2::predict(const MatF& h, const MatF& macro) const {
  return h + predictor.forward(level2_predictor_input<float>(h, macro));
}

namespace {

// Index of the column of `centres` nearest to each column of x (squared Euclidean).
std::vector<int> nearest_columns(const MatF& centres, const MatF& x) {
  const Eigen::VectorXf cn = centres.colwise().squaredNorm().transpose();
  const MatF cross = centres.transpose() * x;  // P x N
  std::vector<int> out(x.cols());
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    Eigen::Index best;
    (cn - 2 * cross.col(j)).minCoeff(&best);
    out[j] = static_cast<int>(best);
  }
  return out;
}

MatF all_frames(const ExplorationData& d) {
  return Eigen::Map<const MatF>(d.obs.data(), d.features, static_cast<Eigen::Index>(d.obs.size() / d.features));
}

size_t frame_index(const ExplorationData& d, int s, int t) { return static_cast<size_t>(s) * (d.length + 1) + t; }

// k-means++ initialisation then Lloyd iterations; empty clusters are re-seeded on the worst-fit point.
MatF kmeans(const MatF& x, int k, int iterations, Rng& rng) {
  const Eigen::Index n = x.cols();
  MatF c(x.rows(), k);
  c.col(0) = x.col(static_cast<Eigen::Index>(rng.below(n)));
  Eigen::VectorXf d2 = (x.colwise() - c.col(0)).colwise().squaredNorm().transpose();
  for (int j = 1; j < k; ++j) {
    const double total = d2.cast<double>().sum();
    double r = rng.uniform() * total;
    Eigen::Index pick = n - 1;
    for (Eigen::Index i = 0; i < n; ++i) {
      r -= d2(i);
      if (r <= 0) {
        pick = i;
        break;
      }
    }
    c.col(j) = x.col(pick);
    d2 = d2.cwiseMin((x.colwise() - c.col(j)).colwise().squaredNorm().transpose());
  }
  for (int it = 0; it < iterations; ++it) {
    const std::vector<int> a = nearest_columns(c, x);
    MatF sum = MatF::Zero(x.rows(), k);
    std::vector<int> count(k, 0);
    for (Eigen::Index i = 0; i < n; ++i) sum.col(a[i]) += x.col(i), ++count[a[i]];
    for (int j = 0; j < k; ++j) {
      if (count[j] > 0) {
        c.col(j) = sum.col(j) / static_cast<float>(count[j]);
      } else {
        Eigen::Index worst;
        Eigen::VectorXf fit(n);
        for (Eigen::Index i = 0; i < n; ++i) fit(i) = (x.col(i) - c.col(a[i])).squaredNorm();
        fit.maxCoeff(&worst);
        c.col(j) = x.col(worst);
      }
    }
  }
  return c;
}

MatF softmax_columns(const MatF& logits) {
  MatF p = logits;
  for (Eigen::Index j = 0; j < p.cols(); ++j) {
    p.col(j).array() -= p.col(j).maxCoeff();
    p.col(j) = p.col(j).array().exp();
    p.col(j) /= p.col(j).sum();
  }
  return p;
}

}  // namespace

int Level2::place_of(const MatF& s) const { return nearest_columns(centroids.value, s.col(0))[0]; }

int Level2::dominant_colour(int place) const {
  Eigen::Index best;
  colours.value.col(place).maxCoeff(&best);
  return static_cast<int>(best);
}

void Level2::rebuild_graph() {
  graph_.assign(arch.places, {});
  for (Eigen::Index e = 0; e < edge_table.value.cols(); ++e) {
    const int from = static_cast<int>(edge_table.value(0, e)), to = static_cast<int>(edge_table.value(1, e));
    if (from < 0 || from >= arch.places || to < 0 || to >= arch.places) continue;
    graph_[from].push_back({to, edge_table.value(2, e)});
  }
}

long Level2::num_parameters() const {
  return static_cast<long>(encoder.num_parameters() + predictor.num_parameters() + centroids.size() + subgoals.size() +
                           colours.size());
}

nn::ParamList<float> Level2::params() {
  nn::ParamList<float> all = encoder.params();
  for (auto* p : predictor.params()) all.push_back(p);
  for (auto* p : {&centroids, &subgoals, &colours, &edge_table}) all.push_back(p);
  return all;
}

nn::ConstParamList<float> Level2::params() const {
  nn::ConstParamList<float> all = encoder.params();
  for (const auto* p : predictor.params()) all.push_back(p);
  for (const auto* p : {&centroids, &subgoals, &colours, &edge_table}) all.push_back(p);
  return all;
}

Level2Report train_level2(Level2& model, const Level1& level1, const ExplorationData& data, const ExplorationData& heldout,
                          const Level2TrainParams& tp, uint64_t seed, const Level2ProgressFn& progress) {
  const auto t_start = std::chrono::steady_clock::now();
  Level2Report report;
  Rng rng(derive_seed(seed, 1));
  const int K = std::min(model.arch.horizon, data.length), B = tp.batch, P = model.arch.places;
  const MatF S = level1.encode(all_frames(data));  // D x N, frozen level 1

  // ---- E2 / P2 ----
  nn::ParamList<float> trained = model.encoder.params();
  for (auto* p : model.predictor.params()) trained.push_back(p);
  nn::Adam<float> adam(nn::AdamParams{tp.lr});
  nn::zero_grad(trained);
  const Level2LossWeights weights{1.0, tp.var_weight, tp.cov_weight};
  MatF s0(S.rows(), B), sk(S.rows(), B), macro(2, B);
  Checkpoint last_good;  // parameters whose losses and gradients were finite
  last_good.save(trained, 0);
  for (int step = 0; step < tp.steps; ++step) {
    adam.hyper.lr = tp.lr * (0.1 + 0.9 * 0.5 * (1 + std::cos(3.141592653589793 * step / tp.steps)));
    for (int b = 0; b < B; ++b) {
      const int s = static_cast<int>(rng.below(data.sequences)), t = static_cast<int>(rng.below(data.length - K + 1));
      s0.col(b) = S.col(static_cast<Eigen::Index>(frame_index(data, s, t)));
      sk.col(b) = S.col(static_cast<Eigen::Index>(frame_index(data, s, t + K)));
      float m[2];
      macro_action(&data.headings[static_cast<size_t>(s) * data.length + t], K, m);
      macro(0, b) = m[0], macro(1, b) = m[1];
    }
    const MatF target = model.encoder.forward(sk);  // stop-gradient target
    const Level2LossTerms terms = level2_loss<float>(model.encoder, model.predictor, s0, macro, target, weights, true);
    std::string fault = non_finite_loss({{"prediction", terms.pred}, {"variance", terms.var}, {"covariance", terms.cov}});
    if (fault.empty()) fault = non_finite_gradient(trained);
    if (fault.empty() && step % 50 == 0) last_good.save(trained, step);
    if (fault.empty()) {
      nn::clip_grad_norm(trained, 10.0);
      adam.step(trained);
      nn::zero_grad(trained);
      if (const std::string bad = non_finite_value(trained); !bad.empty()) fault = bad + " after the update";
    }
    if (!fault.empty()) {
      last_good.restore(trained);
      report.finite = false;
      report.message = training_stop_message("level 2", fault, "step", step, last_good.step());
      break;
    }
    if (step % 50 == 0 || step == tp.steps - 1) {
      report.logged_step.push_back(step);
      report.loss_pred.push_back(static_cast<float>(terms.pred));
      report.loss_var.push_back(static_cast<float>(terms.var));
      report.loss_cov.push_back(static_cast<float>(terms.cov));
      if (progress) progress(step, tp.steps, report);
    }
  }

  // ---- places: k-means in s-space on a sample of the experience ----
  const Eigen::Index n = S.cols(), sample = std::min<Eigen::Index>(n, 16000);
  MatF xs(S.rows(), sample);
  for (Eigen::Index i = 0; i < sample; ++i) xs.col(i) = S.col(sample == n ? i : static_cast<Eigen::Index>(rng.below(n)));
  model.centroids.value = kmeans(xs, P, tp.kmeans_iterations, rng);
  const std::vector<int> place = nearest_columns(model.centroids.value, S);  // every frame
  const MatF probs = softmax_columns(level1.colour_logits(S));
  const MatF H = model.encode(S);
  MatF h_place = MatF::Zero(model.arch.latent, P);
  model.colours.value.setZero();
  std::vector<int> members(P, 0);
  std::vector<float> best_fit(P, std::numeric_limits<float>::infinity());
  for (Eigen::Index i = 0; i < n; ++i) {
    const int p = place[i];
    ++members[p];
    model.colours.value.col(p) += probs.col(i);
    h_place.col(p) += H.col(i);
    const float fit = (S.col(i) - model.centroids.value.col(p)).squaredNorm();
    if (fit < best_fit[p]) best_fit[p] = fit, model.subgoals.value.col(p) = S.col(i);
  }
  for (int p = 0; p < P; ++p) {
    if (members[p] == 0) {
      model.subgoals.value.col(p) = model.centroids.value.col(p);
      continue;
    }
    ++report.places;
    model.colours.value.col(p) /= static_cast<float>(members[p]);
    h_place.col(p) /= static_cast<float>(members[p]);
  }

  // ---- experienced transitions within K steps ----
  std::map<std::pair<int, int>, int> seen;
  for (int s = 0; s < data.sequences; ++s)
    for (int t = 0; t < data.length; ++t)
      for (int dt = 1; dt <= K && t + dt <= data.length; ++dt) {
        const int a = place[frame_index(data, s, t)], b = place[frame_index(data, s, t + dt)];
        if (a != b) ++seen[{a, b}];
      }

  // ---- the place graph from P2: every place x directions x straightness ----
  const float straightness[] = {0.35f, 0.7f, 1.0f};
  const int Q = tp.query_directions * 3;
  MatF hq(model.arch.latent, static_cast<Eigen::Index>(P) * Q), mq(2, static_cast<Eigen::Index>(P) * Q);
  for (int p = 0; p < P; ++p)
    for (int q = 0; q < Q; ++q) {
      const double angle = 2 * 3.141592653589793 * (q % tp.query_directions) / tp.query_directions;
      const float len = straightness[q / tp.query_directions];
      const Eigen::Index col = static_cast<Eigen::Index>(p) * Q + q;
      hq.col(col) = h_place.col(p);
      mq(0, col) = len * static_cast<float>(std::cos(angle));
      mq(1, col) = len * static_cast<float>(std::sin(angle));
    }
  const std::vector<int> landed = nearest_columns(h_place, model.predict(hq, mq));
  std::map<std::pair<int, int>, float> proposed;
  for (int p = 0; p < P; ++p) {
    if (members[p] == 0) continue;
    for (int q = 0; q < Q; ++q) {
      const int to = landed[static_cast<size_t>(p) * Q + q];
      if (to == p || members[to] == 0) continue;
      const float cost = static_cast<float>(K) * straightness[q / tp.query_directions];
      auto [it, fresh] = proposed.emplace(std::make_pair(p, to), cost);
      if (!fresh) it->second = std::min(it->second, cost);
    }
  }
  report.proposed_edges = static_cast<int>(proposed.size());
  std::vector<std::array<float, 3>> kept;
  for (const auto& [key, cost] : proposed) {
    const auto it = seen.find(key);
    if (tp.min_transitions > 0 && (it == seen.end() || it->second < tp.min_transitions)) continue;
    kept.push_back({static_cast<float>(key.first), static_cast<float>(key.second), cost});
  }
  model.arch.edges = static_cast<int>(kept.size());
  model.edge_table = nn::Parameter<float>("places.edges", 3, model.arch.edges, false);
  for (size_t e = 0; e < kept.size(); ++e)
    for (int r = 0; r < 3; ++r) model.edge_table.value(r, static_cast<Eigen::Index>(e)) = kept[e][r];
  model.rebuild_graph();
  report.edges = model.arch.edges;

  // Fraction of ordered pairs of populated places connected by a path.
  long pairs = 0, connected = 0;
  for (int a = 0; a < P; ++a) {
    if (members[a] == 0) continue;
    std::vector<char> reached(P, 0);
    std::deque<int> queue{a};
    reached[a] = 1;
    while (!queue.empty()) {
      const int u = queue.front();
      queue.pop_front();
      for (const PlaceEdge& e : model.graph()[u])
        if (!reached[e.to]) reached[e.to] = 1, queue.push_back(e.to);
    }
    for (int b = 0; b < P; ++b)
      if (b != a && members[b] > 0) ++pairs, connected += reached[b];
  }
  report.reachable_pairs = pairs > 0 ? static_cast<double>(connected) / pairs : 0;

  // ---- held-out diagnostics ----
  {
    const MatF Sh = level1.encode(all_frames(heldout));
    const MatF Hh = model.encode(Sh);
    report.latent_std.assign(Hh.rows(), 0);
    for (Eigen::Index i = 0; i < Hh.rows(); ++i) {
      const double mean = Hh.row(i).mean();
      report.latent_std[i] = static_cast<float>(
          std::sqrt((Hh.row(i).array() - mean).square().sum() / std::max<Eigen::Index>(1, Hh.cols() - 1)));
    }
    const std::vector<int> hp = nearest_columns(model.centroids.value, Sh);
    const int Kh = std::min(K, heldout.length);
    const int windows_per_seq = heldout.length - Kh + 1;
    MatF h0(model.arch.latent, static_cast<Eigen::Index>(heldout.sequences) * windows_per_seq), m0(2, h0.cols());
    std::vector<int> truth(h0.cols()), stay(h0.cols());
    for (int s = 0; s < heldout.sequences; ++s)
      for (int t = 0; t < windows_per_seq; ++t) {
        const Eigen::Index c = static_cast<Eigen::Index>(s) * windows_per_seq + t;
        h0.col(c) = Hh.col(static_cast<Eigen::Index>(frame_index(heldout, s, t)));
        float m[2];
        macro_action(&heldout.headings[static_cast<size_t>(s) * heldout.length + t], Kh, m);
        m0(0, c) = m[0], m0(1, c) = m[1];
        truth[c] = hp[frame_index(heldout, s, t + Kh)];
        stay[c] = hp[frame_index(heldout, s, t)];
      }
    const std::vector<int> predicted = nearest_columns(h_place, model.predict(h0, m0));
    long hit = 0, stay_hit = 0;
    for (size_t c = 0; c < truth.size(); ++c) hit += predicted[c] == truth[c], stay_hit += stay[c] == truth[c];
    report.p2_place_accuracy = truth.empty() ? 0 : static_cast<double>(hit) / truth.size();
    report.stay_place_accuracy = truth.empty() ? 0 : static_cast<double>(stay_hit) / truth.size();
  }
  report.parameters = model.num_parameters();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
  return report;
}

}  // namespace hjepa
