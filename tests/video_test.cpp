// hjepa run --video and hjepa gui --record through the real executable: the file is H.264 with one
// frame per step plus the reset (read back with ffprobe), the episode is the one run prints (its
// --json the same with and without --video, for the oracle and for the H-JEPA with its traces
// decoded for drawing), and the refusals (frame size, fps, unwritable file, no ffmpeg) exit 2 before
// any episode runs, leaving no file behind. Needs ffmpeg and ffprobe (Debian's ffmpeg package).
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_runner.hpp"
#include "tiny_cli_training.hpp"
#include "workload.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using hjepa::test::has;
using hjepa::test::Result;

fs::path scratch() {
  static const fs::path dir = hjepa::test::scratch_dir("hjepa_video_test");
  return dir;
}

// Runs `command` through the shell; stdout and stderr captured.
Result shell(const std::string& command) { return hjepa::test::shell(command, scratch()); }

Result run_hjepa(const std::string& args, const std::string& env = "") { return shell(env + " " + HJEPA_EXE + " " + args); }

// ffprobe's view of the video stream: "codec,width,height,rate,frames".
std::string probe(const fs::path& video) {
  const Result r = shell("ffprobe -v error -select_streams v:0 -count_frames -show_entries "
                         "stream=codec_name,width,height,r_frame_rate,nb_read_frames -of csv=p=0 '" + video.string() + "'");
  INFO("ffprobe (Debian package ffmpeg) must be installed: ", r.err);
  REQUIRE(r.status == 0);
  std::string line = r.out;
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  return line;
}

// No temporary video files left in `dir`.
int partial_files(const fs::path& dir) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(dir)) n += has(e.path().filename().string(), ".partial-");
  return n;
}

// The run's JSON without its timings, which differ between any two runs.
json without_timings(const std::string& out) {
  json j = json::parse(out);
  j.erase("oracle_ms");
  j.erase("ms_per_step");
  return j;
}

// A directory whose only program is a shell: PATH set to it has no ffmpeg.
fs::path path_without_ffmpeg() {
  const fs::path dir = scratch() / "bin_without_ffmpeg";
  fs::create_directories(dir);
  std::error_code ec;
  fs::create_symlink("/bin/sh", dir / "sh", ec);
  return dir;
}

}  // namespace

TEST_CASE("run --video: H.264 with a frame at the reset and one per step, of the episode --json prints") {
  const fs::path video = scratch() / "oracle.mp4";
  const std::string episode = "run --map-seed 1 --task red,green --agent oracle --json";
  const Result plain = run_hjepa(episode);
  REQUIRE(plain.status == 0);
  const Result recorded = run_hjepa(episode + " --video " + video.string());
  CAPTURE(recorded.err);
  REQUIRE(recorded.status == 0);
  CHECK(without_timings(recorded.out) == without_timings(plain.out));  // stdout is the JSON alone
  const int steps = json::parse(recorded.out)["steps"].get<int>();
  CHECK(steps > 0);
  CHECK(probe(video) == "h264,960,720,10/1," + std::to_string(steps + 1));
  CHECK(has(recorded.err, std::to_string(steps + 1) + " frames at 10 fps written to " + video.string()));
  CHECK(partial_files(scratch()) == 0);

  // --video-fps and --video-size: the same frames, at that rate and size; an existing file is replaced.
  const Result again = run_hjepa(episode + " --video " + video.string() + " --video-fps 25 --video-size 320x240");
  REQUIRE(again.status == 0);
  CHECK(probe(video) == "h264,320,240,25/1," + std::to_string(steps + 1));
}

TEST_CASE("run --video with the H-JEPA: the same steps, plans and headings as without (its traces are only read)") {
  const fs::path model = scratch() / "small.hjepa";
  const std::string training = hjepa::test::workload<std::string>(
      " --steps 150 --sequences 60 --polish-steps 200 --head-steps 400 --probe-steps 400 --distance-steps 300 --level2-steps 200",
      " --steps 60 --sequences 30 --polish-steps 60 --head-steps 150 --probe-steps 150 --distance-steps 100 --level2-steps 60");
  REQUIRE(run_hjepa("train --map-seed 2 --out " + model.string() + training + hjepa::test::kTinyMode1Settings).status == 0);
  const fs::path video = scratch() / "hjepa.mp4";
  const std::string episode = "run --map-seed 2 --task red,blue --agent hjepa --model " + model.string() + " --max-steps 40 --json";
  const Result plain = run_hjepa(episode);
  REQUIRE(plain.status == 0);
  const Result recorded = run_hjepa(episode + " --video " + video.string() + " --video-size 320x240");
  CAPTURE(recorded.err);
  REQUIRE(recorded.status == 0);
  const json j = without_timings(recorded.out);
  CHECK(j.contains("trace"));
  REQUIRE(j["trace"].size() >= 2);
  CHECK(j["trace"][0]["belief_gain"].is_null());  // the first plan starts from the first encoding
  const double gain = j["trace"][1]["belief_gain"].get<double>();
  CHECK(gain > 0);
  CHECK(gain <= 1);
  CHECK(j == without_timings(plain.out));
  CHECK(probe(video) == "h264,320,240,10/1," + std::to_string(j["steps"].get<int>() + 1));
}

TEST_CASE("video refusals: exit 2 with the flag and what is expected, before the episode; no file written") {
  const fs::path dir = scratch() / "refusals";
  fs::create_directories(dir / "a_directory.mp4");
  const std::string run = "run --map-seed 1 --task red,green --agent oracle --json";
  const std::string video = (dir / "x.mp4").string();
  struct Case {
    std::string args, env, mentions;
  };
  const Case cases[] = {
      {run + " --video " + video + " --video-size 961x720", "", "--video-size: frame size 961x720 is not allowed; expected WxH"},
      {run + " --video " + video + " --video-size big", "", "--video-size: \"big\" is not a frame size; expected WxH"},
      {run + " --video " + video + " --video-size 8x8", "", "--video-size: frame size 8x8"},
      {run + " --video " + video + " --video-size 5000x720", "", "even integers in [16, 4096]"},
      {run + " --video " + video + " --video-fps 0", "", "--video-fps: 0 is out of range; expected an integer in [1, 240]"},
      {run + " --video-fps 5", "", "--video-fps requires --video"},
      {run + " --video-size 320x240", "", "--video-size requires --video"},
      {run + " --video " + (dir / "no_dir" / "x.mp4").string(), "", "--video: cannot write \"" + (dir / "no_dir" / "x.mp4").string()},
      {run + " --video " + (dir / "a_directory.mp4").string(), "", "is a directory; expected a video file name"},
      {run + " --video " + (dir / "x.avi").string(), "", "does not end in .mp4, .mkv or .mov"},
      {run + " --video " + video, "PATH=" + path_without_ffmpeg().string(), "--video: ffmpeg is not on PATH"},
      {"gui --frames 1 --record " + (dir / "no_dir" / "x.mp4").string(), "DISPLAY=", "--record: cannot write"},
      {"gui --frames 1 --record " + video, "DISPLAY= PATH=" + path_without_ffmpeg().string(), "--record: ffmpeg is not on PATH"},
      {"gui --frames 1 --video-fps 30", "DISPLAY=", "--video-fps requires --record"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.args);
    CAPTURE(c.env);
    const Result r = run_hjepa(c.args, c.env);
    CAPTURE(r.err);
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(has(r.err, c.mentions));
    if (has(c.mentions, "ffmpeg is not on PATH")) CHECK(has(r.err, "apt-get install ffmpeg"));
  }
  CHECK(!fs::exists(video));
  CHECK(partial_files(dir) == 0);
}
