// The planning energy of H headings for R candidate plans, rolled out through the predictor P1
// from one latent state, with its gradient with respect to every heading (a forward/backward
// pair; templated so a test checks d cost / d heading in double).
// D = latent, H = horizon, R = restarts (columns).
#pragma once
#include <vector>

#include "agent/jepa/level1_loss.hpp"
#include "agent/nn/mlp.hpp"

namespace hjepa {

template <typename T>
struct PlanCostSpec {
  const nn::Mat<T>* goal = nullptr;  // D x 1 target latent (subgoal), or none
  int colour = -1;                   // palette index whose probability to raise, or -1
  double goal_weight = 1.0;          // weight of |s_t - goal|^2 at every step
  double colour_weight = 1.0;        // weight of -log p(colour | s_t) at every step
  double terminal_weight = 2.0;      // extra multiple of both terms at the last step
};

// costs[r] = sum_t w_t (goal_weight |s_t - g|^2 + colour_weight (-log p_colour(s_t))), t = 1..H.
// Obstacles enter only through P1: it reads the range ring in s and learned where motion stops.
// grad (H x R), if given, receives d costs[r] / d headings(t, r). latents, if given, receives the
// H + 1 rolled-out states (D x R each, latents[0] = s0 broadcast).
template <typename T>
void plan_cost(const nn::MLP<T>& predictor, const FourierBasis<T>& fourier, const nn::MLP<T>& colour_head, const nn::Mat<T>& s0,
               const nn::Mat<T>& headings, const PlanCostSpec<T>& spec, std::vector<T>& costs, nn::Mat<T>* grad,
               std::vector<nn::Mat<T>>* latents = nullptr);

}  // namespace hjepa
