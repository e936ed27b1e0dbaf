// Level-2 training: E2 by the temporal-distance objective on the frozen level-1 latents, then P2 on
// the frozen E2 at the coarse time scale, then the places (a cover in h, and k-means in s for the
// Euclidean variant) and the place graphs. D = level-1 latent, d = h, P = places, N = frames.
#include "agent/jepa/level2.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>

#include "agent/jepa/level2_loss.hpp"
#include "agent/jepa/temporal_distance.hpp"
#include "agent/jepa/train_guard.hpp"
#include "agent/nn/loss.hpp"
#include "agent/nn/optim.hpp"

namespace hjepa {

namespace {
constexpr int kEncoderFourierFeatures = 32;
constexpr double kEncoderFourierScale = 0.5;
constexpr float kStraightness[] = {0.35f, 0.7f, 1.0f};  // macro-action lengths asked of P2
constexpr double kPi = 3.141592653589793;
}  // namespace

void macro_action(const float* headings, int count, float out[2]) {
  double c = 0, s = 0;
  for (int i = 0; i < count; ++i) c += std::cos(headings[i]), s += std::sin(headings[i]);
  out[0] = static_cast<float>(c / std::max(1, count));
  out[1] = static_cast<float>(s / std::max(1, count));
}

Level2::Level2(const Level2Arch& a, uint64_t seed) : arch(a) {
  Rng rng(seed);
  fourier = make_fourier_basis<float>(a.input, kEncoderFourierFeatures, kEncoderFourierScale);
  encoder = nn::MLP<float>({a.input + kEncoderFourierFeatures, a.hidden, a.hidden, a.latent}, nn::Activation::GELU, rng, "E2");
  predictor = nn::MLP<float>({a.latent + 2, a.hidden, a.hidden, a.latent}, nn::Activation::GELU, rng, "P2");
  places = Places("places", a.latent, a.input, a.places);
  euclid = Places("euclid", a.input, a.input, a.euclid_places);
  euclid_edges = nn::Parameter<float>("euclid.edges", 3, a.euclid_edges, false);
  experience_edges = nn::Parameter<float>("places.experience_edges", 3, a.experience_edges, false);
  // No edges until trained or loaded: an untrained level 2 plans nothing.
  p2_graph_.assign(a.places, {}), experience_graph_.assign(a.places, {}), euclid_graph_.assign(a.euclid_places, {});
}

MatF Level2::encode(const MatF& s) const { return encoder.forward(level2_encoder_input<float>(s, fourier)); }

MatF Level2::predict(const MatF& h, const MatF& macro) const {
  return h + predictor.forward(level2_predictor_input<float>(h, macro));
}

const PlaceGraph& Level2::graph(PlaceGraphKind kind) const {
  switch (kind) {
    case PlaceGraphKind::Experience: return experience_graph_;
    case PlaceGraphKind::Distance: return distance_graph_;
    case PlaceGraphKind::Euclid: return euclid_graph_;
    default: return p2_graph_;
  }
}

int Level2::place_of(const MatF& s, PlaceGraphKind kind) const {
  return kind == PlaceGraphKind::Euclid ? euclid.nearest(s) : places.nearest(encode(s.col(0)));
}

namespace {

// Where P2 says each of `directions` x 3 macro-actions (the directions at straightness 0.35, 0.7
// and 1) leads from each column of h: column p * Q + q answers query q from h.col(p).
MatF ask_p2(const Level2& l2, const MatF& h, int directions) {
  const int Q = directions * 3;
  MatF hq(h.rows(), h.cols() * Q), mq(2, hq.cols());
  for (Eigen::Index p = 0; p < h.cols(); ++p)
    for (int q = 0; q < Q; ++q) {
      const double angle = 2 * kPi * (q % directions) / directions;
      const float len = kStraightness[q / directions];
      const Eigen::Index col = p * Q + q;
      hq.col(col) = h.col(p);
      mq.col(col) << len * static_cast<float>(std::cos(angle)), len * static_cast<float>(std::sin(angle));
    }
  return h.cols() > 0 ? l2.predict(hq, mq) : MatF(h.rows(), 0);
}

}  // namespace

PlaceGraph p2_place_graph(const Level2& l2, int query_directions, int* proposed) {
  const int P = l2.places.size(), Q = query_directions * 3, K = l2.arch.horizon;
  const MatF& c = l2.places.centres.value;
  const MatF landed_h = ask_p2(l2, c, query_directions);
  const std::vector<int> landed = nearest_columns(c, landed_h);
  PlaceGraph graph(P);
  int pairs = 0;
  for (int p = 0; p < P; ++p) {
    std::vector<char> seen(P, 0), asked(P, 0);
    for (int q = 0; q < Q; ++q) {
      const Eigen::Index col = static_cast<Eigen::Index>(p) * Q + q;
      const int to = landed[col];
      if (to == p || seen[to]) continue;
      if (!asked[to]) asked[to] = 1, ++pairs;
      // P2 must land in the place (within two radii of its prototype), and the learned distance
      // must fit in the macro-action's K steps: a prediction through a wall fails one or the other.
      if ((landed_h.col(col) - c.col(to)).norm() > 2 * l2.arch.place_radius) continue;
      const float steps = (c.col(p) - c.col(to)).norm();
      if (steps > K * kStraightness[q / query_directions] + l2.arch.place_radius) continue;
      seen[to] = 1;
      graph[p].push_back({to, std::max(1.f, steps)});
    }
  }
  if (proposed) *proposed = pairs;
  return graph;
}

PlaceGraph distance_place_graph(const Level2& l2) {
  const MatF& c = l2.places.centres.value;
  const int P = l2.places.size();
  const Eigen::VectorXf n2 = c.colwise().squaredNorm().transpose();
  const MatF d2 = (-2 * (c.transpose() * c)).colwise() + n2;  // P x P, minus |c_b|^2 per column
  PlaceGraph graph(P);
  const float reach = static_cast<float>(l2.arch.horizon);
  for (int a = 0; a < P; ++a)
    for (int b = 0; b < P; ++b) {
      if (a == b) continue;
      const float steps = std::sqrt(std::max(0.f, d2(a, b) + n2(b)));
      if (steps <= reach) graph[a].push_back({b, std::max(1.f, steps)});
    }
  return graph;
}

void Level2::rebuild_graphs(int* proposed) {
  p2_graph_ = p2_place_graph(*this, kQueryDirections, proposed);
  distance_graph_ = distance_place_graph(*this);
  experience_graph_ = graph_from_table(experience_edges.value, places.size());
  euclid_graph_ = graph_from_table(euclid_edges.value, euclid.size());
}

long Level2::num_parameters() const {
  long n = static_cast<long>(encoder.num_parameters() + predictor.num_parameters());
  for (const Places* p : {&places, &euclid}) n += p->centres.size() + p->subgoals.size() + p->colours.size();
  return n;
}

nn::ParamList<float> Level2::params() {
  nn::ParamList<float> all = encoder.params();
  for (auto* p : predictor.params()) all.push_back(p);
  for (Places* pl : {&places, &euclid})
    for (auto* p : {&pl->centres, &pl->subgoals, &pl->colours}) all.push_back(p);
  all.push_back(&euclid_edges), all.push_back(&experience_edges);
  return all;
}

nn::ConstParamList<float> Level2::params() const {
  nn::ConstParamList<float> all = encoder.params();
  for (const auto* p : predictor.params()) all.push_back(p);
  for (const Places* pl : {&places, &euclid})
    for (const auto* p : {&pl->centres, &pl->subgoals, &pl->colours}) all.push_back(p);
  all.push_back(&euclid_edges), all.push_back(&experience_edges);
  return all;
}

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

// E2 by the temporal-distance objective. Returns false (with report.message) when training stopped.
bool train_encoder(Level2& model, const ExplorationData& data, const MatF& S, const MatF& X, const Level2TrainParams& tp,
                   Rng& rng, Level2Report& report, const Level2ProgressFn& progress) {
  nn::ParamList<float> trained = model.encoder.params();
  nn::Adam<float> adam(nn::AdamParams{tp.lr});
  nn::zero_grad(trained);
  const DistanceLossWeights w{tp.bound_weight, tp.spread_weight, tp.margin};
  MatF xa(X.rows(), tp.batch), xb(X.rows(), tp.batch);
  std::vector<float> steps(tp.batch);
  Checkpoint last_good;
  last_good.save(trained, 0);
  for (int step = 0; step < tp.distance_steps; ++step) {
    adam.hyper.lr = nn::cosine_lr(tp.lr, step, tp.distance_steps);
    sample_pairs(data, S, X, tp.bound_steps, rng, xa, xb, steps);
    const DistanceLossTerms t = temporal_distance_loss<float>(model.encoder, xa, xb, steps, w, true);
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

// Up to `limit` columns of x, drawn at random when there are more.
MatF sample_columns(const MatF& x, Eigen::Index limit, Rng& rng) {
  if (x.cols() <= limit) return x;
  MatF out(x.rows(), limit);
  for (Eigen::Index i = 0; i < limit; ++i) out.col(i) = x.col(static_cast<Eigen::Index>(rng.below(x.cols())));
  return out;
}

// Place pairs (a != b) some frame of one sequence moved between within K steps, with their counts.
std::map<std::pair<int, int>, int> experienced_transitions(const ExplorationData& data, const std::vector<int>& place, int K) {
  std::map<std::pair<int, int>, int> seen;
  for (int s = 0; s < data.sequences; ++s)
    for (int t = 0; t < data.length; ++t)
      for (int dt = 1; dt <= K && t + dt <= data.length; ++dt) {
        const int a = place[data.frame_index(s, t)], b = place[data.frame_index(s, t + dt)];
        if (a != b) ++seen[{a, b}];
      }
  return seen;
}

MatF edge_table(const std::vector<std::array<float, 3>>& edges) {
  MatF table(3, static_cast<Eigen::Index>(edges.size()));
  for (size_t e = 0; e < edges.size(); ++e)
    for (int r = 0; r < 3; ++r) table(r, static_cast<Eigen::Index>(e)) = edges[e][r];
  return table;
}

// The format-4 graph over the Euclidean places: P2 asked from each place's mean h, the nearest
// place mean is an edge costing K x straightness, kept where experience saw the transition.
MatF euclid_graph_table(const Level2& model, const MatF& H, const std::vector<int>& place, const std::vector<int>& members,
                        const std::map<std::pair<int, int>, int>& seen, const Level2TrainParams& tp, int K) {
  const int P = model.euclid.size(), Q = tp.query_directions * 3;
  MatF h_place = MatF::Zero(H.rows(), P);
  for (Eigen::Index i = 0; i < H.cols(); ++i) h_place.col(place[i]) += H.col(i);
  for (int p = 0; p < P; ++p)
    if (members[p] > 0) h_place.col(p) /= static_cast<float>(members[p]);
  const std::vector<int> landed = nearest_columns(h_place, ask_p2(model, h_place, tp.query_directions));
  std::map<std::pair<int, int>, float> proposed;
  for (int p = 0; p < P; ++p)
    for (int q = 0; q < Q && members[p] > 0; ++q) {
      const int to = landed[static_cast<size_t>(p) * Q + q];
      if (to == p || members[to] == 0) continue;
      const float cost = static_cast<float>(K) * kStraightness[q / tp.query_directions];
      auto [it, fresh] = proposed.emplace(std::make_pair(p, to), cost);
      if (!fresh) it->second = std::min(it->second, cost);
    }
  std::vector<std::array<float, 3>> kept;
  for (const auto& [key, cost] : proposed) {
    const auto it = seen.find(key);
    if (tp.min_transitions > 0 && (it == seen.end() || it->second < tp.min_transitions)) continue;
    kept.push_back({static_cast<float>(key.first), static_cast<float>(key.second), cost});
  }
  return edge_table(kept);
}

// Both place sets and the stored graphs (the experience graph and the Euclidean one).
std::vector<int> learn_places(Level2& model, const Level1& level1, const ExplorationData& data, const MatF& S, const MatF& H,
                              const Level2TrainParams& tp, Rng& rng) {
  const int K = std::min(model.arch.horizon, data.length);
  const MatF probs = nn::softmax_columns<float>(level1.colour_logits(S));
  const MatF centres = cover(sample_columns(H, 16000, rng), static_cast<float>(tp.place_radius), tp.max_places,
                             tp.kmeans_iterations, rng);
  model.arch.places = static_cast<int>(centres.cols());
  model.places = Places("places", model.arch.latent, model.arch.input, model.arch.places);
  model.places.centres.value = centres;
  std::vector<int> place;
  const std::vector<int> members = model.places.fill(H, S, probs, &place);
  std::vector<std::array<float, 3>> experienced;
  for (const auto& [key, count] : experienced_transitions(data, place, K))
    experienced.push_back({static_cast<float>(key.first), static_cast<float>(key.second),
                           std::max(1.f, (centres.col(key.first) - centres.col(key.second)).norm())});
  model.experience_edges = nn::Parameter<float>("places.experience_edges", 3, 0, false);
  model.experience_edges.value = edge_table(experienced);
  model.arch.experience_edges = static_cast<int>(experienced.size());

  model.arch.euclid_places = tp.euclid_places;
  model.euclid = Places("euclid", model.arch.input, model.arch.input, tp.euclid_places);
  model.euclid.centres.value = kmeans(sample_columns(S, 16000, rng), tp.euclid_places, tp.kmeans_iterations, rng);
  std::vector<int> euclid_place;
  const std::vector<int> euclid_members = model.euclid.fill(S, S, probs, &euclid_place);
  for (int p = 0; p < model.euclid.size(); ++p)
    if (euclid_members[p] == 0) model.euclid.subgoals.value.col(p) = model.euclid.centres.value.col(p);
  model.euclid_edges = nn::Parameter<float>("euclid.edges", 3, 0, false);
  model.euclid_edges.value =
      euclid_graph_table(model, H, euclid_place, euclid_members, experienced_transitions(data, euclid_place, K), tp, K);
  model.arch.euclid_edges = static_cast<int>(model.euclid_edges.value.cols());
  model.arch.place_radius = static_cast<float>(tp.place_radius);
  return members;
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
  const MatF S = level1.encode(all_frames(data));  // D x N, frozen level 1
  if (!train_encoder(model, data, S, level2_encoder_input<float>(S, model.fourier), tp, rng, report, progress)) return report;
  const MatF H = model.encode(S);
  if (!train_predictor(model, data, H, tp, rng, report, progress)) return report;
  const std::vector<int> members = learn_places(model, level1, data, S, H, tp, rng);
  model.rebuild_graphs(&report.proposed_edges);
  report.places = model.places.size();
  report.edges = edge_count(model.graph(PlaceGraphKind::P2));
  report.experience_edges = model.arch.experience_edges;
  report.reachable_pairs = reachable_pairs(model.graph(PlaceGraphKind::P2), members);
  measure_heldout(model, level1, heldout, report);
  report.parameters = model.num_parameters();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
  return report;
}

}  // namespace hjepa
