// Settings of the desktop app remembered between launches: a JSON file at
// $XDG_CONFIG_HOME/hjepa/settings.json (fallback ~/.config/hjepa/settings.json) holding the panel
// every parameter of the table (agent/config.hpp) under its name, checked against its range
// (map.width, env.noise_motion, agent.planner.type, agent.planner.horizon, train.lr, ...; an older
// file's "agent.planner" is read as agent.planner.type), map_seed, task and agent as the CLI spells
// them, plus the speed, overlay toggles, camera and window size. Loading never fails: a missing file is
// fine; an unreadable or invalid file, or a bad key or value, prints one warning line on stderr
// naming the file and the key, and that key keeps its default. Saving writes a temporary file
// beside it and renames it over the old one. Not used with --frames (headless runs stay reproducible).
#pragma once
#include <SFML/System/Vector2.hpp>
#include <filesystem>
#include <optional>
#include <string>

#include "app/gui/app_state.hpp"

namespace hjepa {

// What the file says beyond the AppState fields it sets directly.
struct LoadedSettings {
  std::optional<std::string> task;          // "red,green,blue" (checked against the map later)
  std::optional<sf::Vector2u> window_size;
  bool camera = false;                      // the camera was restored (skip the initial fit)
};

// The settings file's path; empty when neither XDG_CONFIG_HOME nor HOME is set.
std::filesystem::path settings_path();

// Reads `path` into app.session's parameters (map, env, agent, map seed), app's speed, auto reset,
// overlays and camera. Warnings go to stderr.
LoadedSettings load_settings(const std::filesystem::path& path, AppState& app);

// Applies "train.lr=1e6 train.steps=40" (assignments separated by spaces or commas) to the
// Training tab's parameters, each checked against its declared range; returns an error message
// naming the bad assignment, empty on success. Used by the HJEPA_GUI_TRAIN test hook.
std::string apply_train_settings(AppState& app, const std::string& assignments);

// Writes the current values atomically; returns an error message, empty on success.
std::string save_settings(const std::filesystem::path& path, const AppState& app, sf::Vector2u window_size);

}  // namespace hjepa
