// Multi-layer perceptron: Linear layers with an activation between them (none after the last).
// B = batch (columns), sizes = {I, H1, ..., O}. x: I x B, y: O x B. The cache is external so one
// MLP can be applied many times in one graph; backward accumulates parameter gradients (+=).
#pragma once
#include <string>
#include <vector>

#include "agent/nn/activation.hpp"
#include "agent/nn/linear.hpp"

namespace hjepa::nn {

template <typename T>
struct MLPCache {
  std::vector<LinearCache<T>> linear;  // layer l's input: x for l = 0, else the activated hidden
  std::vector<Mat<T>> pre;             // hidden pre-activations, one per hidden layer
  std::vector<Mat<T>> gelu_tanh;       // GELU only: tanh(u) of each hidden layer, so backward need not recompute it
};

// Reusable hidden buffers for the allocation-free inference path.
template <typename T>
struct MLPScratch {
  Mat<T> even, odd;
};

template <typename T>
class MLP {
 public:
  MLP() = default;
  // Hidden layers initialised by init_for(activation); the output layer Xavier-uniform.
  // Parameters are named "<name>.<layer>.W" and "<name>.<layer>.b".
  MLP(const std::vector<int>& sizes, Activation activation, Rng& rng,
      const std::string& name = "mlp");

  Mat<T> forward(const Mat<T>& x, MLPCache<T>& cache) const;
  // The same into `out` (resized only when its shape differs; x copied into the cache's buffer).
  void forward_cached_into(const Mat<T>& x, MLPCache<T>& cache, Mat<T>& out) const;
  // The same on an input the caller wrote into cache.linear[0].x (no copy; the planner's hot path).
  Mat<T> forward_cached_input(MLPCache<T>& cache) const;
  // The same into `out` (resized only when its shape differs): no allocation once the buffers have their sizes.
  void forward_cached_input_into(MLPCache<T>& cache, Mat<T>& out) const;
  // transposed, if given, holds each layer's Wᵀ (transposed_weights) for several backward passes
  // through the same weights (the unrolled predictor); the same values as without it.
  Mat<T> backward(const Mat<T>& dy, const MLPCache<T>& cache, const std::vector<Mat<T>>* transposed = nullptr);
  // The parameter gradients alone (+=), without dL/dx (an encoder of raw observations): the same
  // gradients as backward, one product fewer.
  void backward_params(const Mat<T>& dy, const MLPCache<T>& cache);
  // dL/dx only, parameters untouched (planning through a frozen model).
  Mat<T> backward_input(const Mat<T>& dy, const MLPCache<T>& cache) const;
  // The same with each layer's Wᵀ stored (transposed_weights): for the planner's few columns a
  // product with a stored transpose runs about 1.6x faster than with a transposed view, which
  // Eigen repacks on every call. Valid while the weights do not change.
  // The result lives in `scratch` (one buffer per layer, allocated on first use).
  const Mat<T>& backward_input(const Mat<T>& dy, const MLPCache<T>& cache, const std::vector<Mat<T>>& transposed,
                               std::vector<Mat<T>>& scratch) const;
  void transposed_weights(std::vector<Mat<T>>& out) const;
  Mat<T> forward(const Mat<T>& x) const;
  // No allocation once y and scratch have their shapes (planner hot path).
  void forward_into(const Mat<T>& x, Mat<T>& y, MLPScratch<T>& scratch) const;

  ParamList<T> params();
  ConstParamList<T> params() const;
  Eigen::Index num_parameters() const;
  // Multiply-adds of one forward pass per column: the sum of its layers' inputs x outputs.
  double multiply_adds() const;
  int inputs() const { return layers.front().inputs(); }
  int outputs() const { return layers.back().outputs(); }
  Activation activation() const { return activation_; }
  const std::string& name() const { return name_; }

  std::vector<Linear<T>> layers;

 private:
  // backward through every layer but the first (parameter gradients accumulated): dL/d(layer 0's output).
  Mat<T> backward_to_first(const Mat<T>& dy, const MLPCache<T>& cache, const std::vector<Mat<T>>* transposed);
  Activation activation_ = Activation::ReLU;
  std::string name_;
};

extern template class MLP<float>;
extern template class MLP<double>;

}  // namespace hjepa::nn
