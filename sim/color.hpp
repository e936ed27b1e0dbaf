// The palette of named region colours shared by maps, tasks, observations and the GUI.
#pragma once
#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace hjepa {

enum class Color : unsigned char { Red, Orange, Yellow, Green, Cyan, Blue, Purple, Pink };
constexpr int kNumColors = 8;

constexpr std::array<std::string_view, kNumColors> kColorNames = {
    "red", "orange", "yellow", "green", "cyan", "blue", "purple", "pink"};

inline std::string_view color_name(Color c) { return kColorNames[static_cast<int>(c)]; }
inline std::optional<Color> color_from_name(std::string_view s) {
  for (int i = 0; i < kNumColors; ++i)
    if (kColorNames[i] == s) return static_cast<Color>(i);
  return std::nullopt;
}
inline std::string palette_list() {
  std::string out;
  for (auto n : kColorNames) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

}  // namespace hjepa
