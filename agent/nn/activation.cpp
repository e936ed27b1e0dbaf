// ReLU, Tanh and GELU forward/backward on Eigen arrays, instantiated for float and double.
// GELU(x) = 0.5 x (1 + tanh(u)), u = sqrt(2/pi) (x + 0.044715 x^3)  (Hendrycks & Gimpel 2016).
#include "agent/nn/activation.hpp"

#include <cassert>
#include <cmath>
#include <type_traits>

namespace hjepa::nn {

namespace {
constexpr double kGeluC = 0.7978845608028654;  // sqrt(2 / pi)
constexpr double kGeluK = 0.044715;
}  // namespace

const char* activation_name(Activation a) {
  switch (a) {
    case Activation::ReLU: return "relu";
    case Activation::Tanh: return "tanh";
    case Activation::GELU: return "gelu";
  }
  return "?";
}

Init init_for(Activation a) {
  return a == Activation::Tanh ? Init::XavierUniform : Init::KaimingUniform;
}

namespace {
// GELU over n floats (n a multiple of the packet size) in one pass: t = tanh(c (v + k v^3)) and
// 0.5 v (1 + t), each as Eigen evaluates activation_forward_inplace's expressions on packets.
void gelu_packets(const float* pre, float* out, float* tanh_out, Eigen::Index n) {
  namespace ei = Eigen::internal;
  using P = ei::packet_traits<float>::type;
  constexpr Eigen::Index kSize = ei::packet_traits<float>::size;
  const P c = ei::pset1<P>(static_cast<float>(kGeluC)), k = ei::pset1<P>(static_cast<float>(kGeluK));
  const P half = ei::pset1<P>(0.5f), one = ei::pset1<P>(1.0f);
  for (Eigen::Index i = 0; i < n; i += kSize) {
    const P v = ei::ploadu<P>(pre + i);
    const P t = ei::ptanh(ei::pmul(c, ei::padd(v, ei::pmul(k, ei::pmul(v, ei::pmul(v, v))))));
    if (tanh_out) ei::pstoreu(tanh_out + i, t);
    ei::pstoreu(out + i, ei::pmul(ei::pmul(half, v), ei::padd(one, t)));
  }
}

// out = GELU(pre) (out may be pre) and its tanh through gelu_packets, if it can take them: float
// GELU, a vectorised tanh, whole packets. Returns whether it did.
template <typename T>
bool packet_gelu(Activation a, const Mat<T>& pre, Mat<T>& out, Mat<T>* gelu_tanh) {
  if constexpr (std::is_same_v<T, float>) {
    if (a != Activation::GELU || !Eigen::internal::packet_traits<float>::HasTanh ||
        pre.size() % Eigen::internal::packet_traits<float>::size != 0)
      return false;
    out.resize(pre.rows(), pre.cols());
    if (gelu_tanh) gelu_tanh->resize(pre.rows(), pre.cols());
    gelu_packets(pre.data(), out.data(), gelu_tanh ? gelu_tanh->data() : nullptr, pre.size());
    return true;
  }
  return false;
}
}  // namespace

template <typename T>
void activation_forward_inplace(Activation a, Mat<T>& x, Mat<T>* gelu_tanh) {
  if (packet_gelu(a, x, x, gelu_tanh)) return;
  auto v = x.array();
  switch (a) {
    case Activation::ReLU: x.array() = v.max(T(0)); break;
    case Activation::Tanh: x.array() = v.tanh(); break;
    case Activation::GELU: {
      const T c = T(kGeluC), k = T(kGeluK);
      if (gelu_tanh) {
        gelu_tanh->resize(x.rows(), x.cols());
        gelu_tanh->array() = (c * (v + k * v.cube())).tanh();
        x.array() = T(0.5) * v * (T(1) + gelu_tanh->array());
      } else {
        x.array() = T(0.5) * v * (T(1) + (c * (v + k * v.cube())).tanh());
      }
      break;
    }
  }
}

template <typename T>
void activation_forward_into(Activation a, const Mat<T>& pre, Mat<T>& out, Mat<T>* gelu_tanh) {
  if (packet_gelu(a, pre, out, gelu_tanh)) return;
  out = pre;
  activation_forward_inplace(a, out, gelu_tanh);
}

template <typename T>
Mat<T> activation_forward(Activation a, const Mat<T>& x) {
  Mat<T> y = x;
  activation_forward_inplace(a, y);
  return y;
}

template <typename T>
void activation_backward_inplace(Activation a, const Mat<T>& x, const Mat<T>& y, Mat<T>& dy, const Mat<T>* gelu_tanh) {
  assert(x.rows() == dy.rows() && x.cols() == dy.cols() && y.rows() == dy.rows());
  const auto xa = x.array(), ya = y.array();
  auto dya = dy.array();
  switch (a) {
    case Activation::ReLU: dya = (xa > T(0)).select(dya, T(0)); break;
    case Activation::Tanh: dya *= T(1) - ya.square(); break;
    case Activation::GELU: {
      // d/dx = 0.5 (1 + t) + 0.5 x (1 - t^2) c (1 + 3 k x^2), t = tanh(u)
      const T c = T(kGeluC), k = T(kGeluK);
      Mat<T> recomputed;
      if (!gelu_tanh) recomputed = (c * (xa + k * xa.cube())).tanh().matrix();
      const auto t = (gelu_tanh ? *gelu_tanh : recomputed).array();
      assert(t.rows() == dy.rows() && t.cols() == dy.cols());
      dya *= T(0.5) * (T(1) + t) + T(0.5) * xa * (T(1) - t.square()) * c * (T(1) + T(3) * k * xa.square());
      break;
    }
  }
}

template <typename T>
Mat<T> activation_backward(Activation a, const Mat<T>& x, const Mat<T>& y, const Mat<T>& dy, const Mat<T>* gelu_tanh) {
  Mat<T> dx = dy;
  activation_backward_inplace(a, x, y, dx, gelu_tanh);
  return dx;
}

#define HJEPA_NN_INSTANTIATE(T)                                                   \
  template void activation_forward_inplace<T>(Activation, Mat<T>&, Mat<T>*);     \
  template void activation_forward_into<T>(Activation, const Mat<T>&, Mat<T>&, Mat<T>*); \
  template Mat<T> activation_forward<T>(Activation, const Mat<T>&);              \
  template void activation_backward_inplace<T>(Activation, const Mat<T>&, const Mat<T>&, Mat<T>&, const Mat<T>*); \
  template Mat<T> activation_backward<T>(Activation, const Mat<T>&, const Mat<T>&, \
                                         const Mat<T>&, const Mat<T>*);
HJEPA_NN_INSTANTIATE(float)
HJEPA_NN_INSTANTIATE(double)
#undef HJEPA_NN_INSTANTIATE

}  // namespace hjepa::nn
