// An RGB frame in memory: what the software renderer (frame_renderer.hpp) draws into and the video
// writer (video_writer.hpp) encodes. No dependencies, so the Python module can hand it to numpy.
#pragma once
#include <cstdint>
#include <vector>

namespace hjepa {

struct RgbImage {
  int width = 0, height = 0;
  std::vector<uint8_t> rgb;  // row-major, 3 bytes per pixel, top row first
};

}  // namespace hjepa
