// The ffmpeg pipe; see video_writer.hpp. ffmpeg is started with posix_spawn (its standard input the
// read end of a pipe, its standard output /dev/null so a command's stdout stays data only, its
// standard error ours, with -loglevel error). SIGPIPE is blocked around each write, so a dead ffmpeg
// shows as EPIPE, never kills the process that feeds it.
#include "app/render/video_writer.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <pthread.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace hjepa {
namespace {

namespace fs = std::filesystem;

const char* const kContainers[] = {".mp4", ".mkv", ".mov"};  // file endings ffmpeg writes H.264 into

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Writes all of `data`, retrying after signals and short writes; false (errno set) on failure.
bool write_all(int fd, const uint8_t* data, size_t size) {
  sigset_t pipe_signal, previous;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_signal, &previous);
  bool ok = true;
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ok = false;
      break;
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  const int error = errno;
  if (!ok && error == EPIPE && !sigismember(&previous, SIGPIPE)) {  // consume the SIGPIPE this write raised
    const timespec no_wait{0, 0};
    while (sigtimedwait(&pipe_signal, nullptr, &no_wait) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  errno = error;
  return ok;
}

// Waits for the child; its exit status, or -1 when it did not exit normally (a signal).
int wait_for(pid_t pid, int* signal_number) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status) && signal_number) *signal_number = WTERMSIG(status);
  return -1;
}

}  // namespace

std::optional<std::pair<int, int>> parse_frame_size(const std::string& text) {
  const size_t x = text.find('x');
  if (x == std::string::npos || x == 0 || x + 1 >= text.size() || text.size() > 16) return std::nullopt;
  auto number = [](const std::string& digits) -> std::optional<int> {
    if (digits.empty() || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
    if (digits.size() > 6) return 999999999;  // out of range, said so by video_options_problem
    return std::stoi(digits);
  };
  const auto w = number(text.substr(0, x)), h = number(text.substr(x + 1));
  if (!w || !h) return std::nullopt;
  return std::make_pair(*w, *h);
}

std::string frame_size_expected() {
  return "WxH with W and H even integers in [" + std::to_string(VideoOptions::kSideMin) + ", " +
         std::to_string(VideoOptions::kSideMax) + "] (H.264 in yuv420p), e.g. 960x720";
}

std::string video_options_problem(const VideoOptions& o) {
  using V = VideoOptions;
  if (o.width < V::kSideMin || o.width > V::kSideMax || o.height < V::kSideMin || o.height > V::kSideMax || o.width % 2 ||
      o.height % 2)
    return "frame size " + std::to_string(o.width) + "x" + std::to_string(o.height) + " is not allowed; expected " + frame_size_expected();
  if (o.fps < V::kFpsMin || o.fps > V::kFpsMax)
    return std::to_string(o.fps) + " frames per second is out of range; expected an integer in [" + std::to_string(V::kFpsMin) + ", " +
           std::to_string(V::kFpsMax) + "]";
  const std::string ending = lower(fs::path(o.path).extension().string());
  if (std::find(std::begin(kContainers), std::end(kContainers), ending) == std::end(kContainers))
    return "\"" + o.path + "\" does not end in .mp4, .mkv or .mov; expected a video file name such as episode.mp4";
  return "";
}

std::string find_on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "";
  size_t begin = 0;
  while (begin <= dirs.size()) {
    size_t end = dirs.find(':', begin);
    if (end == std::string::npos) end = dirs.size();
    const std::string dir = end > begin ? dirs.substr(begin, end - begin) : ".";  // an empty entry is the working directory
    const std::string candidate = dir + "/" + program;
    struct stat st {};
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(candidate.c_str(), X_OK) == 0) return candidate;
    begin = end + 1;
  }
  return "";
}

std::string ffmpeg_missing_message() {
  return "ffmpeg is not on PATH; it encodes the video. Install Debian's package (sudo apt-get install ffmpeg), or leave the "
         "video out";
}

namespace {

// The temporary file beside the target (same directory: the rename is atomic), with the target's
// ending (ffmpeg picks the container by it), created empty; throws VideoError when it cannot be.
std::string create_temp_beside(const std::string& path) {
  static std::atomic<int> serial{0};
  const fs::path target(path);
  std::error_code ec;
  if (fs::is_directory(target, ec)) throw VideoError("\"" + path + "\" is a directory; expected a video file name");
  const fs::path temp = target.parent_path() / (target.stem().string() + ".partial-" + std::to_string(::getpid()) + "-" +
                                                std::to_string(serial++) + target.extension().string());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0)
    throw VideoError("cannot write \"" + path + "\": " + std::strerror(errno) +
                     "; expected a file name in an existing directory that can be written");
  ::close(fd);
  return temp.string();
}

}  // namespace

std::string video_target_problem(const VideoOptions& options) {
  if (const std::string problem = video_options_problem(options); !problem.empty()) return problem;
  if (find_on_path("ffmpeg").empty()) return ffmpeg_missing_message();
  try {
    std::error_code ec;
    fs::remove(create_temp_beside(options.path), ec);
  } catch (const VideoError& e) {
    return e.what();
  }
  return "";
}

VideoWriter::VideoWriter(const VideoOptions& options) : options_(options) {
  if (const std::string problem = video_options_problem(options); !problem.empty()) throw VideoError(problem);
  const std::string ffmpeg = find_on_path("ffmpeg");
  if (ffmpeg.empty()) throw VideoError(ffmpeg_missing_message());
  const fs::path target(options.path);
  std::error_code ec;
  temp_path_ = create_temp_beside(options.path);
  const fs::path temp(temp_path_);

  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    const std::string error = std::strerror(errno);
    fs::remove(temp, ec);
    throw VideoError("cannot start ffmpeg: " + error);
  }
  const std::string size = std::to_string(options.width) + "x" + std::to_string(options.height);
  const std::string fps = std::to_string(options.fps);
  std::vector<std::string> args = {"ffmpeg", "-hide_banner", "-loglevel", "error", "-nostats", "-y",
                                   "-f", "rawvideo", "-pix_fmt", "rgb24", "-video_size", size, "-framerate", fps, "-i", "pipe:0",
                                   "-an", "-c:v", "libx264", "-preset", "fast", "-crf", "20", "-pix_fmt", "yuv420p"};
  if (const std::string ending = lower(target.extension().string()); ending == ".mp4" || ending == ".mov")
    args.insert(args.end(), {"-movflags", "+faststart"});  // the index first: the file plays while it downloads
  args.push_back(temp_path_);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[0], 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t defaults, none;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);  // a caller that ignores SIGPIPE (Python does) passes that on: undo it
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  const int spawned = posix_spawn(&pid_, ffmpeg.c_str(), &actions, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(fds[0]);
  if (spawned != 0) {
    ::close(fds[1]);
    pid_ = -1;
    fs::remove(temp, ec);
    throw VideoError("cannot start " + ffmpeg + ": " + std::strerror(spawned));
  }
  pipe_ = fds[1];
}

VideoWriter::~VideoWriter() {
  if (!finished_) abandon();
}

void VideoWriter::write(const RgbImage& frame) {
  if (finished_ || pipe_ < 0) throw VideoError("the video \"" + options_.path + "\" is already closed");
  if (frame.width != options_.width || frame.height != options_.height ||
      frame.rgb.size() != static_cast<size_t>(frame.width) * frame.height * 3)
    throw VideoError("a " + std::to_string(frame.width) + "x" + std::to_string(frame.height) + " frame for a " +
                     std::to_string(options_.width) + "x" + std::to_string(options_.height) + " video");
  if (!write_all(pipe_, frame.rgb.data(), frame.rgb.size())) {
    const std::string error = std::strerror(errno);
    abandon();
    throw VideoError("ffmpeg stopped reading frames for \"" + options_.path + "\" (" + error + "); its messages are above");
  }
  ++frames_;
}

void VideoWriter::finish() {
  if (finished_) return;
  if (pid_ < 0) throw VideoError("the video \"" + options_.path + "\" was abandoned");
  ::close(pipe_);
  pipe_ = -1;
  int signal_number = 0;
  const int status = wait_for(pid_, &signal_number);
  pid_ = -1;
  std::error_code ec;
  if (status != 0) {
    fs::remove(temp_path_, ec);
    throw VideoError("ffmpeg failed writing \"" + options_.path + "\" (" +
                     (status > 0 ? "exit status " + std::to_string(status) : "signal " + std::to_string(signal_number)) +
                     "); its messages are above; no file written");
  }
  fs::rename(temp_path_, options_.path, ec);
  if (ec) {
    fs::remove(temp_path_, ec);
    throw VideoError("cannot move the finished video onto \"" + options_.path + "\": " + ec.message());
  }
  finished_ = true;
}

void VideoWriter::abandon() {
  if (pipe_ >= 0) ::close(pipe_);
  pipe_ = -1;
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);  // our own child: no half-encoded file is wanted
    wait_for(pid_, nullptr);
  }
  pid_ = -1;
  std::error_code ec;
  if (!temp_path_.empty()) fs::remove(temp_path_, ec);
}

}  // namespace hjepa
