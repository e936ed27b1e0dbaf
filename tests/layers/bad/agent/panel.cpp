// Fixture for the layers test: agent/ using ImGui, CLI11 and the app (all forbidden).
#include "imgui.h"
#include <CLI/CLI.hpp>
#include "app/cli_common.hpp"
