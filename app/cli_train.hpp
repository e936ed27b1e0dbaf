// Training options and progress lines shared by `hjepa train` and `hjepa run --agent flat`.
#pragma once
#include <CLI/CLI.hpp>

#include "agent/jepa/train_model.hpp"
#include "sim/env.hpp"

namespace hjepa {

// Progress on stderr every 500 steps.
ProgressFn progress_lines();
void add_train_options(CLI::App& app, Level1TrainParams& tp, Level2TrainParams& tp2);

}  // namespace hjepa
