// E1's construction and the observation column it encodes (see encoder.hpp).
#include "agent/jepa/encoder.hpp"

namespace hjepa {

MatF observation_column(const Observation& obs, double width, double height, double ray_max) {
  MatF x(feature_size(obs.num_rays), 1);
  observation_features(obs, width, height, ray_max, x.data());
  return x;
}

nn::MLP<float> make_encoder(int features, int hidden, int latent, Rng& rng) {
  return nn::MLP<float>({features, hidden, hidden, latent}, nn::Activation::GELU, rng, "E1");
}

}  // namespace hjepa
