// Font loading for the desktop app; see fonts.hpp.
#include "app/gui/fonts.hpp"

#include <filesystem>
#include <imgui.h>

namespace hjepa {
namespace {

ImFont* add_font(const char* path, float size) {
  ImGuiIO& io = ImGui::GetIO();
  if (std::filesystem::exists(path)) return io.Fonts->AddFontFromFileTTF(path, size);
  ImFontConfig config;
  config.SizePixels = size;
  return io.Fonts->AddFontDefault(&config);
}

}  // namespace

ViewFonts load_fonts() {
  constexpr const char* kRegular = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  constexpr const char* kBold = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  io.FontDefault = add_font(kRegular, 15);
  ViewFonts fonts;
  fonts.label = add_font(kRegular, 14);
  fonts.chip = add_font(kBold, 16);
  return fonts;
}

}  // namespace hjepa
