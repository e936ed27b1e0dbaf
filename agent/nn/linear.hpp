// Linear layer y = W x + b with an external cache, so one layer can appear many times in a graph.
// B = batch (columns), I = inputs, O = outputs. x: I x B, W: O x I, b: O x 1, y: O x B.
// backward accumulates dW, db (+=) and returns dL/dx.
#pragma once
#include <string>

#include "agent/nn/parameter.hpp"
#include "sim/rng.hpp"

namespace hjepa::nn {

// Kaiming-uniform (bound sqrt(6 / I)) preserves variance through ReLU/GELU; Xavier-uniform
// (bound sqrt(6 / (I + O))) suits Tanh and linear outputs. Biases start at zero.
enum class Init { KaimingUniform, XavierUniform };

template <typename T>
struct LinearCache {
  Mat<T> x;  // I x B, the input of the forward pass
};

template <typename T>
class Linear {
 public:
  Linear() = default;
  Linear(int inputs, int outputs, Init init, Rng& rng, const std::string& name);

  Mat<T> forward(const Mat<T>& x, LinearCache<T>& cache) const;
  // wt, if given, is W's transpose (stored once for several backward passes through unchanged
  // weights); the same values as without it.
  Mat<T> backward(const Mat<T>& dy, const LinearCache<T>& cache, const Mat<T>* wt = nullptr);
  // The parameter gradients alone (+=), for a layer whose input needs none (a network's raw input).
  void backward_params(const Mat<T>& dy, const LinearCache<T>& cache);
  // dL/dx only, parameters untouched (planning through a frozen model).
  Mat<T> backward_input(const Mat<T>& dy, const Mat<T>* wt = nullptr) const;
  Mat<T> forward(const Mat<T>& x) const;
  void forward_into(const Mat<T>& x, Mat<T>& y) const;  // y resized only if its shape differs

  int inputs() const { return static_cast<int>(W.value.cols()); }
  int outputs() const { return static_cast<int>(W.value.rows()); }
  ParamList<T> params() { return {&W, &b}; }
  ConstParamList<T> params() const { return {&W, &b}; }
  Eigen::Index num_parameters() const { return W.size() + b.size(); }

  Parameter<T> W;  // O x I
  Parameter<T> b;  // O x 1
};

extern template class Linear<float>;
extern template class Linear<double>;

}  // namespace hjepa::nn
