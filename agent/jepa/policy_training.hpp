// The Mode-1 phase of training: the policy (policy.hpp) learns to reproduce the low-level planner's
// first heading, with DAgger relabelling (Ross, Gordon & Bagnell 2011): round 0 runs the planner and
// records (state, heading); each further round runs the policy while the planner labels every state
// the policy visits; after each round the policy trains on all labels so far. Episodes alternate the
// hjepa agent (subgoal latents and colours as targets) and the flat agent (colours alone), on random
// tasks and starts of the training map, with the training env's noise.
#pragma once
#include "agent/jepa/level2.hpp"
#include "agent/jepa/policy.hpp"
#include "sim/env.hpp"

namespace hjepa {

// Trains `policy` (built by the caller with its architecture) on level 1 and level 2 of one model.
// Deterministic in `seed`.
PolicyReport train_policy(Policy& policy, const Level1& level1, const Level2& level2, const World& world,
                          const EnvParams& env, const PolicyTrainParams& params, uint64_t seed);

}  // namespace hjepa
