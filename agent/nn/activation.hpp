// Element-wise activations ReLU, Tanh and GELU (tanh approximation), each a forward/backward pair.
// Any shape; in the kit an activation is (features x batch). backward takes the forward's input x
// and output y (each activation uses what it needs) and returns dL/dx = f'(x) * dy.
#pragma once
#include "agent/nn/linear.hpp"

namespace hjepa::nn {

enum class Activation { ReLU, Tanh, GELU };

const char* activation_name(Activation a);
// The initialisation that keeps activations' variance steady through a layer followed by `a`.
Init init_for(Activation a);

template <typename T>
Mat<T> activation_forward(Activation a, const Mat<T>& x);
// With gelu_tanh non-null (GELU only), also keeps tanh(u) for the backward, which then need not
// recompute it: the same values, so the same gradients bit for bit.
template <typename T>
void activation_forward_inplace(Activation a, Mat<T>& x, Mat<T>* gelu_tanh = nullptr);
// out = activation(pre), pre untouched, with GELU's tanh into gelu_tanh when non-null: the cached
// forward's step (MLP::forward_cached_input). For float GELU on whole packets it is one pass over
// memory with Eigen's own packet functions in the order activation_forward_inplace's expressions
// evaluate them, so the values are the same bit for bit (test_nn checks it); otherwise it copies
// and calls activation_forward_inplace.
template <typename T>
void activation_forward_into(Activation a, const Mat<T>& pre, Mat<T>& out, Mat<T>* gelu_tanh = nullptr);
template <typename T>
Mat<T> activation_backward(Activation a, const Mat<T>& x, const Mat<T>& y, const Mat<T>& dy, const Mat<T>* gelu_tanh = nullptr);
// The same written over dy (no allocation).
template <typename T>
void activation_backward_inplace(Activation a, const Mat<T>& x, const Mat<T>& y, Mat<T>& dy, const Mat<T>* gelu_tanh = nullptr);

}  // namespace hjepa::nn
