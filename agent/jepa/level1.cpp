// Level 1's model: its networks drawn in a fixed order from one seed, encoding, prediction and the
// heads (see level1.hpp).
#include "agent/jepa/level1.hpp"

#include <algorithm>

namespace hjepa {

Level1::Level1(const Level1Arch& a, uint64_t seed) : arch(a) {
  Rng rng(seed);
  encoder = make_encoder(a.features, a.hidden, a.latent, rng);
  predictor = make_predictor(a.latent, a.hidden, a.z_values, rng);
  z_prior.assign(static_cast<size_t>(std::max(1, a.z_values)), 1.0f / static_cast<float>(std::max(1, a.z_values)));
  fourier = make_fourier_basis<float>(a.latent);
  colour_head = nn::MLP<float>({a.latent, a.head_hidden, kNumColors}, nn::Activation::GELU, rng, "colour");
  // The position probe draws from a stream of its own (since it widened from 128 to 384, training
  // code 10), so its width moves no other network's draws; the shared stream still draws a probe of the
  // former width, which keeps the inverse-dynamics head after it (and so every model) as it was.
  constexpr int kFormerProbeHidden = 128;
  nn::MLP<float>({a.latent, kFormerProbeHidden, 2}, nn::Activation::GELU, rng, "probe");
  Rng probe_rng(derive_seed(seed, 1));
  probe = nn::MLP<float>({a.latent, a.probe_hidden, 2}, nn::Activation::GELU, probe_rng, "probe");
  inverse_dynamics = nn::MLP<float>({2 * a.latent, a.head_hidden, 2}, nn::Activation::GELU, rng, "idm");
}

MatF Level1::encode_observation(const Observation& obs, double ray_max) const {
  return encode(observation_column(obs, width, height, ray_max));
}

MatF Level1::predict(const MatF& s, const float* headings, const int* z) const {
  return predict_next(predictor, fourier, s, headings, ZColumns{arch.z_values, z});
}

MatF Level1::probe_xy(const MatF& s) const {
  MatF xy = probe.forward(s);  // in [-1, 1] map coordinates
  xy.row(0) = (xy.row(0).array() + 1) * static_cast<float>(width / 2);
  xy.row(1) = (xy.row(1).array() + 1) * static_cast<float>(height / 2);
  return xy;
}

long Level1::num_parameters() const {
  return static_cast<long>(encoder.num_parameters() + predictor.num_parameters() + colour_head.num_parameters() +
                           probe.num_parameters() + inverse_dynamics.num_parameters());
}

nn::ParamList<float> Level1::params() {
  nn::ParamList<float> all;
  for (auto* m : {&encoder, &predictor, &colour_head, &probe})
    for (auto* p : m->params()) all.push_back(p);
  return all;
}

nn::ConstParamList<float> Level1::params() const {
  nn::ConstParamList<float> all;
  for (const auto* m : {&encoder, &predictor, &colour_head, &probe})
    for (const auto* p : m->params()) all.push_back(p);
  return all;
}

}  // namespace hjepa
