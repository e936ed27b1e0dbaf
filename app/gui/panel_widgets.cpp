// Widgets shared by the panels; see panel_widgets.hpp.
#include "app/gui/panel_widgets.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>

#include "agent/config.hpp"
#include "app/gui/palette.hpp"

namespace hjepa {

ImVec4 region_color_v4(Color c, float alpha) {
  const palette::Rgb rgb = palette::kRegionFill[static_cast<int>(c)];
  return ImVec4(rgb.r / 255.f, rgb.g / 255.f, rgb.b / 255.f, alpha);
}

void tooltip(const char* text) {
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", text);
}

bool slider_double(const char* label, double* value, double lo, double hi, const char* format, const char* help,
                   ImGuiSliderFlags flags) {
  ImGui::SliderScalar(label, ImGuiDataType_Double, value, &lo, &hi, format, flags | ImGuiSliderFlags_AlwaysClamp);
  tooltip(help);
  return ImGui::IsItemDeactivatedAfterEdit();
}

bool slider_int(const char* label, int* value, int lo, int hi, const char* help) {
  ImGui::SliderInt(label, value, lo, hi, "%d", ImGuiSliderFlags_AlwaysClamp);
  tooltip(help);
  return ImGui::IsItemDeactivatedAfterEdit();
}

double clamp_typed(double value, double before, double lo, double hi) {
  if (!std::isfinite(value)) return before;
  return std::clamp(value, lo, hi);
}

void param_tooltip(const ParamSpec& p, const char* extra) {
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("%s\n(settings \"%s\"; default %s; Ctrl+click to type %s)%s", p.help_text().c_str(), p.name.c_str(),
                      p.default_text().c_str(), p.range_text().c_str(), extra);
}

bool declared_slider(const char* key, double* value, double lo, double hi, const char* format, ImGuiSliderFlags flags) {
  const ParamSpec& d = declared(key);
  const double before = *value, slo = std::max(lo, d.lo), shi = std::min(hi, d.hi);
  ImGui::SliderScalar(d.label.c_str(), ImGuiDataType_Double, value, &slo, &shi, format, flags);
  *value = clamp_typed(*value, before, d.lo, d.hi);
  param_tooltip(d);
  return ImGui::IsItemDeactivatedAfterEdit();
}

bool declared_slider(const char* key, int* value, int lo, int hi, ImGuiSliderFlags flags) {
  const ParamSpec& d = declared(key);
  const int slo = std::max(lo, static_cast<int>(d.lo)), shi = std::min(hi, static_cast<int>(d.hi));
  ImGui::SliderInt(d.label.c_str(), value, slo, shi, "%d", flags);
  *value = std::clamp(*value, static_cast<int>(d.lo), static_cast<int>(d.hi));
  param_tooltip(d);
  return ImGui::IsItemDeactivatedAfterEdit();
}

bool color_chip(Color c, const char* label, ImVec2 size, bool enabled) {
  ImGui::PushStyleColor(ImGuiCol_Button, region_color_v4(c, enabled ? 1.f : 0.25f));
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, region_color_v4(c, enabled ? 0.8f : 0.25f));
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, region_color_v4(c, 0.6f));
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.05f, 0.05f, 0.08f, 1));
  if (!enabled) ImGui::BeginDisabled();
  const bool clicked = ImGui::Button(label, size);
  if (!enabled) ImGui::EndDisabled();
  ImGui::PopStyleColor(4);
  return clicked;
}

void color_swatch(Color c, const char* id) {
  ImGui::ColorButton(id, region_color_v4(c), ImGuiColorEditFlags_NoTooltip, ImVec2(14, 14));
  ImGui::SameLine();
  ImGui::TextUnformatted(std::string(color_name(c)).c_str());
}

bool input_text(const char* label, std::string& value) {
  char buffer[512];
  std::snprintf(buffer, sizeof buffer, "%s", value.c_str());
  const bool changed = ImGui::InputText(label, buffer, sizeof buffer);
  if (changed) value = buffer;
  return changed;
}

void section(const char* title) {
  ImGui::Spacing();
  ImGui::TextColored(ImVec4(0.55f, 0.75f, 1.f, 1), "%s", title);
  ImGui::Separator();
}

void plot(const char* label, const std::vector<float>& values, const char* help, float height) {
  char overlay[64];
  std::snprintf(overlay, sizeof overlay, "%s %.4f", label, values.empty() ? 0.f : values.back());
  ImGui::PlotLines((std::string("##") + label).c_str(), values.data(), static_cast<int>(values.size()), 0, overlay, FLT_MAX,
                   FLT_MAX, ImVec2(ImGui::GetContentRegionAvail().x, height));
  tooltip(help);
}

void colour_sequence(const std::vector<Color>& colours) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  const float arrow_w = 14;
  for (size_t i = 0; i < colours.size(); ++i) {
    const std::string name(color_name(colours[i]));
    const float w = ImGui::CalcTextSize(name.c_str()).x + 2 * style.FramePadding.x;
    if (i > 0) {
      ImGui::SameLine(0, 2);
      if (ImGui::GetCursorScreenPos().x + arrow_w + w > right) ImGui::NewLine();
      const ImVec2 p = ImGui::GetCursorScreenPos();
      const float h = ImGui::GetFrameHeight(), y = p.y + h / 2;
      ImDrawList* list = ImGui::GetWindowDrawList();
      const ImU32 ink = ImGui::GetColorU32(ImGuiCol_Text);
      list->AddLine(ImVec2(p.x + 1, y), ImVec2(p.x + arrow_w - 4, y), ink, 1.5f);
      const float tip = p.x + arrow_w - 1, back = p.x + arrow_w - 6;
      list->AddTriangleFilled(ImVec2(tip, y), ImVec2(back, y - 4), ImVec2(back, y + 4), ink);
      ImGui::Dummy(ImVec2(arrow_w, h));
      ImGui::SameLine(0, 2);
    }
    ImGui::PushID(static_cast<int>(i));
    ImGui::PushStyleColor(ImGuiCol_Button, region_color_v4(colours[i]));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, region_color_v4(colours[i]));
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, region_color_v4(colours[i]));
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.05f, 0.05f, 0.08f, 1));
    ImGui::Button(name.c_str());
    ImGui::PopStyleColor(4);
    ImGui::PopID();
  }
  if (colours.empty()) ImGui::TextDisabled("(none)");
}

}  // namespace hjepa
