// MLP forward (cached, cache-free, allocation-free) and backward through Linear + activation.
// B = batch (columns), sizes = {I, H1, ..., O}. x: I x B, y: O x B.
#include "agent/nn/mlp.hpp"

#include <cassert>
#include <type_traits>

#include "agent/nn/gemm.hpp"

namespace hjepa::nn {

template <typename T>
MLP<T>::MLP(const std::vector<int>& sizes, Activation activation, Rng& rng,
            const std::string& name)
    : activation_(activation), name_(name) {
  assert(sizes.size() >= 2);
  const size_t n = sizes.size() - 1;
  layers.reserve(n);
  for (size_t l = 0; l < n; ++l) {
    const Init init = l + 1 < n ? init_for(activation) : Init::XavierUniform;
    layers.emplace_back(sizes[l], sizes[l + 1], init, rng, name + "." + std::to_string(l));
  }
}

template <typename T>
Mat<T> MLP<T>::forward(const Mat<T>& x, MLPCache<T>& cache) const {
  Mat<T> y;
  forward_cached_into(x, cache, y);
  return y;
}

template <typename T>
void MLP<T>::forward_cached_into(const Mat<T>& x, MLPCache<T>& cache, Mat<T>& out) const {
  cache.linear.resize(layers.size());
  cache.linear[0].x = x;
  forward_cached_input_into(cache, out);
}

template <typename T>
Mat<T> MLP<T>::forward_cached_input(MLPCache<T>& cache) const {
  Mat<T> y;
  forward_cached_input_into(cache, y);
  return y;
}

template <typename T>
void MLP<T>::forward_cached_input_into(MLPCache<T>& cache, Mat<T>& out) const {
  const size_t n = layers.size();
  cache.linear.resize(n);
  cache.pre.resize(n - 1);
  const bool gelu = activation_ == Activation::GELU;
  cache.gelu_tanh.resize(gelu ? n - 1 : 0);
  for (size_t l = 0; l + 1 < n; ++l) {
    layers[l].forward_into(cache.linear[l].x, cache.pre[l]);
    activation_forward_into(activation_, cache.pre[l], cache.linear[l + 1].x, gelu ? &cache.gelu_tanh[l] : nullptr);
  }
  layers[n - 1].forward_into(cache.linear[n - 1].x, out);
}

namespace {
// Hidden layer l's cached GELU tanh, or null (another activation, or a cache without them).
template <typename T>
const Mat<T>* tanh_of(const MLPCache<T>& cache, size_t l) {
  return l < cache.gelu_tanh.size() ? &cache.gelu_tanh[l] : nullptr;
}
}  // namespace

template <typename T>
Mat<T> MLP<T>::backward_input(const Mat<T>& dy, const MLPCache<T>& cache) const {
  Mat<T> d = dy;
  for (size_t l = layers.size(); l-- > 0;) {
    d = layers[l].backward_input(d);
    if (l > 0) d = activation_backward(activation_, cache.pre[l - 1], cache.linear[l].x, d, tanh_of(cache, l - 1));
  }
  return d;
}

template <typename T>
const Mat<T>& MLP<T>::backward_input(const Mat<T>& dy, const MLPCache<T>& cache, const std::vector<Mat<T>>& transposed,
                                     std::vector<Mat<T>>& scratch) const {
  assert(transposed.size() == layers.size());
  scratch.resize(layers.size());
  const Mat<T>* d = &dy;
  for (size_t l = layers.size(); l-- > 0;) {
    Mat<T>& next = scratch[l];
    if constexpr (std::is_same_v<T, float>) {
      gemm_into(transposed[l], *d, next);
    } else {
      next.noalias() = transposed[l] * *d;
    }
    if (l > 0) activation_backward_inplace(activation_, cache.pre[l - 1], cache.linear[l].x, next, tanh_of(cache, l - 1));
    d = &next;
  }
  return *d;
}

template <typename T>
void MLP<T>::transposed_weights(std::vector<Mat<T>>& out) const {
  out.resize(layers.size());
  for (size_t l = 0; l < layers.size(); ++l) out[l] = layers[l].W.value.transpose();
}

template <typename T>
Mat<T> MLP<T>::backward_to_first(const Mat<T>& dy, const MLPCache<T>& cache, const std::vector<Mat<T>>* transposed) {
  assert(!transposed || transposed->size() == layers.size());
  Mat<T> d = dy;
  for (size_t l = layers.size(); l-- > 1;) {
    d = layers[l].backward(d, cache.linear[l], transposed ? &(*transposed)[l] : nullptr);
    d = activation_backward(activation_, cache.pre[l - 1], cache.linear[l].x, d, tanh_of(cache, l - 1));
  }
  return d;
}

template <typename T>
Mat<T> MLP<T>::backward(const Mat<T>& dy, const MLPCache<T>& cache, const std::vector<Mat<T>>* transposed) {
  return layers[0].backward(backward_to_first(dy, cache, transposed), cache.linear[0], transposed ? &(*transposed)[0] : nullptr);
}

template <typename T>
void MLP<T>::backward_params(const Mat<T>& dy, const MLPCache<T>& cache) {
  layers[0].backward_params(backward_to_first(dy, cache, nullptr), cache.linear[0]);
}

template <typename T>
void MLP<T>::forward_into(const Mat<T>& x, Mat<T>& y, MLPScratch<T>& scratch) const {
  const Mat<T>* in = &x;
  for (size_t l = 0; l < layers.size(); ++l) {
    const bool last = l + 1 == layers.size();
    Mat<T>* out = last ? &y : (l % 2 == 0 ? &scratch.even : &scratch.odd);
    layers[l].forward_into(*in, *out);
    if (!last) activation_forward_inplace(activation_, *out);
    in = out;
  }
}

template <typename T>
Mat<T> MLP<T>::forward(const Mat<T>& x) const {
  MLPScratch<T> scratch;
  Mat<T> y;
  forward_into(x, y, scratch);
  return y;
}

template <typename T>
ParamList<T> MLP<T>::params() {
  ParamList<T> out;
  for (auto& layer : layers) out.push_back(&layer.W), out.push_back(&layer.b);
  return out;
}

template <typename T>
ConstParamList<T> MLP<T>::params() const {
  ConstParamList<T> out;
  for (const auto& layer : layers) out.push_back(&layer.W), out.push_back(&layer.b);
  return out;
}

template <typename T>
Eigen::Index MLP<T>::num_parameters() const {
  Eigen::Index n = 0;
  for (const auto& layer : layers) n += layer.num_parameters();
  return n;
}

template <typename T>
double MLP<T>::multiply_adds() const {
  double n = 0;
  for (const auto& layer : layers) n += static_cast<double>(layer.inputs()) * layer.outputs();
  return n;
}

template class MLP<float>;
template class MLP<double>;

}  // namespace hjepa::nn
