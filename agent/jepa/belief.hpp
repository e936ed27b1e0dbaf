// The latent belief: what an agent thinks its state s is. It starts as E1's encoding of the first
// observation; each step it blends what P1 expected (from the belief and the heading taken) with
// what E1 reads now, with a fixed gain (a Kalman-like update without the variances). Shared by the
// flat and the hierarchical agent.
#pragma once
#include "agent/jepa/level1.hpp"
#include "sim/env.hpp"

namespace hjepa {

struct BeliefParams {
  double gain = 0.5;  // weight of the encoder's reading against the predictor's expectation, 0..1
};

// One belief update's parts, for the agents' watches and traces.
struct BeliefUpdate {
  MatF expected;  // P1(belief, heading)
  MatF reading;   // E1(observation)
  MatF belief;    // expected + gain (reading - expected)
};

inline BeliefUpdate update_belief(const Level1& model, const MatF& belief, float heading, const Observation& obs, double ray_max,
                                  const BeliefParams& params) {
  BeliefUpdate u;
  u.expected = model.predict(belief, &heading);
  u.reading = model.encode_observation(obs, ray_max);
  u.belief = u.expected + static_cast<float>(params.gain) * (u.reading - u.expected);
  return u;
}

}  // namespace hjepa
