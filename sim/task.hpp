// A task: an ordered list of 1-6 colours to stand in, and the progress rule.
#pragma once
#include <string>
#include <vector>

#include "sim/color.hpp"

namespace hjepa {

constexpr int kMaxTaskLength = 6;

struct Task {
  std::vector<Color> colors;  // required colours, in order
  int size() const { return static_cast<int>(colors.size()); }
};

// Progress after standing in a region of colour `here` with `progress` colours already done:
// every next required colour equal to `here` is achieved at once, so consecutive repeats
// ("red,red") need no second visit, while "red,blue,red" needs a return to red.
inline int advance_progress(const Task& task, int progress, Color here) {
  while (progress < task.size() && task.colors[progress] == here) ++progress;
  return progress;
}

// Parses "red,green,blue"; returns an error message (empty when fine).
std::string parse_task(const std::string& text, Task& out);
std::string task_to_string(const Task& task);

struct World;
// "" when every colour of the task is on the map, else which one is not and the colours it has.
std::string task_map_problem(const Task& task, const World& world);

}  // namespace hjepa
