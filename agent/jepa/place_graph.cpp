// The P2, distance, experience and Euclidean place graphs, and learning the places (see place_graph.hpp).
#include "agent/jepa/place_graph.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "agent/jepa/level2_training.hpp"
#include "agent/nn/loss.hpp"

namespace hjepa {

namespace {
constexpr float kStraightness[] = {0.35f, 0.7f, 1.0f};  // macro-action lengths asked of P2

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

namespace {

float median(std::vector<float> v) {
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

// The median distance P2 moves each column of `from` at straightness 1 (`landed`: ask_p2's answer).
float median_straight_move(const MatF& from, const MatF& landed, int directions) {
  const int Q = directions * 3;
  std::vector<float> moves;
  for (Eigen::Index p = 0; p < from.cols(); ++p)
    for (int q = 2 * directions; q < Q; ++q) moves.push_back((landed.col(p * Q + q) - from.col(p)).norm());
  return median(std::move(moves));
}

float reach_ratio(const Level2& l2, const MatF& landed, int directions) {
  const MatF& edges = l2.experience_edges.value;
  if (edges.cols() == 0 || l2.places.size() == 0) return 1;
  const float p2 = median_straight_move(l2.places.centres.value, landed, directions);
  const Eigen::VectorXf costs = edges.row(2).transpose();
  const float experienced = median(std::vector<float>(costs.data(), costs.data() + costs.size()));
  return p2 > 0 ? experienced / p2 : 1;
}

}  // namespace

namespace {

// The P2 graph from P2's answers `landed_h` (ask_p2's columns), each move stretched by `stretch`;
// `proposed` gets the distinct place pairs landed on before the checks.
PlaceGraph graph_from_landings(const Level2& l2, MatF landed_h, int query_directions, float stretch, int* proposed) {
  const int P = l2.places.size(), Q = query_directions * 3, K = l2.arch.horizon;
  const MatF& c = l2.places.centres.value;
  if (stretch != 1.f)
    for (int p = 0; p < P; ++p)
      for (int q = 0; q < Q; ++q) {
        const Eigen::Index col = static_cast<Eigen::Index>(p) * Q + q;
        landed_h.col(col) = c.col(p) + stretch * (landed_h.col(col) - c.col(p));
      }
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

}  // namespace

P2Graphs p2_place_graphs(const Level2& l2, int query_directions, float calibrate_above) {
  P2Graphs out;
  const MatF landed_h = ask_p2(l2, l2.places.centres.value, query_directions);
  out.ratio = reach_ratio(l2, landed_h, query_directions);
  out.scale = calibrate_above > 0 && out.ratio > calibrate_above ? std::min(out.ratio, kMaxReachStretch) : 1.f;
  out.calibrated = graph_from_landings(l2, landed_h, query_directions, out.scale, &out.proposed);
  if (out.scale != 1.f) out.raw = graph_from_landings(l2, landed_h, query_directions, 1.f, nullptr);
  return out;
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

namespace {

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

}  // namespace

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
}  // namespace hjepa
