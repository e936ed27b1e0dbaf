// Level 1 of the H-JEPA, the model: encoder E1 (observation features -> s: encoder.hpp), residual
// predictor P1 ((s, cos h, sin h) -> next s: predictor.hpp), a colour head on s (part of the cost
// module) and a position probe on s (drawing and measuring only). Its objective is level1_loss.hpp,
// its training level1_training.hpp.
// Shapes: F = observation features, D = latent dim, B = batch (columns).
#pragma once
#include <cstdint>
#include <vector>

#include "agent/jepa/encoder.hpp"
#include "agent/jepa/predictor.hpp"
#include "agent/nn/mlp.hpp"

namespace hjepa {

using MatF = nn::Mat<float>;

struct Level1Arch {
  int features = 18;       // F: observation features (feature_size(num_rays))
  int latent = 16;         // D: dimension of s
  int hidden = 64;         // hidden width of E1 and P1
  int head_hidden = 32;    // hidden width of the colour head and the inverse-dynamics head (the colour head runs in planning)
  int probe_hidden = 384;  // hidden width of the position probe (drawing and measuring only)
  int z_values = 1;        // K: values of P1's latent variable z (1 = no z; train.z_values)
};

class Level1 {
 public:
  Level1() = default;
  Level1(const Level1Arch& arch, uint64_t seed);

  // features: F x B -> s: D x B.
  MatF encode(const MatF& features) const { return encoder.forward(features); }
  // One observation -> s: D x 1 (ray_max scales the range readings, as in training).
  MatF encode_observation(const Observation& obs, double ray_max) const;
  // s: D x B, headings: B -> next s: D x B (residual: s + P1([s; cos; sin; ...; one-hot z])); z: each
  // column's z in [0, K), null = 0 everywhere.
  MatF predict(const MatF& s, const float* headings, const int* z = nullptr) const;
  int z_values() const { return arch.z_values; }
  // Position probe (world units) and colour logits.
  MatF probe_xy(const MatF& s) const;
  MatF colour_logits(const MatF& s) const { return colour_head.forward(s); }

  long num_parameters() const;  // every trained parameter, the inverse-dynamics head included
  nn::ParamList<float> params();
  nn::ConstParamList<float> params() const;

  Level1Arch arch;
  nn::MLP<float> encoder, predictor, colour_head, probe;
  FourierBasis<float> fourier;      // P1's fixed input basis (make_fourier_basis(latent)), not trained
  nn::MLP<float> inverse_dynamics;  // training-time regulariser only: (s_t, s_t+1) -> (cos h, sin h)
  double width = 40, height = 30;  // probe outputs are scaled to the map
  // The latent variable z, learned with P1 (K = arch.z_values): each value's share of the training
  // sequences (the prior of the agent's belief over z) and the mean squared one-step prediction
  // error per latent dimension under each sequence's own z (the variance of the belief's likelihood).
  std::vector<float> z_prior = {1.0f};
  float z_noise = 1.0f;
  // The Kalman belief's noise (agent.belief.mode kalman), estimated on held-out data after training
  // (level1_diagnostics): the predictor's process noise Q (scaled by the factor fitted there) and the
  // encoder's observation noise R, D x D each; empty = not estimated.
  Eigen::MatrixXf belief_q, belief_r;
  bool has_belief_noise() const { return belief_q.size() > 0 && belief_q.rows() == belief_r.rows(); }
  // P1's one-step error per clearance bin of the move against its mean (belief.hpp clearance_bin,
  // kClearanceBins values, estimated with belief_q): the Kalman belief's process noise is q times the
  // ratio of each move's bin. Empty = 1 everywhere.
  std::vector<float> belief_context;
  // The belief's fitted gain (agent.belief.mode fitted): the fixed gain whose belief read the position
  // best on held-out data after training (level1_diagnostics.hpp fit_belief_gain), in [0, 1].
  float fitted_gain = 0.5f;
};

}  // namespace hjepa
