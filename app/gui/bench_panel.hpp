// The desktop app's Bench panel: pick a suite and agents, run it in the background with the app's
// current agent parameters (BenchJob), watch the progress, read the table.
#pragma once
#include <string>
#include <vector>

#include "app/gui/bench_job.hpp"

namespace hjepa {

struct BenchPanelState {
  int suite = 0;                      // index into suite_names()
  bool agents[4] = {true, true, true, true};  // random, oracle, flat, hjepa
  int threads = 1;
  BenchJob job;
};

// Draws the panel's contents (the caller owns the ImGui window); `config` is what a run uses.
void draw_bench_panel(BenchPanelState& state, const RunConfig& config);

}  // namespace hjepa
