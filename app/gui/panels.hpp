// The Dear ImGui panels docked along the right side of the window: Simulation, Task, Agent, View
// (first column) and one window with Inspector, Training and Environment tabs (second column). They
// edit AppState and the Params structs in its Session directly. Each panel's contents has its own
// function (the bigger ones in their own files).
#pragma once
#include "app/gui/app_state.hpp"

namespace hjepa {

constexpr float kPanelColumnWidth = 290;  // pixels; two columns
constexpr float kPanelsWidth = 2 * kPanelColumnWidth;

// Draws every panel for this frame; `window_width`/`window_height` place them on first use.
void draw_panels(AppState& app, float window_width, float window_height);

// Panel contents, drawn inside their window.
void agent_panel(AppState& app);      // agent_panel.cpp
void inspector_panel(AppState& app);  // inspector_panel.cpp
void training_panel(AppState& app);   // training_panel.cpp

}  // namespace hjepa
