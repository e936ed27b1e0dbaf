// Training shared by `hjepa train` and `hjepa run --agent flat` without --model.
#pragma once
#include <CLI/CLI.hpp>

#include "agent/jepa/model_file.hpp"
#include "sim/env.hpp"

namespace hjepa {

// Collects exploration data and trains level 1 on `world`; quiet = no progress lines.
ModelFile train_model(const World& world, const EnvParams& env_params, const Level1TrainParams& tp, uint64_t seed,
                      Level1Report& report, bool quiet);
void add_train_options(CLI::App& app, Level1TrainParams& tp);

}  // namespace hjepa
