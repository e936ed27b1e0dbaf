// Back-buffer readback with glReadPixels, rows flipped into an sf::Image; see screenshot.hpp.
#include "app/gui/screenshot.hpp"

#include <SFML/Graphics/Image.hpp>
#include <SFML/OpenGL.hpp>
#include <filesystem>
#include <vector>

namespace hjepa {

std::string save_back_buffer_png(const sf::RenderWindow& window, const std::string& path) {
  const sf::Vector2u size = window.getSize();
  std::vector<sf::Uint8> pixels(static_cast<size_t>(size.x) * size.y * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, static_cast<GLsizei>(size.x), static_cast<GLsizei>(size.y), GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
  std::vector<sf::Uint8> flipped(pixels.size());
  const size_t row = static_cast<size_t>(size.x) * 4;
  for (unsigned y = 0; y < size.y; ++y)
    std::copy_n(pixels.begin() + (size.y - 1 - y) * row, row, flipped.begin() + y * row);
  for (size_t i = 3; i < flipped.size(); i += 4) flipped[i] = 255;
  sf::Image image;
  image.create(size.x, size.y, flipped.data());
  if (!image.saveToFile(path)) return "could not write screenshot \"" + path + "\"";
  return "";
}

std::string next_screenshot_name() {
  for (int n = 1;; ++n) {
    std::string name = "hjepa-screenshot-" + std::to_string(n) + ".png";
    if (!std::filesystem::exists(name)) return name;
  }
}

}  // namespace hjepa
