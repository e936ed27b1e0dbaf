// The desktop app's Bench panel: pick a suite and agents, run it in the background with the app's
// current agent parameters (BenchJob), watch the progress, read the table.
#pragma once
#include <string>
#include <vector>

#include "app/gui/bench_job.hpp"

namespace hjepa {

// The agents the Bench panel starts with ticked: every agent of the table but the ablations.
std::vector<std::string> default_bench_agents();

struct BenchPanelState {
  int suite = 0;                      // index into suite_names()
  std::vector<std::string> agents = default_bench_agents();  // ticked, any order (the run uses the table's)
  int threads = 1;
  BenchJob job;
};

// Draws the panel's contents (the caller owns the ImGui window); `config` is what a run uses.
void draw_bench_panel(BenchPanelState& state, const RunConfig& config);

}  // namespace hjepa
