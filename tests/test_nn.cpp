// The nn kit: every backward against central finite differences (double), optimisers reducing a
// loss and decaying the right parameters, save/load round trips and named refusals, float vs double.
// B = batch (columns); activations are (features x batch).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>

#include "agent/nn/activation.hpp"
#include "agent/nn/gemm.hpp"
#include "agent/nn/least_squares.hpp"
#include "agent/nn/linear.hpp"
#include "agent/nn/loss.hpp"
#include "agent/nn/mlp.hpp"
#include "agent/nn/optim.hpp"
#include "agent/nn/param_io.hpp"

using namespace hjepa;
using namespace hjepa::nn;
using MatD = Mat<double>;

namespace {

constexpr double kStep = 1e-6;
constexpr double kTolerance = 1e-5;

MatD gaussian(Eigen::Index rows, Eigen::Index cols, Rng& rng, double scale = 1.0) {
  MatD m(rows, cols);
  for (Eigen::Index k = 0; k < m.size(); ++k) m.data()[k] = scale * rng.normal();
  return m;
}

// ||analytic - numeric|| / max(||analytic||, ||numeric||): one figure per tensor.
double relative_error(const MatD& analytic, const MatD& numeric) {
  const double scale = std::max({analytic.norm(), numeric.norm(), 1e-12});
  return (analytic - numeric).norm() / scale;
}

// Central differences of loss() with respect to every entry of x (x is restored).
MatD numeric_gradient(MatD& x, const std::function<double()>& loss) {
  MatD g(x.rows(), x.cols());
  for (Eigen::Index k = 0; k < x.size(); ++k) {
    const double saved = x.data()[k];
    x.data()[k] = saved + kStep;
    const double up = loss();
    x.data()[k] = saved - kStep;
    const double down = loss();
    x.data()[k] = saved;
    g.data()[k] = (up - down) / (2 * kStep);
  }
  return g;
}

void check_gradient(const MatD& analytic, MatD& x, const std::function<double()>& loss,
                    const std::string& what) {
  const double err = relative_error(analytic, numeric_gradient(x, loss));
  INFO(what << ": relative error " << err);
  CHECK(err < kTolerance);
}

// Checks a module's parameter and input gradients for L = sum(R .* module(x)).
template <typename Module, typename Cache>
void check_module(Module& module, MatD x, const MatD& r, const std::string& what) {
  Cache cache;
  zero_grad(module.params());
  const MatD y = module.forward(x, cache);
  REQUIRE(y.rows() == r.rows());
  const MatD dx = module.backward(r, cache);
  auto loss = [&] { return (module.forward(x).array() * r.array()).sum(); };
  for (Parameter<double>* p : module.params()) check_gradient(p->grad, p->value, loss, what + " " + p->name);
  check_gradient(dx, x, loss, what + " input");
}

std::string save_to_string(const MLP<float>& m) {
  std::ostringstream os(std::ios::binary);
  save(os, m);
  return os.str();
}

// The load error's message, or "" when the load succeeds.
std::string load_error(const std::string& bytes, MLP<float>& m) {
  std::istringstream is(bytes, std::ios::binary);
  try {
    load(is, m);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

bool same_values(const MLP<float>& a, const MLP<float>& b) {
  const auto pa = a.params(), pb = b.params();
  if (pa.size() != pb.size()) return false;
  for (size_t k = 0; k < pa.size(); ++k)
    if (pa[k]->value != pb[k]->value) return false;
  return true;
}

const Activation kActivations[] = {Activation::ReLU, Activation::Tanh, Activation::GELU};

}  // namespace

TEST_CASE("Linear: parameter and input gradients; one layer applied twice accumulates") {
  Rng rng(1);
  Linear<double> layer(5, 3, Init::XavierUniform, rng, "lin");
  layer.b.value = gaussian(3, 1, rng);
  check_module<Linear<double>, LinearCache<double>>(layer, gaussian(5, 4, rng), gaussian(3, 4, rng), "linear");

  // L = sum(R1 .* W x1) + sum(R2 .* W x2): both caches alive, gradients summed by backward's +=.
  MatD x1 = gaussian(5, 2, rng), x2 = gaussian(5, 3, rng);
  const MatD r1 = gaussian(3, 2, rng), r2 = gaussian(3, 3, rng);
  LinearCache<double> c1, c2;
  zero_grad(layer.params());
  layer.forward(x1, c1), layer.forward(x2, c2);
  layer.backward(r1, c1), layer.backward(r2, c2);
  auto loss = [&] {
    return (layer.forward(x1).array() * r1.array()).sum() + (layer.forward(x2).array() * r2.array()).sum();
  };
  check_gradient(layer.W.grad, layer.W.value, loss, "shared W");
  check_gradient(layer.b.grad, layer.b.value, loss, "shared b");
}

TEST_CASE("Linear: initialisation bounds and seeds") {
  Rng a(7), b(7);
  Linear<double> kaiming(50, 40, Init::KaimingUniform, a, "k");
  Linear<double> xavier(50, 40, Init::XavierUniform, b, "x");
  CHECK(kaiming.W.value.cwiseAbs().maxCoeff() <= std::sqrt(6.0 / 50));
  CHECK(kaiming.W.value.cwiseAbs().maxCoeff() > 0.9 * std::sqrt(6.0 / 50));
  CHECK(xavier.W.value.cwiseAbs().maxCoeff() <= std::sqrt(6.0 / 90));
  CHECK(kaiming.b.value.isZero());
  Rng c(7);
  Linear<double> again(50, 40, Init::KaimingUniform, c, "k");
  CHECK(again.W.value == kaiming.W.value);
  CHECK(kaiming.W.decay);
  CHECK_FALSE(kaiming.b.decay);
  CHECK(kaiming.W.name == "k.W");
  CHECK(kaiming.b.name == "k.b");
}

TEST_CASE("activations: gradients and the GELU tanh approximation") {
  Rng rng(2);
  for (Activation a : kActivations) {
    MatD x = gaussian(4, 6, rng, 2.0);
    // keep ReLU's inputs away from its kink
    x = x.unaryExpr([](double v) { return std::fabs(v) < 1e-2 ? v + 0.1 : v; });
    const MatD r = gaussian(4, 6, rng);
    const MatD y = activation_forward(a, x);
    const MatD dx = activation_backward(a, x, y, r);
    auto loss = [&] { return (activation_forward(a, x).array() * r.array()).sum(); };
    check_gradient(dx, x, loss, activation_name(a));
  }
  MatD v(1, 3);
  v << 1.0, -1.0, 0.0;
  const MatD g = activation_forward(Activation::GELU, v);
  CHECK(g(0, 0) == doctest::Approx(0.8411920).epsilon(1e-6));
  CHECK(g(0, 1) == doctest::Approx(-0.1588080).epsilon(1e-6));
  CHECK(g(0, 2) == 0.0);
  CHECK(activation_forward(Activation::ReLU, v)(0, 1) == 0.0);
}

TEST_CASE("MLP with three layers: parameter and input gradients for each activation") {
  for (Activation a : kActivations) {
    Rng rng(3);
    MLP<double> mlp({5, 8, 7, 3}, a, rng, "mlp");
    for (Parameter<double>* p : mlp.params())
      if (!p->decay) p->value = gaussian(p->value.rows(), 1, rng, 0.1);
    check_module<MLP<double>, MLPCache<double>>(mlp, gaussian(5, 4, rng), gaussian(3, 4, rng),
                                                std::string("mlp ") + activation_name(a));
  }
}

TEST_CASE("MLP unrolled twice (y = f(f(x))) in one graph") {
  Rng rng(4);
  MLP<double> f({4, 6, 4}, Activation::GELU, rng, "pred");
  MatD x = gaussian(4, 3, rng);
  const MatD r = gaussian(4, 3, rng);
  MLPCache<double> c1, c2;
  zero_grad(f.params());
  const MatD h = f.forward(x, c1);
  f.forward(h, c2);
  const MatD dx = f.backward(f.backward(r, c2), c1);
  auto loss = [&] { return (f.forward(f.forward(x)).array() * r.array()).sum(); };
  for (Parameter<double>* p : f.params()) check_gradient(p->grad, p->value, loss, p->name);
  check_gradient(dx, x, loss, "input");
}

TEST_CASE("MLP: cached, cache-free and allocation-free forward agree; sizes and counts") {
  Rng rng(5);
  MLP<float> mlp({19, 64, 64, 16}, Activation::GELU, rng, "enc");
  const Mat<float> x = gaussian(19, 64, rng).cast<float>();
  MLPCache<float> cache;
  const Mat<float> y = mlp.forward(x, cache);
  CHECK(y.rows() == 16);
  CHECK(y.cols() == 64);
  CHECK(mlp.forward(x) == y);
  Mat<float> into;
  MLPScratch<float> scratch;
  mlp.forward_into(x, into, scratch);
  CHECK(into == y);
  CHECK(mlp.inputs() == 19);
  CHECK(mlp.outputs() == 16);
  CHECK(mlp.params().size() == 6);
  CHECK(mlp.params()[2]->name == "enc.1.W");

  Rng rng2(6);
  MLP<float> counted({16, 64, 64, 16}, Activation::ReLU, rng2);
  CHECK(counted.num_parameters() == 16 * 64 + 64 + 64 * 64 + 64 + 64 * 16 + 16);
  Eigen::Index total = 0;
  for (const Parameter<float>* p : counted.params()) total += p->size();
  CHECK(total == counted.num_parameters());
}

TEST_CASE("gemm: the float kernel equals Eigen's product at every edge of its blocking") {
  // Row counts around the 16-row registers and 64-row blocks, column counts around the 6- and
  // 8-column blocks, an inner size of 1; Y = A X, Y += A X and Y += A Xᵀ (X read through strides).
  // With AVX-512 each element must be its K products fused-multiply-added in order, from 0 or from
  // Y's value: bit for bit, whatever the blocking (so changing the blocking never changes a model).
  Rng rng(17);
  auto uniform = [&](Eigen::Index r, Eigen::Index c) {
    Eigen::MatrixXf m(r, c);
    for (Eigen::Index j = 0; j < c; ++j)
      for (Eigen::Index i = 0; i < r; ++i) m(i, j) = static_cast<float>(rng.uniform(-1, 1));
    return m;
  };
  for (Eigen::Index M : {1, 15, 16, 17, 18, 33, 48, 64, 65, 82, 130})
    for (Eigen::Index K : {1, 16, 82})
      for (Eigen::Index N : {1, 3, 4, 5, 6, 7, 8, 9, 13, 17, 128}) {
        CAPTURE(M);
        CAPTURE(K);
        CAPTURE(N);
        const Eigen::MatrixXf a = uniform(M, K), x = uniform(K, N), xt = x.transpose(), y0 = uniform(M, N);
        const Eigen::MatrixXf want = a * x;
        const float tol = 1e-5f * static_cast<float>(K);
        Eigen::MatrixXf y;
        gemm_into(a, x, y);
        REQUIRE(y.rows() == M);
        REQUIRE(y.cols() == N);
        CHECK((y - want).cwiseAbs().maxCoeff() <= tol);
        y = y0;
        gemm(a.data(), M, M, K, x.data(), 1, K, N, y.data(), M, true);
        CHECK((y - (y0 + want)).cwiseAbs().maxCoeff() <= tol);
        y = y0;
        gemm_add_transposed(a, xt, y);
        CHECK((y - (y0 + want)).cwiseAbs().maxCoeff() <= tol);
#if defined(__AVX512F__)  // the project's kernel; without AVX-512, gemm is Eigen's product
        Eigen::MatrixXf in_order = y0;
        for (Eigen::Index j = 0; j < N; ++j)
          for (Eigen::Index i = 0; i < M; ++i)
            for (Eigen::Index k = 0; k < K; ++k) in_order(i, j) = std::fma(a(i, k), x(k, j), in_order(i, j));
        CHECK(y == in_order);
        Eigen::VectorXf bias(M);
        for (Eigen::Index i = 0; i < M; ++i) bias(i) = static_cast<float>(rng.uniform(-1, 1));
        gemm_into(a, x, y, bias.data());
        in_order.setZero();
        for (Eigen::Index j = 0; j < N; ++j)
          for (Eigen::Index i = 0; i < M; ++i) {
            for (Eigen::Index k = 0; k < K; ++k) in_order(i, j) = std::fma(a(i, k), x(k, j), in_order(i, j));
            in_order(i, j) += bias(i);  // after the sum, as Linear's colwise() += b was
          }
        CHECK(y == in_order);
#endif
      }
}

TEST_CASE("GELU on whole packets: the one-pass float path equals Eigen's expressions bit for bit") {
  // activation_forward_inplace / _into take a one-pass packet loop for float GELU when the size is
  // a multiple of the packet; models stay the same only if it gives exactly what the expressions
  // 0.5 v (1 + tanh(c (v + k v^3))) give evaluated by Eigen (here, on a copy, with the tanh kept).
  Rng rng(29);
  for (Eigen::Index rows : {64, 32, 16, 5})
    for (Eigen::Index cols : {1, 3, 128}) {
      CAPTURE(rows);
      CAPTURE(cols);
      Eigen::MatrixXf v(rows, cols);
      for (Eigen::Index j = 0; j < cols; ++j)
        for (Eigen::Index i = 0; i < rows; ++i) v(i, j) = static_cast<float>(rng.normal() * (j % 3 == 2 ? 30.0 : 2.0));
      const float c = 0.7978845608028654f, k = 0.044715f;
      const auto va = v.array();
      const Eigen::MatrixXf want_tanh = (c * (va + k * va.cube())).tanh().matrix();
      const Eigen::MatrixXf want = (0.5f * va * (1.0f + want_tanh.array())).matrix();
      Eigen::MatrixXf y = v, t, into, t_into;
      activation_forward_inplace(Activation::GELU, y, &t);
      CHECK(y == want);
      CHECK(t == want_tanh);
      activation_forward_into(Activation::GELU, v, into, &t_into);
      CHECK(into == want);
      CHECK(t_into == want_tanh);
      Eigen::MatrixXf no_cache = v;
      activation_forward_inplace(Activation::GELU, no_cache);
      CHECK(no_cache == want);
    }
}

TEST_CASE("MLP: backward_input with stored transposes equals the plain one (float)") {
  Rng rng(23);
  const MLP<float> net({82, 64, 64, 64, 16}, Activation::GELU, rng, "p");
  const Eigen::MatrixXf x = gaussian(82, 8, rng).cast<float>(), dy = gaussian(16, 8, rng).cast<float>();
  MLPCache<float> cache;
  net.forward(x, cache);
  std::vector<Eigen::MatrixXf> transposed, scratch;
  net.transposed_weights(transposed);
  const Eigen::MatrixXf plain = net.backward_input(dy, cache);
  const Eigen::MatrixXf& stored = net.backward_input(dy, cache, transposed, scratch);
  CHECK((plain - stored).cwiseAbs().maxCoeff() <= 1e-5f * (1 + plain.cwiseAbs().maxCoeff()));
}

TEST_CASE("MLP: backward with stored transposes, and backward_params, give backward's gradients bit for bit (float)") {
  Rng rng(31);
  MLP<float> net({82, 64, 64, 64, 16}, Activation::GELU, rng, "p");
  const Eigen::MatrixXf x = gaussian(82, 24, rng).cast<float>(), dy = gaussian(16, 24, rng).cast<float>();
  MLPCache<float> cache;
  net.forward(x, cache);
  auto grads = [&] {
    std::vector<Eigen::MatrixXf> g;
    for (Parameter<float>* p : net.params()) g.push_back(p->grad);
    return g;
  };
  zero_grad(net.params());
  const Eigen::MatrixXf dx = net.backward(dy, cache);
  const auto want = grads();
  std::vector<Eigen::MatrixXf> transposed;
  net.transposed_weights(transposed);
  zero_grad(net.params());
  CHECK(net.backward(dy, cache, &transposed) == dx);
  CHECK(grads() == want);
  zero_grad(net.params());
  net.backward_params(dy, cache);
  CHECK(grads() == want);
}

TEST_CASE("float and double give close outputs from the same seed") {
  for (Activation a : kActivations) {
    Rng rf(8), rd(8), rx(9);
    MLP<float> mf({10, 32, 32, 6}, a, rf);
    MLP<double> md({10, 32, 32, 6}, a, rd);
    const MatD x = gaussian(10, 16, rx);
    const MatD yd = md.forward(x);
    const MatD yf = mf.forward(x.cast<float>()).cast<double>();
    INFO(activation_name(a));
    CHECK((yf - yd).cwiseAbs().maxCoeff() < 1e-5 * std::max(1.0, yd.cwiseAbs().maxCoeff()));
  }
}

TEST_CASE("losses: gradients of MSE and softmax cross-entropy") {
  Rng rng(10);
  MatD pred = gaussian(3, 5, rng);
  const MatD target = gaussian(3, 5, rng);
  const LossGrad<double> m = mse(pred, target);
  CHECK(m.loss == doctest::Approx((pred - target).squaredNorm() / 15));
  check_gradient(m.grad, pred, [&] { return mse(pred, target).loss; }, "mse");

  MatD logits = gaussian(5, 7, rng, 3.0);
  const std::vector<int> labels = {0, 4, 2, 2, 1, 3, 0};
  const LossGrad<double> ce = softmax_cross_entropy(logits, labels);
  check_gradient(ce.grad, logits, [&] { return softmax_cross_entropy(logits, labels).loss; }, "cross-entropy");
  MatD uniform = MatD::Zero(4, 2);
  CHECK(softmax_cross_entropy(uniform, {1, 3}).loss == doctest::Approx(std::log(4.0)));
  MatD huge = MatD::Zero(3, 1);
  huge(1, 0) = 1000;  // stable: no overflow in exp
  CHECK(softmax_cross_entropy(huge, {1}).loss == doctest::Approx(0.0));
  CHECK(softmax_cross_entropy(huge, {0}).loss == doctest::Approx(1000.0));
}

TEST_CASE("VICReg variance and covariance: values and gradients") {
  Rng rng(11);
  // rows with standard deviations from 0.2 to 2.2: some hinges active, some not
  MatD z = gaussian(6, 16, rng);
  for (Eigen::Index j = 0; j < 6; ++j) z.row(j) *= 0.2 + 0.4 * j;
  const LossGrad<double> var = vicreg_variance(z);
  CHECK(var.loss > 0);
  int active = 0;
  for (Eigen::Index j = 0; j < 6; ++j) active += var.grad.row(j).squaredNorm() > 0;
  CHECK(active > 0);
  CHECK(active < 6);
  check_gradient(var.grad, z, [&] { return vicreg_variance(z).loss; }, "vicreg variance");
  check_gradient(vicreg_variance(z, 2.0, 1e-3).grad, z, [&] { return vicreg_variance(z, 2.0, 1e-3).loss; },
                 "vicreg variance gamma 2");

  MatD collapsed = MatD::Ones(3, 8);
  CHECK(vicreg_variance(collapsed).loss == doctest::Approx(1 - std::sqrt(1e-4)));

  MatD mixed = gaussian(4, 4, rng) * gaussian(4, 12, rng);  // correlated features
  const LossGrad<double> cov = vicreg_covariance(mixed);
  const MatD centred = mixed.colwise() - mixed.rowwise().mean();
  MatD c = centred * centred.transpose() / 11.0;
  c.diagonal().setZero();
  CHECK(cov.loss == doctest::Approx(c.squaredNorm() / 4));
  check_gradient(cov.grad, mixed, [&] { return vicreg_covariance(mixed).loss; }, "vicreg covariance");
}

TEST_CASE("Adam fits y = A x with an MLP: final loss under 1% of the initial") {
  Rng rng(12);
  const MatD a = gaussian(6, 6, rng, 0.5);
  const MatD x = gaussian(6, 128, rng);
  const Mat<float> xf = x.cast<float>(), yf = (a * x).cast<float>();
  MLP<float> mlp({6, 32, 32, 6}, Activation::GELU, rng, "fit");
  Adam<float> adam({.lr = 3e-3});
  MLPCache<float> cache;
  const float initial = mse(mlp.forward(xf), yf).loss;
  float last = initial;
  for (int step = 0; step < 600; ++step) {
    adam.zero_grad(mlp.params());
    const LossGrad<float> l = mse(mlp.forward(xf, cache), yf);
    mlp.backward(l.grad, cache);
    REQUIRE(all_finite(mlp.params()));
    adam.step(mlp.params());
    last = l.loss;
  }
  INFO("initial " << initial << ", final " << last);
  CHECK(last < 0.01f * initial);
  CHECK(adam.steps() == 600);
}

TEST_CASE("Adam: first step is lr * sign(grad) after bias correction; L2 leaves biases alone") {
  Rng rng(13);
  Linear<double> layer(3, 2, Init::XavierUniform, rng, "l");
  layer.b.value.setConstant(0.5);
  zero_grad(layer.params());
  layer.W.grad.setConstant(-4.0);
  layer.b.grad << 0.25, -2.0;
  const MatD w0 = layer.W.value;
  Adam<double> adam({.lr = 0.1});
  adam.step(layer.params());
  CHECK((layer.W.value - (w0.array() + 0.1).matrix()).cwiseAbs().maxCoeff() < 1e-6);
  CHECK(layer.b.value(0, 0) == doctest::Approx(0.4).epsilon(1e-6));
  CHECK(layer.b.value(1, 0) == doctest::Approx(0.6).epsilon(1e-6));

  Linear<double> l2(3, 2, Init::XavierUniform, rng, "l2");
  l2.b.value.setConstant(0.5);
  zero_grad(l2.params());
  const MatD w1 = l2.W.value;
  Adam<double> coupled({.lr = 0.1, .weight_decay = 0.5});
  coupled.step(l2.params());
  CHECK((l2.W.value - w1).cwiseAbs().minCoeff() > 0.09);  // L2 gradient 0.5 w moves every weight
  CHECK(l2.b.value.isConstant(0.5));
  CHECK(l2.W.grad.isZero());  // the caller's gradient is not modified
}

TEST_CASE("AdamW decays weights, not biases") {
  Rng rng(14);
  MLP<double> mlp({4, 5, 3}, Activation::ReLU, rng);
  for (Parameter<double>* p : mlp.params())
    if (!p->decay) p->value.setConstant(0.3);
  std::vector<MatD> before;
  for (Parameter<double>* p : mlp.params()) before.push_back(p->value);
  AdamW<double> adamw({.lr = 0.1, .weight_decay = 0.5});
  zero_grad(mlp.params());  // zero gradients: only the decay acts
  adamw.step(mlp.params());
  const auto params = mlp.params();
  for (size_t k = 0; k < params.size(); ++k) {
    INFO(params[k]->name);
    if (params[k]->decay)
      CHECK((params[k]->value - 0.95 * before[k]).cwiseAbs().maxCoeff() < 1e-12);
    else
      CHECK(params[k]->value == before[k]);
  }
  CHECK(AdamW<double>().hyper.weight_decay == 0.01);
}

TEST_CASE("clip_grad_norm and all_finite") {
  Rng rng(15);
  Linear<float> layer(2, 2, Init::XavierUniform, rng, "c");
  zero_grad(layer.params());
  layer.W.grad << 3, 0, 0, 0;
  layer.b.grad << 0, 4;
  CHECK(clip_grad_norm(layer.params(), 10.0) == doctest::Approx(5.0));
  CHECK(layer.W.grad(0, 0) == 3.0f);
  CHECK(clip_grad_norm(layer.params(), 1.0) == doctest::Approx(5.0));
  CHECK(layer.W.grad(0, 0) == doctest::Approx(0.6));
  CHECK(layer.b.grad(1, 0) == doctest::Approx(0.8));
  CHECK(all_finite(layer.params()));
  layer.b.grad(0, 0) = std::numeric_limits<float>::quiet_NaN();
  CHECK_FALSE(all_finite(layer.params()));
  layer.b.grad(0, 0) = 0;
  layer.W.value(1, 1) = std::numeric_limits<float>::infinity();
  CHECK_FALSE(all_finite(layer.params()));
}

TEST_CASE("save/load: exact round trip") {
  Rng ra(16), rb(17);
  MLP<float> a({7, 9, 4}, Activation::Tanh, ra, "enc");
  MLP<float> b({7, 9, 4}, Activation::Tanh, rb, "enc");
  REQUIRE_FALSE(same_values(a, b));
  CHECK(load_error(save_to_string(a), b) == "");
  CHECK(same_values(a, b));
  const Mat<float> x = Mat<float>::Random(7, 3);
  CHECK(a.forward(x) == b.forward(x));

  Rng rd1(18), rd2(19);
  MLP<double> d1({3, 5, 2}, Activation::GELU, rd1), d2({3, 5, 2}, Activation::GELU, rd2);
  std::stringstream s(std::ios::in | std::ios::out | std::ios::binary);
  save(s, d1);
  load(s, d2);
  for (size_t k = 0; k < d1.params().size(); ++k) CHECK(d1.params()[k]->value == d2.params()[k]->value);
}

TEST_CASE("save/load: truncated, wrong-shape, wrong-name and wrong-type streams are refused by name") {
  Rng ra(20), rb(21);
  MLP<float> source({3, 4, 2}, Activation::ReLU, ra, "enc");
  MLP<float> target({3, 4, 2}, Activation::ReLU, rb, "enc");
  const MLP<float> untouched = target;
  const std::string bytes = save_to_string(source);

  for (size_t n = 0; n < bytes.size(); ++n) {
    const std::string e = load_error(bytes.substr(0, n), target);
    INFO("prefix of " << n << " bytes: " << e);
    REQUIRE(e.find("stream ends") != std::string::npos);
    REQUIRE(same_values(target, untouched));  // nothing changes on refusal
  }
  CHECK(load_error(bytes.substr(0, bytes.size() - 1), target).find("values of parameter 3 ('enc.1.b')") !=
        std::string::npos);

  Rng rc(22);
  MLP<float> wider({3, 5, 2}, Activation::ReLU, rc, "enc");
  const std::string shape_error = load_error(save_to_string(wider), target);
  CHECK(shape_error.find("'enc.0.W'") != std::string::npos);
  CHECK(shape_error.find("expected shape 4 x 3, found 5 x 3") != std::string::npos);
  CHECK(same_values(target, untouched));

  Rng rn(23);
  MLP<float> renamed({3, 4, 2}, Activation::ReLU, rn, "pred");
  const std::string name_error = load_error(save_to_string(renamed), target);
  CHECK(name_error.find("expected name 'enc.0.W', found 'pred.0.W'") != std::string::npos);

  Rng rl(24);
  MLP<float> deeper({3, 4, 4, 2}, Activation::ReLU, rl, "enc");
  CHECK(load_error(save_to_string(deeper), target).find("parameter count: expected 4, found 6") !=
        std::string::npos);

  Rng rdbl(25);
  MLP<double> as_double({3, 4, 2}, Activation::ReLU, rdbl, "enc");
  std::ostringstream os(std::ios::binary);
  save(os, as_double);
  CHECK(load_error(os.str(), target).find("scalar size: expected 4 bytes (float), found 8") !=
        std::string::npos);
  CHECK(load_error("not a model at all", target).find("no HJNN header") != std::string::npos);
  CHECK(same_values(target, untouched));
}

TEST_CASE("fit_output_layer: recovers an exact linear read-out of the last hidden layer and minimises the squared error") {
  Rng rng(17);
  MLP<float> net({3, 8, 8, 2}, Activation::GELU, rng, "fit");
  Mat<float> x(3, 500);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = static_cast<float>(rng.normal());
  // Targets that the last layer can give exactly: another last layer on the same hidden features.
  MLP<float> truth = net;
  for (Eigen::Index i = 0; i < truth.layers.back().W.value.size(); ++i) truth.layers.back().W.value.data()[i] = static_cast<float>(rng.normal());
  truth.layers.back().b.value << 0.3f, -0.7f;
  const Mat<float> y = truth.forward(x);
  const double before = (net.forward(x) - y).squaredNorm() / static_cast<double>(y.size());
  const double mse = fit_output_layer(net, x, y, 0);
  CHECK(before > 0.1);
  CHECK(mse < 1e-8);
  CHECK((net.layers.back().W.value - truth.layers.back().W.value).cwiseAbs().maxCoeff() < 1e-3);
  CHECK((net.layers.back().b.value - truth.layers.back().b.value).cwiseAbs().maxCoeff() < 1e-3);
  // The hidden layers are left alone.
  CHECK(net.layers.front().W.value == truth.layers.front().W.value);

  // Noisy targets: the fit is the minimum, so moving any output weight or bias raises the error.
  Mat<float> noisy = y;
  for (Eigen::Index i = 0; i < noisy.size(); ++i) noisy.data()[i] += static_cast<float>(0.5 * rng.normal());
  const double fitted = fit_output_layer(net, x, noisy, 0);
  CHECK(fitted == doctest::Approx((net.forward(x) - noisy).cast<double>().squaredNorm() / static_cast<double>(noisy.size())).epsilon(1e-5));
  for (Parameter<float>* p : net.layers.back().params())
    for (Eigen::Index i = 0; i < p->value.size(); ++i)
      for (float d : {-0.05f, 0.05f}) {
        MLP<float> moved = net;
        Parameter<float>* q = moved.layers.back().params()[p == &net.layers.back().W ? 0 : 1];
        q->value.data()[i] += d;
        CHECK((moved.forward(x) - noisy).cast<double>().squaredNorm() / static_cast<double>(noisy.size()) > fitted);
      }
  CHECK_THROWS_WITH_AS(fit_output_layer(net, x, noisy.leftCols(10), 0), doctest::Contains("expected 2 x 500"), std::invalid_argument);
}
