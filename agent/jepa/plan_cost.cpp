// Rollout energy and its backward pass through the residual predictor and the colour head.
#include "agent/jepa/plan_cost.hpp"

#include "agent/jepa/counters.hpp"
#include "agent/jepa/level1_loss.hpp"
#include "agent/nn/loss.hpp"

namespace hjepa {

template <typename T>
void plan_cost(const nn::MLP<T>& predictor, const FourierBasis<T>& fourier, const nn::MLP<T>& colour_head, const nn::Mat<T>& s0,
               const nn::Mat<T>& headings, const PlanCostSpec<T>& spec, std::vector<T>& costs, nn::Mat<T>* grad,
               std::vector<nn::Mat<T>>* latents) {
  using M = nn::Mat<T>;
  const int H = static_cast<int>(headings.rows());
  const Eigen::Index R = headings.cols(), D = s0.rows();
  std::vector<M> s(H + 1);
  std::vector<nn::MLPCache<T>> pred_cache(H), head_cache(H);
  std::vector<M> probs(H);
  s[0] = s0.replicate(1, R);
  costs.assign(R, T(0));
  std::vector<T> h(R), top, sum;
  for (int t = 0; t < H; ++t) {
    for (Eigen::Index r = 0; r < R; ++r) h[r] = headings(t, r);
    s[t + 1] = s[t] + predictor.forward(predictor_input<T>(s[t], h.data(), fourier), pred_cache[t]);
    predictor_evaluations += static_cast<uint64_t>(R);
    const T w = static_cast<T>(t == H - 1 ? spec.terminal_weight : 1.0);
    if (spec.goal) {
      const M diff = s[t + 1].colwise() - spec.goal->col(0);
      for (Eigen::Index r = 0; r < R; ++r) costs[r] += w * static_cast<T>(spec.goal_weight) * diff.col(r).squaredNorm();
    }
    if (spec.colour >= 0) {
      const M logits = colour_head.forward(s[t + 1], head_cache[t]);
      nn::softmax_columns(logits, probs[t], &top, &sum);
      for (Eigen::Index r = 0; r < R; ++r)  // -log p(colour) = log-sum-exp - logit
        costs[r] += w * static_cast<T>(spec.colour_weight) * (std::log(sum[r]) + top[r] - logits(spec.colour, r));
    }
  }
  if (latents) *latents = s;
  if (!grad) return;

  // Backward: ds_t collects the cost terms at t and flows back through the residual steps.
  grad->resize(H, R);
  M ds = M::Zero(D, R);
  std::vector<T> dh(R);  // one step's heading gradients
  for (int t = H - 1; t >= 0; --t) {
    const T w = static_cast<T>(t == H - 1 ? spec.terminal_weight : 1.0);
    if (spec.goal) ds += (s[t + 1].colwise() - spec.goal->col(0)) * (2 * w * static_cast<T>(spec.goal_weight));
    if (spec.colour >= 0) {
      M dlogits = probs[t];
      dlogits.row(spec.colour).array() -= T(1);
      ds += colour_head.backward_input(dlogits * (w * static_cast<T>(spec.colour_weight)), head_cache[t]);
    }
    const M d_in = predictor.backward_input(ds, pred_cache[t]);
    for (Eigen::Index r = 0; r < R; ++r) h[r] = headings(t, r);
    ds += predictor_input_backward<T>(d_in, s[t], h.data(), fourier, dh.data());
    for (Eigen::Index r = 0; r < R; ++r) (*grad)(t, r) = dh[r];
  }
}

template void plan_cost<float>(const nn::MLP<float>&, const FourierBasis<float>&, const nn::MLP<float>&, const nn::Mat<float>&, const nn::Mat<float>&,
                               const PlanCostSpec<float>&, std::vector<float>&, nn::Mat<float>*, std::vector<nn::Mat<float>>*);
template void plan_cost<double>(const nn::MLP<double>&, const FourierBasis<double>&, const nn::MLP<double>&, const nn::Mat<double>&, const nn::Mat<double>&,
                                const PlanCostSpec<double>&, std::vector<double>&, nn::Mat<double>*, std::vector<nn::Mat<double>>*);

}  // namespace hjepa
