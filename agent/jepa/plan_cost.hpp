// The planning energy of H headings for R candidate plans, rolled out through the predictor P1
// from one latent state, with its gradient with respect to every heading (a forward/backward
// pair; templated so a test checks d cost / d heading in double).
// D = latent, H = horizon, R = restarts (columns).
#pragma once
#include <algorithm>
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
  // P1's latent variable z (K = z_values > 1): every candidate is rolled out under each z whose
  // weight (the belief over z, K values) is at least kPlanZMinWeight, and its energy is the
  // expectation over those z (weights renormalised) or, with z_worst, the largest of them.
  int z_values = 1;
  const T* z_weights = nullptr;
  bool z_worst = false;
};

// z values the belief gives less than this are not rolled out (the most probable one always is).
constexpr double kPlanZMinWeight = 0.02;

// The most probable of K z values under `weights` (the first of equal ones).
template <typename T>
int most_probable_z(const T* weights, int K) {
  return static_cast<int>(std::max_element(weights, weights + K) - weights);
}

// The z values plan_cost rolls out for a spec, most probable first, and their weights.
template <typename T>
void plan_z_values(const PlanCostSpec<T>& spec, std::vector<int>& z, std::vector<T>& weight) {
  z.clear(), weight.clear();
  if (spec.z_values <= 1 || !spec.z_weights) {
    z.push_back(0), weight.push_back(T(1));
    return;
  }
  const int top = most_probable_z(spec.z_weights, spec.z_values);
  z.push_back(top), weight.push_back(spec.z_weights[top]);
  for (int v = 0; v < spec.z_values; ++v)
    if (v != top && spec.z_weights[v] >= static_cast<T>(kPlanZMinWeight)) z.push_back(v), weight.push_back(spec.z_weights[v]);
  T sum = 0;
  for (T w : weight) sum += w;
  for (T& w : weight) w /= sum;
}

// costs[r] = sum_t w_t (goal_weight |s_t - g|^2 + colour_weight (-log p_colour(s_t))), t = 1..H.
// Obstacles enter only through P1: it reads the range ring in s and learned where motion stops.
// grad (H x R), if given, receives d costs[r] / d headings(t, r). latents, if given, receives the
// H + 1 rolled-out states (D x R each, latents[0] = s0 broadcast); with several z rolled out
// (plan_z_values), D x (A R): block a holds every candidate under the a-th of them.
// The forward's intermediate results, kept for the backward; a planner keeps one across its
// iterations so the buffers are allocated once (optional: plan_cost makes its own without it).
template <typename T>
struct PlanCostWorkspace {
  std::vector<nn::Mat<T>> s;                        // H + 1 rolled-out latents, D x R
  std::vector<nn::MLPCache<T>> pred_cache, head_cache;  // P1 (its input in linear[0].x) and the colour head, per step
  std::vector<PredictorInputCache<T>> input_cache;  // z = W s + b and the headings' cos and sin, per step
  std::vector<nn::Mat<T>> probs;                    // colour probabilities, per step
  nn::Mat<T> headings, cos_h, sin_h;                // the headings transposed (R x H), their cosines and sines
  std::vector<int> z, z_cols;                       // the z values rolled out, and each column's z
  std::vector<T> z_weight, column_costs;            // their weights; each column's energy
  // Each layer's Wᵀ of P1 and the colour head for the backward (nn::MLP::transposed_weights): a
  // planner calls prepare() once per plan, as the weights may have changed since its last plan;
  // plan_cost prepares a workspace that never was.
  std::vector<nn::Mat<T>> predictor_wt, colour_head_wt;
  std::vector<nn::Mat<T>> predictor_back, colour_head_back;  // the backward's buffers, per layer
  nn::Mat<T> step, diff, logits, dlogits, ds_input, dz;     // one step's buffers, reused (no allocation per step)
  void prepare(const nn::MLP<T>& predictor, const nn::MLP<T>& colour_head) {
    predictor.transposed_weights(predictor_wt);
    colour_head.transposed_weights(colour_head_wt);
  }
};

template <typename T>
void plan_cost(const nn::MLP<T>& predictor, const FourierBasis<T>& fourier, const nn::MLP<T>& colour_head, const nn::Mat<T>& s0,
               const nn::Mat<T>& headings, const PlanCostSpec<T>& spec, std::vector<T>& costs, nn::Mat<T>* grad,
               std::vector<nn::Mat<T>>* latents = nullptr, PlanCostWorkspace<T>* workspace = nullptr);

// Multiply-adds of one plan_cost call over R columns, counted from the layer sizes: P1's layers,
// the Fourier map W s and the heading products (D each for s cos h and s sin h), the colour head's
// layers when the colour term is on; with backward, the same again for the input gradients
// (Wᵀ dy per layer, Wᵀ dz, and 4 D for the products' gradients for s and the heading). Activations,
// the softmax, the goal term and cos/sin are not counted.
double plan_cost_multiply_adds(const nn::MLP<float>& predictor, const FourierBasis<float>& fourier, const nn::MLP<float>& colour_head,
                               int horizon, int columns, bool colour, bool backward);

}  // namespace hjepa
