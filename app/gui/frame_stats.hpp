// Frame times of the desktop app: every frame kept for the exit summary (median), the last few
// hundred for the inspector's plot.
#pragma once
#include <algorithm>
#include <array>
#include <vector>

namespace hjepa {

struct FrameStats {
  static constexpr int kRecent = 240;
  std::vector<float> all_ms;
  std::array<float, kRecent> recent_ms{};  // ring buffer, oldest at recent_next
  int recent_next = 0;

  void add(float ms) {
    all_ms.push_back(ms);
    recent_ms[recent_next] = ms;
    recent_next = (recent_next + 1) % kRecent;
  }
  float last() const { return recent_ms[(recent_next + kRecent - 1) % kRecent]; }
  float median() const {
    if (all_ms.empty()) return 0;
    std::vector<float> sorted = all_ms;
    std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
    return sorted[sorted.size() / 2];
  }
  float recent_median() const {
    const int n = std::min<int>(kRecent, static_cast<int>(all_ms.size()));
    if (n == 0) return 0;
    std::vector<float> sorted(all_ms.end() - n, all_ms.end());
    std::nth_element(sorted.begin(), sorted.begin() + n / 2, sorted.end());
    return sorted[n / 2];
  }
};

}  // namespace hjepa
