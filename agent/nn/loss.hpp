// Losses and regularisers, each returning the scalar and its gradient with respect to the input;
// and the column-wise softmax they and the planner share.
// B = batch (columns), D = embedding dim, K = classes. pred/target: D x B, logits: K x B,
// labels: B, Z: D x B. Gradients are fresh (not accumulated): dL/dinput, same shape as the input.
#pragma once
#include <vector>

#include "agent/nn/parameter.hpp"

namespace hjepa::nn {

template <typename T>
struct LossGrad {
  T loss = 0;
  Mat<T> grad;  // dL/dinput
};

// mean over all D*B entries of (pred - target)^2; grad is dL/dpred (dL/dtarget = -grad).
template <typename T>
LossGrad<T> mse(const Mat<T>& pred, const Mat<T>& target);

// Column-wise softmax of logits (K x B) into probs: exp(logit - column max) / its sum. When given,
// top and sum receive each column's max and sum of exp(logit - max): log-sum-exp = log(sum) + top.
template <typename T>
void softmax_columns(const Mat<T>& logits, Mat<T>& probs, std::vector<T>* top = nullptr, std::vector<T>* sum = nullptr);
template <typename T>
Mat<T> softmax_columns(const Mat<T>& logits);

// mean over columns of -log softmax(logits)[label]; labels[b] in [0, K).
template <typename T>
LossGrad<T> softmax_cross_entropy(const Mat<T>& logits, const std::vector<int>& labels);

// VICReg variance hinge (Bardes et al. 2022): mean_j max(0, gamma - sqrt(Var_j + eps)), Var_j the
// unbiased variance of row j over the batch. Needs B >= 2.
template <typename T>
LossGrad<T> vicreg_variance(const Mat<T>& z, double gamma = 1.0, double eps = 1e-4);

// VICReg covariance: sum of squared off-diagonal entries of Cov(Z) (unbiased, D x D), over D.
template <typename T>
LossGrad<T> vicreg_covariance(const Mat<T>& z);

}  // namespace hjepa::nn
