// Fonts of the desktop app: DejaVu Sans when installed (crisper than ImGui's built-in bitmap font
// at these sizes), else ImGui's default font at every size.
#pragma once
#include "app/gui/world_view.hpp"

namespace hjepa {

// Adds the UI font (made the default) and the world view's label and chip fonts to ImGui's atlas.
ViewFonts load_fonts();

}  // namespace hjepa
