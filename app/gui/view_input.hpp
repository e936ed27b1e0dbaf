// Keyboard shortcuts and mouse input of the world view, for the events Dear ImGui does not want
// (io.WantCaptureKeyboard / io.WantCaptureMouse): Space/S/R/N/F/F12, wheel zoom about the cursor,
// left-drag pan, ctrl+click or pick mode to append a region's colour, right-click to set the start,
// shift+click on a gate to open or close it in this episode.
#pragma once
#include <SFML/Graphics/RenderWindow.hpp>
#include <SFML/Window/Event.hpp>

#include "app/gui/app_state.hpp"

namespace hjepa {

class ViewInput {
 public:
  ViewInput(sf::RenderWindow& window, AppState& app) : window_(window), app_(app) {}
  // Call after imgui_sfml::process_event for every event.
  void handle(const sf::Event& event);
  // The region under the cursor while picking (pick mode on or ctrl held), else -1.
  int hovered_region() const;

 private:
  void key(const sf::Event::KeyEvent& k);
  void press(const sf::Event::MouseButtonEvent& b);

  sf::RenderWindow& window_;
  AppState& app_;
  bool dragging_ = false;
  bool mouse_in_window_ = false;
  sf::Vector2f last_mouse_;
};

}  // namespace hjepa
