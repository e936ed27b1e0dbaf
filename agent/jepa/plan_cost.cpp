// Rollout energy and its backward pass through the residual predictor and the colour head.
#include "agent/jepa/plan_cost.hpp"

#include "agent/jepa/counters.hpp"
#include "agent/jepa/level1_loss.hpp"
#include "agent/nn/loss.hpp"

namespace hjepa {

namespace {

// Each candidate's energy from its columns (A blocks of R0: the candidates under each z rolled out):
// the expectation over the z (weights z_weight), or the worst. Returns each column's share of it
// (what its gradient is scaled by); with one z, the columns are the candidates and every share is 1.
template <typename T>
Eigen::Array<T, Eigen::Dynamic, 1> candidate_costs(const std::vector<T>& col_costs, const std::vector<T>& z_weight, bool z_worst,
                                                   Eigen::Index R0, std::vector<T>& costs) {
  const Eigen::Index R = static_cast<Eigen::Index>(col_costs.size()), A = R / R0;
  Eigen::Array<T, Eigen::Dynamic, 1> omega = Eigen::Array<T, Eigen::Dynamic, 1>::Ones(R);
  if (A == 1) {
    costs.assign(col_costs.begin(), col_costs.end());
    return omega;
  }
  costs.assign(R0, T(0));
  for (Eigen::Index r = 0; r < R0; ++r) {
    Eigen::Index worst = 0;
    for (Eigen::Index a = 0; a < A; ++a) {
      if (col_costs[a * R0 + r] > col_costs[worst * R0 + r]) worst = a;
      omega[a * R0 + r] = z_worst ? T(0) : z_weight[a];
      if (!z_worst) costs[r] += z_weight[a] * col_costs[a * R0 + r];
    }
    if (z_worst) omega[worst * R0 + r] = T(1), costs[r] = col_costs[worst * R0 + r];
  }
  return omega;
}

}  // namespace

template <typename T>
void plan_cost(const nn::MLP<T>& predictor, const FourierBasis<T>& fourier, const nn::MLP<T>& colour_head, const nn::Mat<T>& s0,
               const nn::Mat<T>& candidates, const PlanCostSpec<T>& spec, std::vector<T>& costs, nn::Mat<T>* grad,
               std::vector<nn::Mat<T>>* latents, PlanCostWorkspace<T>* workspace) {
  using M = nn::Mat<T>;
  const int H = static_cast<int>(candidates.rows());
  const Eigen::Index R0 = candidates.cols(), D = s0.rows();
  PlanCostWorkspace<T> local;
  PlanCostWorkspace<T>& w = workspace ? *workspace : local;
  // With z: every candidate under each z rolled out (block a of the columns: the a-th z).
  plan_z_values(spec, w.z, w.z_weight);
  const Eigen::Index A = static_cast<Eigen::Index>(w.z.size()), R = A * R0;
  const bool with_z = spec.z_values > 1;
  w.z_cols.resize(static_cast<size_t>(R));
  for (Eigen::Index c = 0; c < R; ++c) w.z_cols[c] = w.z[c / R0];
  const ZColumns zc{spec.z_values, with_z ? w.z_cols.data() : nullptr};
  std::vector<M>& s = w.s;
  s.resize(H + 1);
  w.pred_cache.resize(H);
  w.head_cache.resize(H);
  w.input_cache.resize(H);
  w.probs.resize(H);
  s[0] = s0.replicate(1, R);
  std::vector<T>& col_costs = w.column_costs;
  col_costs.assign(R, T(0));
  std::vector<T> top, sum;
  // Every step's headings as a column (R x H), with their cosines and sines taken at once.
  w.headings = A > 1 ? M(candidates.transpose().replicate(A, 1)) : M(candidates.transpose());
  w.cos_h = w.headings.array().cos().matrix();
  w.sin_h = w.headings.array().sin().matrix();
  for (int t = 0; t < H; ++t) {
    nn::MLPCache<T>& pc = w.pred_cache[t];
    pc.linear.resize(predictor.layers.size());
    predictor_input_into<T>(s[t], &w.headings(0, t), fourier, pc.linear[0].x, w.input_cache[t], &w.cos_h(0, t), &w.sin_h(0, t), zc);
    predictor.forward_cached_input_into(pc, w.step);
    s[t + 1] = s[t] + w.step;
    predictor_evaluations += static_cast<uint64_t>(R);
    const T wt = static_cast<T>(t == H - 1 ? spec.terminal_weight : 1.0);
    if (spec.goal) {
      w.diff = s[t + 1].colwise() - spec.goal->col(0);
      for (Eigen::Index r = 0; r < R; ++r) col_costs[r] += wt * static_cast<T>(spec.goal_weight) * w.diff.col(r).squaredNorm();
    }
    if (spec.colour >= 0) {
      colour_head.forward_cached_into(s[t + 1], w.head_cache[t], w.logits);
      nn::softmax_columns(w.logits, w.probs[t], &top, &sum);
      for (Eigen::Index r = 0; r < R; ++r)  // -log p(colour) = log-sum-exp - logit
        col_costs[r] += wt * static_cast<T>(spec.colour_weight) * (std::log(sum[r]) + top[r] - w.logits(spec.colour, r));
    }
  }
  const Eigen::Array<T, Eigen::Dynamic, 1> omega = candidate_costs(col_costs, w.z_weight, spec.z_worst, R0, costs);
  if (latents) *latents = s;
  if (!grad) return;

  // Backward: ds_t collects the cost terms at t (each column's scaled by its share omega) and flows
  // back through the residual steps.
  grad->resize(H, R0);
  if (w.predictor_wt.empty()) w.prepare(predictor, colour_head);
  M ds = M::Zero(D, R), dterm(D, A > 1 ? R : 0);
  std::vector<T> dh(R);  // one step's heading gradients
  for (int t = H - 1; t >= 0; --t) {
    const T wt = static_cast<T>(t == H - 1 ? spec.terminal_weight : 1.0);
    M& term = A == 1 ? ds : dterm;  // one z: straight into ds
    if (A > 1) dterm.setZero();
    if (spec.goal) term += (s[t + 1].colwise() - spec.goal->col(0)) * (2 * wt * static_cast<T>(spec.goal_weight));
    if (spec.colour >= 0) {
      w.dlogits = w.probs[t];
      w.dlogits.row(spec.colour).array() -= T(1);
      w.dlogits *= wt * static_cast<T>(spec.colour_weight);
      term += colour_head.backward_input(w.dlogits, w.head_cache[t], w.colour_head_wt, w.colour_head_back);
    }
    if (A > 1) ds += dterm * omega.matrix().asDiagonal();
    const M& d_in = predictor.backward_input(ds, w.pred_cache[t], w.predictor_wt, w.predictor_back);
    predictor_input_backward_into<T>(d_in, s[t], fourier, w.input_cache[t], dh.data(), w.ds_input, w.dz);
    ds += w.ds_input;
    for (Eigen::Index r = 0; r < R0; ++r) {
      T g = dh[r];
      for (Eigen::Index a = 1; a < A; ++a) g += dh[a * R0 + r];
      (*grad)(t, r) = g;
    }
  }
}

double plan_cost_multiply_adds(const nn::MLP<float>& predictor, const FourierBasis<float>& fourier, const nn::MLP<float>& colour_head,
                               int horizon, int columns, bool colour, bool backward) {
  const double D = predictor.outputs();
  double forward = predictor_step_multiply_adds(predictor, fourier);
  if (colour) forward += colour_head.multiply_adds();
  double per_column = forward;
  if (backward) per_column += forward + 2 * D;  // the heading's gradient adds two dot products of D
  return per_column * horizon * columns;
}

template void plan_cost<float>(const nn::MLP<float>&, const FourierBasis<float>&, const nn::MLP<float>&, const nn::Mat<float>&, const nn::Mat<float>&,
                               const PlanCostSpec<float>&, std::vector<float>&, nn::Mat<float>*, std::vector<nn::Mat<float>>*,
                               PlanCostWorkspace<float>*);
template void plan_cost<double>(const nn::MLP<double>&, const FourierBasis<double>&, const nn::MLP<double>&, const nn::Mat<double>&, const nn::Mat<double>&,
                                const PlanCostSpec<double>&, std::vector<double>&, nn::Mat<double>*, std::vector<nn::Mat<double>>*,
                                PlanCostWorkspace<double>*);

}  // namespace hjepa
