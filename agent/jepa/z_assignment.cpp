// Hard-EM assignment of P1's latent z to exploration sequences (see z_assignment.hpp).
#include "agent/jepa/z_assignment.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace hjepa {

Eigen::MatrixXd z_sequence_costs(const nn::MLP<float>& predictor, const FourierBasis<float>& fourier, int z_values,
                                 const ExplorationData& data, const MatF& s_all, int k) {
  const int S = data.sequences, W = std::max(1, data.length / k), D = static_cast<int>(s_all.rows());
  Eigen::MatrixXd cost = Eigen::MatrixXd::Zero(S, z_values);
  constexpr int kChunk = 2048;  // windows per batch: bounds the unrolled caches
  const int total = S * W;
  nn::MLP<float> net = predictor;  // unrolled_prediction takes a mutable net (it may accumulate gradients)
  std::vector<double> loss;
  for (int first = 0; first < total; first += kChunk) {
    const int B = std::min(kChunk, total - first);
    MatF s0(D, B), targets(D, static_cast<Eigen::Index>(B) * k);
    std::vector<float> headings(static_cast<size_t>(B) * k);
    for (int b = 0; b < B; ++b) {
      const int q = (first + b) / W, t0 = ((first + b) % W) * k;
      s0.col(b) = s_all.col(data.frame_index(q, t0));
      for (int t = 0; t < k; ++t) {
        headings[static_cast<size_t>(t) * B + b] = data.heading_at(q, t0 + t);
        targets.col(static_cast<Eigen::Index>(t) * B + b) = s_all.col(data.frame_index(q, t0 + t + 1));
      }
    }
    std::vector<int> z(static_cast<size_t>(B));
    for (int v = 0; v < z_values; ++v) {
      std::fill(z.begin(), z.end(), v);
      unrolled_prediction<float>(net, fourier, s0, headings.data(), k, targets, 1.0, false, ZColumns{z_values, z.data()}, &loss);
      for (int b = 0; b < B; ++b) cost((first + b) / W, v) += loss[b] / W;
    }
  }
  return cost;
}

std::vector<int> assign_z(const Eigen::MatrixXd& cost, double floor_share) {
  const int S = static_cast<int>(cost.rows()), K = static_cast<int>(cost.cols());
  std::vector<int> z(S);
  std::vector<int> count(K, 0);
  for (int q = 0; q < S; ++q) {
    Eigen::Index best;
    cost.row(q).minCoeff(&best);
    z[q] = static_cast<int>(best);
    ++count[z[q]];
  }
  const int floor = std::min(S / std::max(1, K), static_cast<int>(std::ceil(floor_share * S)));
  std::vector<int> order(S);
  for (int v = 0; v < K; ++v) {
    if (count[v] >= floor) continue;
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
      return cost(a, v) - cost(a, z[a]) < cost(b, v) - cost(b, z[b]);
    });
    for (int q : order) {
      if (count[v] >= floor) break;
      if (z[q] == v || count[z[q]] <= floor) continue;
      --count[z[q]];
      z[q] = v;
      ++count[v];
    }
  }
  return z;
}

std::vector<double> z_usage(const std::vector<int>& z, int z_values) {
  std::vector<double> share(static_cast<size_t>(z_values), 0.0);
  for (int v : z) share[v] += 1.0;
  for (double& s : share) s /= std::max<size_t>(1, z.size());
  return share;
}

}  // namespace hjepa
