// `hjepa gui` (and `hjepa` alone): parse the app's flags into GuiOptions and open the window.
#include "app/agent_factory.hpp"
#include "app/cli_common.hpp"
#include "app/cli_video.hpp"
#include "app/gui/gui.hpp"

namespace hjepa {

int cmd_gui(int argc, char** argv) {
  CLI::App app{"Open the desktop app: the world, the agent and what it plans, with live panels.", "hjepa gui"};
  GuiOptions o;
  std::string map_file, task, agent;
  auto* file = app.add_option("--map", map_file, "Map file (hjepa-map/1 JSON)");
  app.add_option_function<uint64_t>("--map-seed", [&o](const uint64_t& v) { o.map_seed = v; }, "Generate the map from this seed (default 1)")
      ->check(seed_check())->excludes(file);
  app.add_option("--task", task, "Colours to stand in, in order, e.g. red,green,blue");
  app.add_option("--agent", agent,
                 "Agent: " + agent_name_list() + " (default: the saved one; hjepa at the first launch, else oracle). The "
                 "learned agents load their model from the model cache, or train one in the background (Training tab)")
      ->check(CLI::IsMember(agent_names()));
  app.add_option("--seed", o.seed, "Episode seed (default 1)")->check(seed_check());
  app.add_option("--frames", o.frames, "Render N frames with the agent running, then exit (0 = interactive); frames count once a background "
                 "training is done; no settings file is read or written")
      ->check(number_check(true, 0, 10000000));
  app.add_option("--screenshot", o.screenshot, "PNG written after the last frame (with --frames)");
  app.add_flag("--first-launch", o.first_launch,
               "Behave as the first launch does (no settings file yet): choose the H-JEPA, load its model from the cache "
               "or train it in the background while the oracle drives (for tests; with --frames, frames count once "
               "training is done)");
  add_video_options(app, o.record, "--record",
                    "Record the episode running at launch as H.264 video through ffmpeg (.mp4, .mkv or .mov), drawn as the "
                    "world view without the panels: the first frame at its reset, then one per step; the file is closed when "
                    "the episode ends or the app exits");
  return run_command(app, argc, argv, [&] {
    if (!map_file.empty()) o.map_file = map_file;
    if (!task.empty()) o.task = task;
    if (!agent.empty()) o.agent = agent;
    if (!o.screenshot.empty() && o.frames == 0) throw UsageError("--screenshot without --frames; expected --frames N (N > 0) to say when to take it");
    return run_gui(o);
  });
}

}  // namespace hjepa
