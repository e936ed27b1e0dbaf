// Dear ImGui platform layer for SFML 2.5 (written for this project; ImGui-SFML is not packaged).
// Implements: every sf::Event forwarded to ImGui (key map for Tab, arrows, PageUp/Down, Home, End,
// Insert, Delete, Backspace, Space, Enter, Escape, A/C/V/X/Y/Z; Ctrl/Shift/Alt/Super; mouse
// buttons, wheel, text via TextEntered; focus lost/gained; mouse leaving), delta time, display size
// and framebuffer scale, mouse cursor shapes, clipboard. Rendering uses the stock OpenGL2 renderer.
// The app reads io.WantCaptureMouse / io.WantCaptureKeyboard to decide whether the world gets an event.
#pragma once
#include <SFML/Graphics/RenderWindow.hpp>
#include <SFML/Window/Event.hpp>

namespace hjepa::imgui_sfml {

// Creates the ImGui context bound to `window` (its GL context must be current).
void init(sf::RenderWindow& window);
void shutdown();
// Feeds one event to ImGui; call for every event, before the app looks at it.
void process_event(const sf::Event& event);
// Starts an ImGui frame: display size, delta time, mouse cursor.
void new_frame(sf::RenderWindow& window, float delta_seconds);
// Renders the frame's ImGui draw data into the current GL context.
void render();

}  // namespace hjepa::imgui_sfml
