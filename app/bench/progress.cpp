// Progress reporting on stderr (see progress.hpp).
#include "app/bench/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace hjepa {

namespace {

std::string clock_text(double seconds) {
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

}  // namespace

Progress::Progress(std::string what, int64_t total)
    : what_(std::move(what)), total_(total), tty_(isatty(STDERR_FILENO) == 1), start_(std::chrono::steady_clock::now()) {
  last_draw_ = start_;
  if (tty_) draw(false);
}

void Progress::advance(const std::string& note) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++done_;
  if (!note.empty()) std::fprintf(stderr, tty_ ? "\r\033[K%s\n" : "%s\n", note.c_str());
  const auto now = std::chrono::steady_clock::now();
  const double since = std::chrono::duration<double>(now - last_draw_).count();
  if (since >= (tty_ ? 0.2 : 5.0) || (tty_ && (done_ == total_ || !note.empty()))) draw(false);
}

void Progress::finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (finished_) return;
  finished_ = true;
  draw(true);
}

void Progress::draw(bool final) {
  last_draw_ = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(last_draw_ - start_).count();
  const double fraction = total_ > 0 ? static_cast<double>(done_) / total_ : 1;
  const std::string eta = done_ > 0 ? clock_text(elapsed / done_ * (total_ - done_)) : "?";
  char counts[160];
  std::snprintf(counts, sizeof counts, "%lld/%lld %s %3.0f%%  elapsed %s  ETA %s", static_cast<long long>(done_),
                static_cast<long long>(total_), what_.c_str(), 100 * fraction, clock_text(elapsed).c_str(), eta.c_str());
  if (!tty_) {
    std::fprintf(stderr, "bench: %s%s\n", counts, final ? " - done" : "");
    return;
  }
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(fraction * kWidth);
  std::fprintf(stderr, "\r\033[K[%s%s] %s%s", std::string(filled, '#').c_str(), std::string(kWidth - filled, '.').c_str(), counts,
               final ? "\n" : "");
  std::fflush(stderr);
}

}  // namespace hjepa
