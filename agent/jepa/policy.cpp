// The Mode-1 actor and its imitation loss (see policy.hpp).
#include "agent/jepa/policy.hpp"

#include <cmath>
#include <vector>

#include "agent/jepa/batch_halves.hpp"

namespace hjepa {

int policy_inputs(int latent) { return 2 * latent + 1 + kNumColors; }

void write_policy_input(const MatF& s, const MatF* goal, int colour, MatF& x, Eigen::Index col) {
  const Eigen::Index D = s.rows();
  x.col(col).setZero();
  x.col(col).head(D) = s.col(0);
  if (goal) {
    x.col(col).segment(D, D) = goal->col(0) - s.col(0);
    x(2 * D, col) = 1;
  }
  if (colour >= 0 && colour < kNumColors) x(2 * D + 1 + colour, col) = 1;
}

Policy::Policy(const PolicyArch& a, uint64_t seed) : arch(a) {
  Rng rng(seed);
  net = nn::MLP<float>({policy_inputs(a.latent), a.hidden, a.hidden, 2}, nn::Activation::GELU, rng, "pi");
}

float Policy::heading(const MatF& s, const MatF* goal, int colour) const {
  MatF x(policy_inputs(arch.latent), 1);
  write_policy_input(s, goal, colour, x, 0);
  const MatF y = net.forward(x);
  return std::atan2(y(1, 0), y(0, 0));
}

namespace {

// The loss of columns [first, first + n) of a batch of `batch`, as their share of its mean.
template <typename T>
double policy_loss_part(nn::MLP<T>& net, const nn::Mat<T>& x, const float* headings, Eigen::Index first, Eigen::Index n,
                        Eigen::Index batch, bool backward) {
  nn::MLPCache<T> cache;
  const nn::Mat<T> y = net.forward(x.middleCols(first, n), cache);
  nn::Mat<T> diff(2, n);
  for (Eigen::Index b = 0; b < n; ++b) {
    diff(0, b) = y(0, b) - static_cast<T>(std::cos(headings[first + b]));
    diff(1, b) = y(1, b) - static_cast<T>(std::sin(headings[first + b]));
  }
  const double loss = 0.5 * static_cast<double>(diff.squaredNorm()) / static_cast<double>(batch);
  if (backward) net.backward(diff / static_cast<T>(batch), cache);
  return loss;
}

}  // namespace

template <typename T>
double policy_loss(nn::MLP<T>& net, const nn::Mat<T>& x, const std::vector<float>& headings, bool backward) {
  return policy_loss_part(net, x, headings.data(), 0, x.cols(), x.cols(), backward);
}

template <typename T>
double policy_loss_halves(nn::MLP<T>& net, nn::MLP<T>& replica, const nn::Mat<T>& x, const std::vector<float>& headings,
                          bool backward, SideThread* side) {
  const Eigen::Index B = x.cols();
  const auto half = on_batch_halves(net, replica, B, backward, side, [&](nn::MLP<T>& part_net, Eigen::Index f, Eigen::Index n) {
    return policy_loss_part(part_net, x, headings.data(), f, n, B, backward);
  });
  return half[0] + half[1];
}

std::vector<double> policy_angle_errors(const Policy& policy, const MatF& x, const std::vector<float>& headings) {
  std::vector<double> e(static_cast<size_t>(x.cols()));
  if (x.cols() == 0) return e;
  const MatF y = policy.forward(x);
  for (Eigen::Index b = 0; b < x.cols(); ++b) e[b] = std::fabs(std::remainder(std::atan2(y(1, b), y(0, b)) - headings[b], 2 * kPi));
  return e;
}

double policy_angle_error(const Policy& policy, const MatF& x, const std::vector<float>& headings) {
  const std::vector<double> e = policy_angle_errors(policy, x, headings);
  double sum = 0;
  for (double v : e) sum += v;
  return e.empty() ? 0 : sum / static_cast<double>(e.size());
}

template double policy_loss<float>(nn::MLP<float>&, const nn::Mat<float>&, const std::vector<float>&, bool);
template double policy_loss<double>(nn::MLP<double>&, const nn::Mat<double>&, const std::vector<float>&, bool);
template double policy_loss_halves<float>(nn::MLP<float>&, nn::MLP<float>&, const nn::Mat<float>&, const std::vector<float>&, bool,
                                          SideThread*);
template double policy_loss_halves<double>(nn::MLP<double>&, nn::MLP<double>&, const nn::Mat<double>&, const std::vector<float>&,
                                           bool, SideThread*);

}  // namespace hjepa
