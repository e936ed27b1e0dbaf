// World-view input; see view_input.hpp.
#include "app/gui/view_input.hpp"

#include <SFML/Window/Keyboard.hpp>
#include <cmath>
#include <imgui.h>

namespace hjepa {
namespace {

bool ctrl_held() { return sf::Keyboard::isKeyPressed(sf::Keyboard::LControl) || sf::Keyboard::isKeyPressed(sf::Keyboard::RControl); }
bool shift_held() { return sf::Keyboard::isKeyPressed(sf::Keyboard::LShift) || sf::Keyboard::isKeyPressed(sf::Keyboard::RShift); }

// The gate within `reach` units of p (walls are thin), or -1.
int gate_at(const World& world, Vec2 p, double reach) {
  int gate = 0;
  for (const Obstacle& ob : world.obstacles) {
    if (!ob.is_gate()) continue;
    if (p.x > ob.min.x - reach && p.x < ob.max.x + reach && p.y > ob.min.y - reach && p.y < ob.max.y + reach) return gate;
    ++gate;
  }
  return -1;
}

}  // namespace

void ViewInput::handle(const sf::Event& event) {
  const ImGuiIO& io = ImGui::GetIO();
  switch (event.type) {
    case sf::Event::Closed:
      window_.close();
      break;
    case sf::Event::Resized:
      window_.setView(sf::View(sf::FloatRect(0, 0, static_cast<float>(event.size.width), static_cast<float>(event.size.height))));
      break;
    case sf::Event::KeyPressed:
      if (!io.WantCaptureKeyboard) key(event.key);
      break;
    case sf::Event::MouseWheelScrolled: {
      const sf::Vector2f p(static_cast<float>(event.mouseWheelScroll.x), static_cast<float>(event.mouseWheelScroll.y));
      if (!io.WantCaptureMouse && app_.camera.contains(p))
        app_.camera.zoom_about(p, std::pow(1.15, event.mouseWheelScroll.delta));
      break;
    }
    case sf::Event::MouseButtonPressed:
      if (!io.WantCaptureMouse) press(event.mouseButton);
      break;
    case sf::Event::MouseButtonReleased:
      if (event.mouseButton.button == sf::Mouse::Left) dragging_ = false;
      break;
    case sf::Event::MouseMoved: {
      const sf::Vector2f p(static_cast<float>(event.mouseMove.x), static_cast<float>(event.mouseMove.y));
      if (dragging_) app_.camera.pan_pixels(p - last_mouse_);
      last_mouse_ = p;
      mouse_in_window_ = true;
      break;
    }
    case sf::Event::MouseLeft:
      mouse_in_window_ = false;
      dragging_ = false;
      break;
    default:
      break;
  }
}

int ViewInput::hovered_region() const {
  const Session& s = app_.session;
  if (!s.world || !mouse_in_window_ || ImGui::GetIO().WantCaptureMouse || !app_.camera.contains(last_mouse_)) return -1;
  if (!app_.pick_mode && !ctrl_held()) return -1;
  const Vec2 p = app_.camera.to_world(last_mouse_);
  return s.world->in_bounds(p) ? s.world->region_at(p) : -1;
}

void ViewInput::key(const sf::Event::KeyEvent& k) {
  switch (k.code) {
    case sf::Keyboard::Space: app_.toggle_play(); break;
    case sf::Keyboard::S: app_.single_step(); break;
    case sf::Keyboard::R: app_.reset_episode(); break;
    case sf::Keyboard::N: app_.new_map(); break;
    case sf::Keyboard::F: app_.fit_pending = true; break;
    case sf::Keyboard::F12: app_.screenshot_pending = true; break;
    default: break;
  }
}

void ViewInput::press(const sf::Event::MouseButtonEvent& b) {
  const sf::Vector2f p(static_cast<float>(b.x), static_cast<float>(b.y));
  if (!app_.camera.contains(p) || !app_.session.world) return;
  const Vec2 w = app_.camera.to_world(p);
  const World& world = *app_.session.world;
  if (b.button == sf::Mouse::Right) {
    app_.set_start(w);
  } else if (b.button == sf::Mouse::Left) {
    if (const int gate = shift_held() ? gate_at(world, w, 8 / app_.camera.pixels_per_unit) : -1; gate >= 0) {
      app_.toggle_gate(gate);
    } else if ((ctrl_held() || app_.pick_mode) && world.in_bounds(w)) {
      app_.append_task_color(world.color_at(w));
    } else {
      dragging_ = true;
      last_mouse_ = p;
    }
  }
}

}  // namespace hjepa
