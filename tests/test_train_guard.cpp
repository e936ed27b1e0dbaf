// Training guards: a diverging run (a huge learning rate, or non-finite data) stops with a message
// naming the loss term or parameter and the step, and keeps the last parameters whose losses and
// gradients were finite; the finiteness helpers name what they found.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

#include "agent/jepa/train_guard.hpp"
#include "agent/jepa/train_model.hpp"
#include "sim/map_gen.hpp"
#include "tiny_training.hpp"

using namespace hjepa;

namespace {

Level1TrainParams tiny_training() { return test::tiny_level1(60, 20); }
Level2TrainParams tiny_level2() { return test::tiny_level2(60, 3); }

template <typename List>
bool every_value_finite(const List& params) {
  for (const auto* p : params)
    if (!p->value.allFinite()) return false;
  return true;
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// "<stage>: non-finite <term> loss (<value>)|gradient of <param>|value of <param> after the update
//  at step N; training stopped, keeping the model of step M (...)"
void check_stop_message(const std::string& message, const std::string& stage) {
  CAPTURE(message);
  const std::string head = stage + ": non-finite ";
  REQUIRE(starts_with(message, head));
  const size_t at = message.find(" at step ");
  REQUIRE(at != std::string::npos);
  const std::string fault = message.substr(head.size(), at - head.size());
  const bool names_term = (fault.find(" loss (") != std::string::npos && fault.back() == ')') ||
                          starts_with(fault, "gradient of ") ||
                          (starts_with(fault, "value of ") && fault.find(" after the update") != std::string::npos);
  CHECK(names_term);
  const size_t digits = message.find_first_not_of("0123456789", at + 9);
  CHECK(digits > at + 9);  // the step number
  CHECK(starts_with(message.substr(digits), "; training stopped, keeping the model of step "));
}

}  // namespace

TEST_CASE("finiteness helpers name the first non-finite term or parameter") {
  CHECK(non_finite_loss({{"prediction", 1.0}, {"variance", 2.0}}).empty());
  CHECK(non_finite_loss({{"prediction", 1.0}, {"variance", std::nan("")}, {"covariance", INFINITY}}) == "variance loss (nan)");
  nn::Parameter<float> a("E1.0.W", 2, 2, true), b("P1.1.b", 3, 1, false);
  const nn::ParamList<float> params{&a, &b};
  CHECK(non_finite_gradient(params).empty());
  CHECK(non_finite_value(params).empty());
  a.grad.setConstant(std::numeric_limits<float>::max());  // huge but finite, whose sum would overflow
  a.value(0) = -std::numeric_limits<float>::max();
  CHECK(non_finite_gradient(params).empty());
  CHECK(non_finite_value(params).empty());
  a.grad.setZero();
  b.value(2) = -std::numeric_limits<float>::infinity();
  CHECK(non_finite_value(params) == "value of P1.1.b");
  b.value(2) = 0;
  b.grad(1) = std::numeric_limits<float>::infinity();
  a.value(3) = std::numeric_limits<float>::quiet_NaN();
  CHECK(non_finite_gradient(params) == "gradient of P1.1.b");
  CHECK(non_finite_value(params) == "value of E1.0.W");
  Checkpoint cp;
  a.value.setConstant(2);
  cp.save(params, 7);
  a.value.setConstant(5);
  cp.restore(params);
  CHECK(cp.step() == 7);
  CHECK(a.value(0) == 2);
}

TEST_CASE("level 1: a huge learning rate stops training with the term and the step, the model stays finite") {
  const World world = generate_map(4);
  Level1TrainParams tp = tiny_training();
  tp.lr = 1e6;
  Level1Report r1;
  Level2Report r2;
  const ModelFile mf = train_model(world, EnvParams{}, tp, tiny_level2(), 3, "test", r1, r2);
  CHECK_FALSE(r1.finite);
  check_stop_message(r1.message, "level 1");
  CHECK(every_value_finite(mf.level1.params()));
  CHECK(every_value_finite(mf.level1.inverse_dynamics.params()));
  for (double e : r1.kstep_probe_error) CHECK(std::isfinite(e));
}

TEST_CASE("level 1: non-finite data stops at step 0 and keeps the initial model bit for bit") {
  const World world = generate_map(4);
  const Level1TrainParams tp = tiny_training();
  ExplorationData data = collect_exploration(world, EnvParams{}, tp.exploration, 1);
  const ExplorationData heldout = collect_exploration(world, EnvParams{}, tp.exploration, 2);
  for (float& f : data.obs) f = std::numeric_limits<float>::quiet_NaN();
  Level1Arch arch;
  Level1 model(arch, 5);
  const Level1 initial = model;
  const Level1Report r = train_level1(model, data, heldout, tp, 6);
  CHECK_FALSE(r.finite);
  check_stop_message(r.message, "level 1");
  CHECK(r.message.find("at step 0;") != std::string::npos);
  CHECK(r.message.find("model of step 0 ") != std::string::npos);
  CHECK(model.encoder.layers[0].W.value == initial.encoder.layers[0].W.value);
  CHECK(model.predictor.layers[1].W.value == initial.predictor.layers[1].W.value);
}

TEST_CASE("level 2: a huge learning rate stops training with the term and the step, the model stays finite") {
  const World world = generate_map(4);
  Level2TrainParams tp2 = tiny_level2();
  tp2.lr = 1e6;
  Level1Report r1;
  Level2Report r2;
  const ModelFile mf = train_model(world, EnvParams{}, tiny_training(), tp2, 3, "test", r1, r2);
  CHECK(r1.finite);
  CHECK_FALSE(r2.finite);
  check_stop_message(r2.message, "level 2");
  CHECK(every_value_finite(mf.level2.params()));
}
