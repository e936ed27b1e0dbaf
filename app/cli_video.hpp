// The video flags of hjepa run (--video FILE) and hjepa gui (--record FILE): the file, --video-fps and
// --video-size, checked as the other flags are (CLI11 validators with the project's wording), and
// the recorder started from them, before any episode runs, with its refusals as UsageErrors.
#pragma once
#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "app/render/episode_recorder.hpp"
#include "app/render/video_writer.hpp"

namespace hjepa {

// Adds `file_flag` with its help, and --video-fps and --video-size (which need it), filling `options`.
void add_video_options(CLI::App& cmd, VideoOptions& options, const std::string& file_flag, const std::string& file_help);
// The recorder for `options` (ffmpeg started, the temporary file made); null without a file. A missing
// ffmpeg, an unwritable file or a refused option is a UsageError naming `file_flag`.
std::unique_ptr<EpisodeRecorder> start_recorder(const VideoOptions& options, const std::string& file_flag);

}  // namespace hjepa
