// One call from a map to a trained model file (both levels and the Mode-1 policy): collect
// exploration and held-out data, build the model for the map, train level 1, then level 2 on level
// 1's latents, then the policy by imitating the planner (tp.mode1; its report in report.mode1).
// Shared by `hjepa train`, `hjepa run` and the GUI.
#pragma once
#include <string>

#include "agent/jepa/model_file.hpp"

namespace hjepa {

// "" when tp's z source suits the map, else what is wrong: train.z_source gates needs a map with gates
// and one z value per gate configuration (2^gates <= train.z_values). train_model throws
// std::invalid_argument with it; the commands check it first.
std::string z_source_problem(const World& world, const Level1TrainParams& tp);

// tp as train_model trains it: the exploration's data budget resolved for the env's motion noise
// (resolve_exploration). The model file records these, and the model cache keys them.
Level1TrainParams resolved_train_params(const Level1TrainParams& tp, const EnvParams& env_params);

// Seeds are derived from `seed` (initialisation, data, held-out data, batches), so the same
// arguments give the same model wherever it is trained. tp is resolved first (resolved_train_params).
// A progress callback may throw to stop.
ModelFile train_model(const World& world, const EnvParams& env_params, const Level1TrainParams& tp,
                      const Level2TrainParams& tp2, uint64_t seed, const std::string& created_by, Level1Report& report,
                      Level2Report& report2, const ProgressFn& progress = {}, const Level2ProgressFn& progress2 = {});

// The same with level 2's default training parameters, its report dropped.
ModelFile train_model(const World& world, const EnvParams& env_params, const Level1TrainParams& tp, uint64_t seed,
                      const std::string& created_by, Level1Report& report, const ProgressFn& progress = {});

}  // namespace hjepa
