// Small ImGui widgets shared by the panels: tooltips, clamped sliders, colour chips, loss plots and
// a colour sequence drawn as chips joined by arrows.
#pragma once
#include <imgui.h>
#include <string>
#include <vector>

#include "sim/color.hpp"

namespace hjepa {

struct ParamSpec;

ImVec4 region_color_v4(Color c, float alpha = 1);
// The tooltip for the last item while it is hovered.
void tooltip(const char* text);
// Clamped sliders; return true when an edit ends (the widget is released), for edits that rebuild.
bool slider_double(const char* label, double* value, double lo, double hi, const char* format, const char* help,
                   ImGuiSliderFlags flags = 0);
bool slider_int(const char* label, int* value, int lo, int hi, const char* help);
// Sliders for a parameter of the table (agent/config.hpp's declared(key)), which gives the label and
// the tooltip (help, unit, settings name, default, range): dragging covers the panel's comfortable
// [lo, hi] clipped to the table's range; Ctrl+click types any value in that range (values outside
// it, or not finite, are clamped / refused). Return true when an edit ends, like the sliders above.
bool declared_slider(const char* key, double* value, double lo, double hi, const char* format, ImGuiSliderFlags flags = 0);
bool declared_slider(const char* key, int* value, int lo, int hi, ImGuiSliderFlags flags = 0);
// The tooltip of a table parameter's widget (the last item), with `extra` appended.
void param_tooltip(const ParamSpec& p, const char* extra = "");
// Clamps a typed value into [lo, hi]; a non-finite one reverts to `before`.
double clamp_typed(double value, double before, double lo, double hi);
// A colour-filled button with `label`; returns true when clicked.
bool color_chip(Color c, const char* label, ImVec2 size, bool enabled = true);
// A small filled square in the colour, then its name, on the current line.
void color_swatch(Color c, const char* id);
bool input_text(const char* label, std::string& value);
// A titled separator between sections of a panel.
void section(const char* title);
// A line plot across the panel with "label <last value>" over it.
void plot(const char* label, const std::vector<float>& values, const char* help, float height = 34);
// "red -> blue -> green" as colour chips joined by arrows, wrapping at the panel's edge.
void colour_sequence(const std::vector<Color>& colours);

}  // namespace hjepa
