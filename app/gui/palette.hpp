// Screen colours of the region palette and of the fixed drawing elements. Shared by the app and
// tests/gui_smoke/check_screenshot.cpp, which looks for these exact fill colours in a screenshot.
#pragma once
#include <array>
#include <cstdint>

namespace hjepa::palette {

struct Rgb {
  uint8_t r, g, b;
};

// Region fills, indexed by hjepa::Color (red, orange, yellow, green, cyan, blue, purple, pink).
constexpr std::array<Rgb, 8> kRegionFill = {{
    {226, 87, 76},    // red
    {243, 156, 69},   // orange
    {240, 212, 84},   // yellow
    {110, 190, 98},   // green
    {86, 197, 208},   // cyan
    {82, 128, 220},   // blue
    {157, 107, 206},  // purple
    {236, 140, 190},  // pink
}};

constexpr Rgb kBackground = {32, 34, 40};
constexpr Rgb kObstacle = {58, 60, 66};
constexpr Rgb kAgent = {255, 255, 255};
constexpr Rgb kSubgoal = {255, 70, 210};  // the H-JEPA agent's subgoal mark

}  // namespace hjepa::palette
