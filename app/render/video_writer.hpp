// Writes RGB frames as an H.264 video through ffmpeg (Debian's package `ffmpeg`): a child process
// fed raw rgb24 frames on its standard input, encoding with libx264 (yuv420p, so even frame sizes)
// into a temporary file beside the target, renamed onto it only when every frame was written and
// ffmpeg exited 0. A writer dropped without finish() (an error, an interrupted run) stops ffmpeg and
// removes the temporary file: a video is there whole or not at all.
#pragma once
#include <optional>
#include <stdexcept>
#include <string>
#include <sys/types.h>

#include "app/render/rgb_image.hpp"

namespace hjepa {

struct VideoError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct VideoOptions {
  std::string path;        // the video file to write (.mp4, .mkv or .mov); empty: no video
  int fps = 10;            // frames per second of the file, kFpsMin..kFpsMax
  int width = 960;         // frame size in pixels, even, in [kSideMin, kSideMax]
  int height = 720;
  static constexpr int kFpsMin = 1, kFpsMax = 240;
  static constexpr int kSideMin = 16, kSideMax = 4096;
};

// "" when `options` can be written (size, fps, file name ending), else what is wrong and what was expected.
std::string video_options_problem(const VideoOptions& options);
// What a frame size must be: "WxH with W and H even integers in [16, 4096] ...".
std::string frame_size_expected();
// "WxH" -> width, height; nullopt when the text is not two positive integers joined by 'x'.
std::optional<std::pair<int, int>> parse_frame_size(const std::string& text);
// The executable `program` found on PATH, or "".
std::string find_on_path(const std::string& program);
// The message for a missing ffmpeg: what needs it and the package that provides it.
std::string ffmpeg_missing_message();
// "" when a VideoWriter for `options` would start (the options, ffmpeg on PATH, a file the directory
// lets us create: a probe file is made and removed), else the problem as VideoWriter would say it.
std::string video_target_problem(const VideoOptions& options);

class VideoWriter {
 public:
  // Creates the temporary file and starts ffmpeg. Throws VideoError: options refused
  // (video_options_problem), ffmpeg not on PATH (ffmpeg_missing_message), the file cannot be created.
  explicit VideoWriter(const VideoOptions& options);
  ~VideoWriter();
  VideoWriter(const VideoWriter&) = delete;
  VideoWriter& operator=(const VideoWriter&) = delete;

  // Sends one frame (its size must be the writer's). Throws VideoError when ffmpeg stopped reading.
  void write(const RgbImage& frame);
  // Closes ffmpeg's input, waits for it and renames the temporary file onto the target. Throws
  // VideoError (and removes the temporary file) when ffmpeg failed. Idempotent.
  void finish();

  int frames() const { return frames_; }
  const std::string& path() const { return options_.path; }
  bool finished() const { return finished_; }

 private:
  void abandon();  // stops ffmpeg and removes the temporary file
  VideoOptions options_;
  std::string temp_path_;
  pid_t pid_ = -1;
  int pipe_ = -1;   // ffmpeg's standard input
  int frames_ = 0;
  bool finished_ = false;
};

}  // namespace hjepa
