// The Dear ImGui panels docked along the right side of the window: Simulation, Task, Agent, View
// (first column) and Environment, Training, Inspector (second column). They edit AppState and the Params
// structs in its Session directly.
#pragma once
#include "app/gui/app_state.hpp"

namespace hjepa {

constexpr float kPanelColumnWidth = 290;  // pixels; two columns
constexpr float kPanelsWidth = 2 * kPanelColumnWidth;

// Draws every panel for this frame; `window_width`/`window_height` place them on first use.
void draw_panels(AppState& app, float window_width, float window_height);

}  // namespace hjepa
