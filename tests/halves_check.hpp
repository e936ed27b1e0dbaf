// The check shared by every loss that takes its batch in two halves on both cores (batch_halves.hpp):
// the whole batch's values and gradients, with no side thread and with one.
#pragma once
#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "agent/jepa/side_thread.hpp"
#include "agent/nn/mlp.hpp"
#include "agent/nn/optim.hpp"

namespace hjepa {

// whole() runs the loss with backward on the whole batch and returns what it measured; halves(side)
// runs it in two halves, `net`'s second half on `replica`. From zeroed gradients in `params` (which
// hold net's), each halves call must give the same values and gradients (to 1e-12), leave the
// replica's gradients zero (handed to net) and its values net's (the replica starts random).
template <typename Whole, typename Halves>
void check_halves_match_whole(const nn::ParamList<double>& params, const nn::MLP<double>& net, nn::MLP<double>& replica,
                              Whole&& whole, Halves&& halves) {
  nn::zero_grad(params);
  const std::vector<double> expected_values = whole();
  std::vector<nn::Mat<double>> expected;
  for (auto* p : params) expected.push_back(p->grad);
  for (auto* p : replica.params()) p->value.setRandom();
  nn::zero_grad(replica.params());
  SideThread side;
  for (SideThread* thread : {static_cast<SideThread*>(nullptr), &side}) {
    nn::zero_grad(params);
    const std::vector<double> values = halves(thread);
    REQUIRE(values.size() == expected_values.size());
    for (size_t i = 0; i < values.size(); ++i) CHECK(values[i] == doctest::Approx(expected_values[i]).epsilon(1e-12));
    double worst = 0;
    for (size_t i = 0; i < params.size(); ++i) worst = std::max(worst, (params[i]->grad - expected[i]).cwiseAbs().maxCoeff());
    CHECK(worst < 1e-12);
    for (auto* p : replica.params()) CHECK(p->grad.isZero(0));
    CHECK(replica.layers[0].W.value == net.layers[0].W.value);
  }
}

}  // namespace hjepa
