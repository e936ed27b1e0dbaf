// Optimisers over a list of Parameters: Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter
// 2019, decoupled weight decay on weight matrices only), plus the training-loop helpers
// zero_grad, clip_grad_norm, all_finite and the cosine learning-rate schedule. The moments and the
// step count live in the optimiser (a fresh optimiser starts from zero moments).
#pragma once
#include <vector>

#include "agent/nn/parameter.hpp"

namespace hjepa::nn {

struct AdamParams {
  double lr = 1e-3;           // step size
  double beta1 = 0.9;         // first-moment decay, in [0, 1)
  double beta2 = 0.999;       // second-moment decay, in [0, 1)
  double eps = 1e-8;          // added to sqrt(second moment); guards the division
  double weight_decay = 0.0;  // Adam: L2 coefficient added to the gradient; AdamW: w -= lr*wd*w. Weights only
};

template <typename T>
void zero_grad(const ParamList<T>& params);
// Scales every gradient so their global L2 norm is at most max_norm; returns the norm before.
template <typename T>
double clip_grad_norm(const ParamList<T>& params, double max_norm);
// True when every value and gradient is finite (no NaN, no Inf).
template <typename T>
bool all_finite(const ParamList<T>& params);
// A replica of a network that takes part of a batch on another thread: set_values copies the
// network's values into it (before the step), merge_grads adds its gradients into the network's, in
// list order, and zeroes its own (after). Both lists come from the same network shape.
template <typename T>
void set_values(const ParamList<T>& to, const ParamList<T>& from);
template <typename T>
void merge_grads(const ParamList<T>& into, const ParamList<T>& from);

// The learning rate at `step` of a cosine schedule from lr (step 0) down to final_fraction * lr (step `steps`).
double cosine_lr(double lr, int step, int steps, double final_fraction = 0.1);

// One Adam update of `value` from the gradient g: the moments m and v move towards g and g^2, and
// value -= lr (m / c1) / (sqrt(v / c2) + eps), where c1 and c2 are the bias corrections
// 1 - beta^t. Shared by Adam::step and the planner's Adam on heading angles.
template <typename T>
void adam_update(Mat<T>& value, Mat<T>& m, Mat<T>& v, const Mat<T>& g, T lr, T b1, T b2, T c1, T c2, T eps);

// step(params) must get the same list (same order) every time: moments are kept by position.
template <typename T>
class Adam {
 public:
  explicit Adam(AdamParams p = {}) : Adam(p, false) {}
  void step(const ParamList<T>& params);
  void zero_grad(const ParamList<T>& params) const { nn::zero_grad(params); }
  long steps() const { return steps_; }

  AdamParams hyper;

 protected:
  Adam(AdamParams p, bool decoupled) : hyper(p), decoupled_(decoupled) {}

 private:
  bool decoupled_;
  long steps_ = 0;
  std::vector<Mat<T>> m_, v_;  // first and second moments, one per parameter (sized on the first step)
};

template <typename T>
class AdamW : public Adam<T> {
 public:
  explicit AdamW(AdamParams p = {.weight_decay = 0.01}) : Adam<T>(p, true) {}
};

extern template class Adam<float>;
extern template class Adam<double>;

}  // namespace hjepa::nn
