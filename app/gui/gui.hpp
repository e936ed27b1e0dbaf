// Entry point of the desktop app (SFML window + Dear ImGui panels), used by `hjepa gui` and by
// `hjepa` with no arguments.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "app/render/video_writer.hpp"

namespace hjepa {

struct GuiOptions {
  std::optional<std::string> map_file;   // --map FILE
  std::optional<uint64_t> map_seed;      // --map-seed N (default map seed when neither is given)
  std::optional<std::string> task;       // --task red,green
  std::optional<std::string> agent;      // --agent: one of agent_names() (app/agent_factory.hpp)
  uint64_t seed = 1;                     // --seed N: episode seed
  int frames = 0;                        // --frames N: render N frames then exit (0 = interactive)
  std::string screenshot;                // --screenshot FILE: PNG written after the last frame
  bool first_launch = false;             // --first-launch: behave as the first launch (no settings file yet)
  VideoOptions record;                   // --record FILE (--video-fps, --video-size): the first episode as video
};

// Runs the app; returns the process exit status. Without a display it says so on stderr,
// shows the headless command to use instead, and returns 1.
int run_gui(const GuiOptions& options);

}  // namespace hjepa
