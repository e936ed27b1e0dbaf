// Finite-difference gradient checks shared by the test suites.
#pragma once
#include <algorithm>
#include <cmath>

#include "agent/nn/parameter.hpp"

namespace hjepa {

// Largest relative gap between the analytic gradient in `params` (filled by one backward call
// before this) and central differences (step 1e-6) of `loss`.
template <typename Loss>
double worst_gradient_error(const nn::ParamList<double>& params, Loss&& loss) {
  double worst = 0;
  for (auto* p : params)
    for (Eigen::Index i = 0; i < p->value.size(); ++i) {
      const double keep = p->value(i);
      p->value(i) = keep + 1e-6;
      const double up = loss();
      p->value(i) = keep - 1e-6;
      const double down = loss();
      p->value(i) = keep;
      const double numeric = (up - down) / 2e-6;
      worst = std::max(worst, std::fabs(numeric - p->grad(i)) / std::max(1.0, std::fabs(numeric)));
    }
  return worst;
}

}  // namespace hjepa
