// The video flags and the recorder's start; see cli_video.hpp.
#include "app/cli_video.hpp"

#include "app/cli_common.hpp"

namespace hjepa {

void add_video_options(CLI::App& cmd, VideoOptions& options, const std::string& file_flag, const std::string& file_help) {
  using V = VideoOptions;
  CLI::Option* file = cmd.add_option(file_flag, options.path, file_help);
  const std::string size_expected = frame_size_expected();
  const CLI::Validator size_check(
      [size_expected](std::string& text) -> std::string {
        const auto size = parse_frame_size(text);
        if (!size) return "\"" + text + "\" is not a frame size; expected " + size_expected;
        VideoOptions o;
        o.path = "x.mp4";
        o.width = size->first, o.height = size->second;
        if (const std::string problem = video_options_problem(o); !problem.empty()) return problem;
        return "";
      },
      size_expected);
  cmd.add_option("--video-fps", options.fps,
                 "Frames per second of the " + file_flag + " file: one frame per env step (default " + std::to_string(options.fps) + ")")
      ->check(number_check(true, V::kFpsMin, V::kFpsMax))
      ->needs(file);
  cmd.add_option_function<std::string>(
         "--video-size",
         [&options](const std::string& text) {
           const auto size = parse_frame_size(text);
           options.width = size->first, options.height = size->second;
         },
         "Frame size of the " + file_flag + " file, WxH (default " + std::to_string(options.width) + "x" +
             std::to_string(options.height) + ")")
      ->check(size_check)
      ->needs(file);
}

std::unique_ptr<EpisodeRecorder> start_recorder(const VideoOptions& options, const std::string& file_flag) {
  if (options.path.empty()) return nullptr;
  try {
    return std::make_unique<EpisodeRecorder>(options);
  } catch (const VideoError& e) {
    throw UsageError(file_flag + ": " + e.what());
  }
}

}  // namespace hjepa
