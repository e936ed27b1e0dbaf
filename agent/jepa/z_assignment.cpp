// Hard-EM assignment of P1's latent z to exploration sequences (see z_assignment.hpp).
#include "agent/jepa/z_assignment.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "agent/jepa/side_thread.hpp"

namespace hjepa {

Eigen::MatrixXd z_sequence_costs(const nn::MLP<float>& predictor, const FourierBasis<float>& fourier, int z_values,
                                 const ExplorationData& data, const MatF& s_all, int k) {
  const int S = data.sequences, W = std::max(1, data.length / k), D = static_cast<int>(s_all.rows());
  constexpr int kChunk = 2048;  // windows per batch: bounds the unrolled caches
  const int total = S * W, chunks = (total + kChunk - 1) / kChunk;
  // Each window's loss under each z (z-major), the chunks shared out between two threads: a column's
  // loss does not depend on the other columns of its batch (the product kernel sums each element's
  // products in order), so the split changes no bit.
  std::vector<double> window_loss(static_cast<size_t>(total) * z_values);
  auto chunks_from = [&](int parity) {
    nn::MLP<float> net = predictor;  // unrolled_prediction takes a mutable net (it may accumulate gradients)
    std::vector<double> loss;
    for (int c = parity; c < chunks; c += 2) {
      const int first = c * kChunk, B = std::min(kChunk, total - first);
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
        std::copy(loss.begin(), loss.begin() + B, window_loss.begin() + static_cast<std::ptrdiff_t>(v) * total + first);
      }
    }
  };
  SideThread side;
  side.run([&] { chunks_from(0); }, [&] { chunks_from(1); });
  // Summed in window order, as one thread would.
  Eigen::MatrixXd cost = Eigen::MatrixXd::Zero(S, z_values);
  for (int w = 0; w < total; ++w)
    for (int v = 0; v < z_values; ++v) cost(w / W, v) += window_loss[static_cast<size_t>(v) * total + w] / W;
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
