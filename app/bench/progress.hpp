// Progress of a long phase on stderr: a redrawn bar with the ETA when stderr is a terminal, plain
// lines at most every 5 seconds otherwise (job logs), and always a final line. Thread-safe.
#pragma once
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace hjepa {

class Progress {
 public:
  // `what` names the items ("episodes", "models"); total > 0.
  Progress(std::string what, int64_t total);
  // One more item done; `note` (optional) is printed on its own line above the bar / as a line.
  void advance(const std::string& note = "");
  void finish();

 private:
  void draw(bool final);
  std::string what_;
  int64_t total_, done_ = 0;
  bool tty_, finished_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
  std::mutex mutex_;
};

}  // namespace hjepa
