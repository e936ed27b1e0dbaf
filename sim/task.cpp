// Parsing and printing of colour tasks ("red,green,blue").
#include "sim/task.hpp"

#include <algorithm>

#include "sim/world.hpp"

namespace hjepa {

std::string parse_task(const std::string& text, Task& out) {
  out.colors.clear();
  size_t pos = 0;
  while (true) {
    const size_t comma = text.find(',', pos);
    const std::string name = text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    const auto c = color_from_name(name);
    if (!c)
      return "\"" + name + "\" in task \"" + text + "\" is not a colour; expected a comma-separated list of " +
             palette_list();
    out.colors.push_back(*c);
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  if (out.size() > kMaxTaskLength)
    return "task \"" + text + "\" has " + std::to_string(out.size()) + " colours; expected 1 to " +
           std::to_string(kMaxTaskLength);
  return "";
}

std::string task_map_problem(const Task& task, const World& world) {
  auto on_map = [&](int k) {
    return std::any_of(world.regions.begin(), world.regions.end(), [&](const Region& r) { return static_cast<int>(r.color) == k; });
  };
  for (Color c : task.colors) {
    if (on_map(static_cast<int>(c))) continue;
    std::string have;
    for (int k = 0; k < kNumColors; ++k)
      if (on_map(k)) {
        if (!have.empty()) have += ", ";
        have += kColorNames[k];
      }
    return "colour \"" + std::string(color_name(c)) + "\" is not on this map; expected colours of the map: " + have;
  }
  return "";
}

std::string task_to_string(const Task& task) {
  std::string s;
  for (auto c : task.colors) {
    if (!s.empty()) s += ',';
    s += color_name(c);
  }
  return s;
}

}  // namespace hjepa
