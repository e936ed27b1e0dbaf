// The tiny Mode-1 phase of tiny_training.hpp's tiny_mode1(), as `hjepa train` settings and as suite
// "train" keys, for the tests that train through the executable (they link no agent code).
#pragma once

namespace hjepa::test {

constexpr const char* kTinyMode1Settings =
    " --set train.mode1.rounds=1 --set train.mode1.episodes=2 --set train.mode1.heldout_episodes=1"
    " --set train.mode1.episode_steps=8 --set train.mode1.steps=20";
constexpr const char* kTinyMode1SuiteKeys =
    R"("mode1_rounds": 1, "mode1_episodes": 2, "mode1_heldout_episodes": 1, "mode1_episode_steps": 8, "mode1_steps": 20)";

}  // namespace hjepa::test
