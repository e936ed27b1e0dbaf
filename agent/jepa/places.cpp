// Places, their clustering and place-graph helpers (see places.hpp).
#include "agent/jepa/places.hpp"

#include <deque>
#include <limits>

#include "sim/color.hpp"

namespace hjepa {

Places::Places(const std::string& prefix, int space, int latent, int places)
    : centres(prefix + ".centres", space, places, false),
      subgoals(prefix + ".subgoals", latent, places, false),
      colours(prefix + ".colours", kNumColors, places, false) {}

int Places::dominant_colour(int place) const {
  Eigen::Index best;
  colours.value.col(place).maxCoeff(&best);
  return static_cast<int>(best);
}

int Places::nearest(const MatF& x) const { return size() == 0 ? -1 : nearest_columns(centres.value, x.col(0))[0]; }

std::vector<int> Places::fill(const MatF& points, const MatF& latents, const MatF& colour_probs,
                              std::vector<int>* assignment) {
  const int P = size();
  const std::vector<int> place = nearest_columns(centres.value, points);
  if (assignment) *assignment = place;
  std::vector<int> members(P, 0);
  std::vector<float> best_fit(P, std::numeric_limits<float>::infinity());
  colours.value.setZero();
  for (Eigen::Index i = 0; i < points.cols(); ++i) {
    const int p = place[i];
    ++members[p];
    colours.value.col(p) += colour_probs.col(i);
    const float fit = (points.col(i) - centres.value.col(p)).squaredNorm();
    if (fit < best_fit[p]) best_fit[p] = fit, subgoals.value.col(p) = latents.col(i);
  }
  for (int p = 0; p < P; ++p)
    if (members[p] > 0) colours.value.col(p) /= static_cast<float>(members[p]);
  return members;
}

std::vector<int> nearest_columns(const MatF& centres, const MatF& x) {
  const Eigen::VectorXf cn = centres.colwise().squaredNorm().transpose();
  std::vector<int> out(x.cols());
  constexpr Eigen::Index kChunk = 4096;  // bounds the P x chunk cross-product matrix
  for (Eigen::Index j0 = 0; j0 < x.cols(); j0 += kChunk) {
    const Eigen::Index n = std::min(kChunk, x.cols() - j0);
    const MatF cross = centres.transpose() * x.middleCols(j0, n);
    for (Eigen::Index j = 0; j < n; ++j) {
      Eigen::Index best;
      (cn - 2 * cross.col(j)).minCoeff(&best);
      out[j0 + j] = static_cast<int>(best);
    }
  }
  return out;
}

namespace {

// Lloyd iterations from the given prototypes; an empty cluster is re-seeded on the worst-fit point.
void lloyd(const MatF& x, MatF& c, int iterations) {
  const Eigen::Index n = x.cols();
  const int k = static_cast<int>(c.cols());
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
}

}  // namespace

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
  lloyd(x, c, iterations);
  return c;
}

MatF cover(const MatF& x, float radius, int max_places, int iterations, Rng& rng) {
  const Eigen::Index n = x.cols();
  std::vector<Eigen::Index> picked{static_cast<Eigen::Index>(rng.below(n))};
  Eigen::VectorXf d2 = (x.colwise() - x.col(picked[0])).colwise().squaredNorm().transpose();
  while (static_cast<int>(picked.size()) < max_places) {
    Eigen::Index far;
    if (d2.maxCoeff(&far) <= radius * radius) break;
    picked.push_back(far);
    d2 = d2.cwiseMin((x.colwise() - x.col(far)).colwise().squaredNorm().transpose());
  }
  MatF c(x.rows(), static_cast<Eigen::Index>(picked.size()));
  for (size_t j = 0; j < picked.size(); ++j) c.col(static_cast<Eigen::Index>(j)) = x.col(picked[j]);
  lloyd(x, c, iterations);
  return c;
}

PlaceGraph graph_from_table(const MatF& table, int places) {
  PlaceGraph graph(places);
  for (Eigen::Index e = 0; e < table.cols(); ++e) {
    const int from = static_cast<int>(table(0, e)), to = static_cast<int>(table(1, e));
    if (from < 0 || from >= places || to < 0 || to >= places) continue;
    graph[from].push_back({to, table(2, e)});
  }
  return graph;
}

MatF table_from_graph(const PlaceGraph& graph) {
  MatF table(3, edge_count(graph));
  Eigen::Index e = 0;
  for (size_t from = 0; from < graph.size(); ++from)
    for (const PlaceEdge& edge : graph[from]) table.col(e++) << static_cast<float>(from), static_cast<float>(edge.to), edge.cost;
  return table;
}

int edge_count(const PlaceGraph& graph) {
  size_t n = 0;
  for (const auto& out : graph) n += out.size();
  return static_cast<int>(n);
}

double reachable_pairs(const PlaceGraph& graph, const std::vector<int>& members) {
  const int P = static_cast<int>(graph.size());
  long pairs = 0, connected = 0;
  for (int a = 0; a < P; ++a) {
    if (members[a] == 0) continue;
    std::vector<char> reached(P, 0);
    std::deque<int> queue{a};
    reached[a] = 1;
    while (!queue.empty()) {
      const int u = queue.front();
      queue.pop_front();
      for (const PlaceEdge& e : graph[u])
        if (!reached[e.to]) reached[e.to] = 1, queue.push_back(e.to);
    }
    for (int b = 0; b < P; ++b)
      if (b != a && members[b] > 0) ++pairs, connected += reached[b];
  }
  return pairs > 0 ? static_cast<double>(connected) / pairs : 0;
}

}  // namespace hjepa
