// Saves the frame being drawn as a PNG. Reads the BACK buffer, so call it before display():
// Mesa's software renderer under Xvfb cannot read the front buffer.
#pragma once
#include <SFML/Graphics/RenderWindow.hpp>
#include <string>

namespace hjepa {

// Returns "" on success, else a message naming the file.
std::string save_back_buffer_png(const sf::RenderWindow& window, const std::string& path);
// "hjepa-screenshot-<n>.png" with the first n whose file does not exist yet, in the current dir.
std::string next_screenshot_name();

}  // namespace hjepa
