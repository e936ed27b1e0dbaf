// Records one episode of a Session as a video file: the frame at its reset, then one frame per env
// step, drawn by FrameRenderer and encoded by VideoWriter. hjepa run --video and hjepa gui --record
// both feed it the same way: update() after the reset and after every step.
#pragma once
#include <vector>

#include "app/gui/session.hpp"
#include "app/render/frame_renderer.hpp"
#include "app/render/video_writer.hpp"

namespace hjepa {

class EpisodeRecorder {
 public:
  // Starts ffmpeg at once, so a missing ffmpeg or an unwritable file is refused before any episode
  // runs. Throws VideoError.
  explicit EpisodeRecorder(const VideoOptions& options);

  // Draws the steps the recorded episode took since the last call (refreshing the session's traces
  // first). The recording starts with the first episode seen at its step 0 and finishes when that
  // episode ends or another one replaces it. Throws VideoError when ffmpeg fails.
  void update(Session& session);
  // Closes the file (the episode may still be running: the app exits); it is in place on return.
  // Throws VideoError. Idempotent.
  void finish();

  bool finished() const { return writer_.finished(); }
  int frames() const { return writer_.frames(); }
  const std::string& path() const { return writer_.path(); }
  FrameRenderer& renderer() { return renderer_; }
  // Wall time spent drawing frames (the session's traces decoded included), and feeding them to
  // ffmpeg, in milliseconds; the median time FrameRenderer took to draw one frame.
  double render_ms() const { return render_ms_; }
  double encode_ms() const { return encode_ms_; }
  double median_frame_ms() const;

 private:
  void draw(Session& session);
  VideoWriter writer_;        // first: it checks the options the renderer is built from
  FrameRenderer renderer_;
  int episode_ = -1;     // Session::episode of the episode recorded (-1: not started)
  int last_step_ = -1;   // its last step drawn
  bool ended_ = false;
  double render_ms_ = 0, encode_ms_ = 0;
  std::vector<double> frame_ms_;
};

}  // namespace hjepa
