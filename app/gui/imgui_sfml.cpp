// SFML 2.5 platform layer for Dear ImGui 1.86 (io.KeyMap / io.KeysDown input model); see the header.
#include "app/gui/imgui_sfml.hpp"

#include <SFML/Window/Clipboard.hpp>
#include <SFML/Window/Cursor.hpp>
#include <SFML/Window/Mouse.hpp>
#include <array>
#include <cfloat>
#include <cstring>
#include <memory>
#include <string>

#include <backends/imgui_impl_opengl2.h>
#include <imgui.h>

namespace hjepa::imgui_sfml {
namespace {

struct PlatformData {
  sf::RenderWindow* window = nullptr;
  std::array<std::unique_ptr<sf::Cursor>, ImGuiMouseCursor_COUNT> cursors;
  ImGuiMouseCursor last_cursor = ImGuiMouseCursor_COUNT;
  bool button_down[5] = {};
  bool pressed_this_frame[5] = {};  // a press and release within one frame still counts as a click
  std::string clipboard;
};

PlatformData* platform() { return static_cast<PlatformData*>(ImGui::GetIO().BackendPlatformUserData); }

const char* clipboard_get(void* user) {
  auto* data = static_cast<PlatformData*>(user);
  data->clipboard = sf::Clipboard::getString().toAnsiString();
  return data->clipboard.c_str();
}

void clipboard_set(void*, const char* text) { sf::Clipboard::setString(sf::String::fromUtf8(text, text + std::strlen(text))); }

int mouse_index(sf::Mouse::Button button) {
  switch (button) {
    case sf::Mouse::Left: return 0;
    case sf::Mouse::Right: return 1;
    case sf::Mouse::Middle: return 2;
    case sf::Mouse::XButton1: return 3;
    case sf::Mouse::XButton2: return 4;
    default: return -1;
  }
}

void load_cursor(PlatformData& data, ImGuiMouseCursor imgui_cursor, sf::Cursor::Type type) {
  auto cursor = std::make_unique<sf::Cursor>();
  if (cursor->loadFromSystem(type)) data.cursors[imgui_cursor] = std::move(cursor);
}

// X11 reports the modifier state from before the event, so a modifier key's own press or
// release is applied on top of it.
void set_modifiers(ImGuiIO& io, const sf::Event::KeyEvent& key, bool down) {
  io.KeyCtrl = key.control;
  io.KeyShift = key.shift;
  io.KeyAlt = key.alt;
  io.KeySuper = key.system;
  switch (key.code) {
    case sf::Keyboard::LControl: case sf::Keyboard::RControl: io.KeyCtrl = down; break;
    case sf::Keyboard::LShift: case sf::Keyboard::RShift: io.KeyShift = down; break;
    case sf::Keyboard::LAlt: case sf::Keyboard::RAlt: io.KeyAlt = down; break;
    case sf::Keyboard::LSystem: case sf::Keyboard::RSystem: io.KeySuper = down; break;
    default: break;
  }
}

void update_cursor(PlatformData& data) {
  ImGuiIO& io = ImGui::GetIO();
  if (io.ConfigFlags & ImGuiConfigFlags_NoMouseCursorChange) return;
  const ImGuiMouseCursor wanted = io.MouseDrawCursor ? ImGuiMouseCursor_None : ImGui::GetMouseCursor();
  if (wanted == data.last_cursor) return;
  data.last_cursor = wanted;
  data.window->setMouseCursorVisible(wanted != ImGuiMouseCursor_None);
  if (wanted == ImGuiMouseCursor_None) return;
  const auto& cursor = data.cursors[wanted] ? data.cursors[wanted] : data.cursors[ImGuiMouseCursor_Arrow];
  if (cursor) data.window->setMouseCursor(*cursor);
}

}  // namespace

void init(sf::RenderWindow& window) {
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  auto* data = new PlatformData;
  data->window = &window;
  io.BackendPlatformUserData = data;
  io.BackendPlatformName = "hjepa_imgui_sfml";
  io.BackendFlags |= ImGuiBackendFlags_HasMouseCursors;

  io.KeyMap[ImGuiKey_Tab] = sf::Keyboard::Tab;
  io.KeyMap[ImGuiKey_LeftArrow] = sf::Keyboard::Left;
  io.KeyMap[ImGuiKey_RightArrow] = sf::Keyboard::Right;
  io.KeyMap[ImGuiKey_UpArrow] = sf::Keyboard::Up;
  io.KeyMap[ImGuiKey_DownArrow] = sf::Keyboard::Down;
  io.KeyMap[ImGuiKey_PageUp] = sf::Keyboard::PageUp;
  io.KeyMap[ImGuiKey_PageDown] = sf::Keyboard::PageDown;
  io.KeyMap[ImGuiKey_Home] = sf::Keyboard::Home;
  io.KeyMap[ImGuiKey_End] = sf::Keyboard::End;
  io.KeyMap[ImGuiKey_Insert] = sf::Keyboard::Insert;
  io.KeyMap[ImGuiKey_Delete] = sf::Keyboard::Delete;
  io.KeyMap[ImGuiKey_Backspace] = sf::Keyboard::BackSpace;
  io.KeyMap[ImGuiKey_Space] = sf::Keyboard::Space;
  io.KeyMap[ImGuiKey_Enter] = sf::Keyboard::Return;
  io.KeyMap[ImGuiKey_Escape] = sf::Keyboard::Escape;
  io.KeyMap[ImGuiKey_KeyPadEnter] = sf::Keyboard::Return;
  io.KeyMap[ImGuiKey_A] = sf::Keyboard::A;
  io.KeyMap[ImGuiKey_C] = sf::Keyboard::C;
  io.KeyMap[ImGuiKey_V] = sf::Keyboard::V;
  io.KeyMap[ImGuiKey_X] = sf::Keyboard::X;
  io.KeyMap[ImGuiKey_Y] = sf::Keyboard::Y;
  io.KeyMap[ImGuiKey_Z] = sf::Keyboard::Z;

  io.GetClipboardTextFn = clipboard_get;
  io.SetClipboardTextFn = clipboard_set;
  io.ClipboardUserData = data;

  load_cursor(*data, ImGuiMouseCursor_Arrow, sf::Cursor::Arrow);
  load_cursor(*data, ImGuiMouseCursor_TextInput, sf::Cursor::Text);
  load_cursor(*data, ImGuiMouseCursor_ResizeAll, sf::Cursor::SizeAll);
  load_cursor(*data, ImGuiMouseCursor_ResizeNS, sf::Cursor::SizeVertical);
  load_cursor(*data, ImGuiMouseCursor_ResizeEW, sf::Cursor::SizeHorizontal);
  load_cursor(*data, ImGuiMouseCursor_ResizeNESW, sf::Cursor::SizeBottomLeftTopRight);
  load_cursor(*data, ImGuiMouseCursor_ResizeNWSE, sf::Cursor::SizeTopLeftBottomRight);
  load_cursor(*data, ImGuiMouseCursor_Hand, sf::Cursor::Hand);
  load_cursor(*data, ImGuiMouseCursor_NotAllowed, sf::Cursor::NotAllowed);

  ImGui_ImplOpenGL2_Init();
}

void shutdown() {
  ImGui_ImplOpenGL2_Shutdown();
  delete platform();
  ImGui::GetIO().BackendPlatformUserData = nullptr;
  ImGui::DestroyContext();
}

void process_event(const sf::Event& event) {
  ImGuiIO& io = ImGui::GetIO();
  PlatformData& data = *platform();
  switch (event.type) {
    case sf::Event::MouseMoved:
      io.MousePos = ImVec2(static_cast<float>(event.mouseMove.x), static_cast<float>(event.mouseMove.y));
      break;
    case sf::Event::MouseButtonPressed:
    case sf::Event::MouseButtonReleased: {
      const int index = mouse_index(event.mouseButton.button);
      if (index < 0) break;
      const bool down = event.type == sf::Event::MouseButtonPressed;
      io.MousePos = ImVec2(static_cast<float>(event.mouseButton.x), static_cast<float>(event.mouseButton.y));
      data.button_down[index] = down;
      if (down) data.pressed_this_frame[index] = true;
      break;
    }
    case sf::Event::MouseWheelScrolled:
      if (event.mouseWheelScroll.wheel == sf::Mouse::VerticalWheel)
        io.MouseWheel += event.mouseWheelScroll.delta;
      else
        io.MouseWheelH += event.mouseWheelScroll.delta;
      break;
    case sf::Event::MouseLeft:
      io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
      break;
    case sf::Event::KeyPressed:
    case sf::Event::KeyReleased: {
      const int code = event.key.code;
      const bool down = event.type == sf::Event::KeyPressed;
      if (code >= 0 && code < static_cast<int>(IM_ARRAYSIZE(io.KeysDown))) io.KeysDown[code] = down;
      set_modifiers(io, event.key, down);
      break;
    }
    case sf::Event::TextEntered:
      if (event.text.unicode >= ' ' && event.text.unicode != 127) io.AddInputCharacter(event.text.unicode);
      break;
    case sf::Event::GainedFocus:
      io.AddFocusEvent(true);
      break;
    case sf::Event::LostFocus:
      io.AddFocusEvent(false);
      for (bool& down : data.button_down) down = false;
      break;
    default:
      break;
  }
}

void new_frame(sf::RenderWindow& window, float delta_seconds) {
  ImGuiIO& io = ImGui::GetIO();
  PlatformData& data = *platform();
  const sf::Vector2u size = window.getSize();
  io.DisplaySize = ImVec2(static_cast<float>(size.x), static_cast<float>(size.y));
  io.DisplayFramebufferScale = ImVec2(1, 1);
  io.DeltaTime = delta_seconds > 0 ? delta_seconds : 1e-4f;

  for (int i = 0; i < 5; ++i) {
    io.MouseDown[i] = data.button_down[i] || data.pressed_this_frame[i];
    data.pressed_this_frame[i] = false;
  }
  if (window.hasFocus() && io.WantSetMousePos)
    sf::Mouse::setPosition({static_cast<int>(io.MousePos.x), static_cast<int>(io.MousePos.y)}, window);

  update_cursor(data);
  ImGui_ImplOpenGL2_NewFrame();
  ImGui::NewFrame();
}

void render() {
  ImGui::Render();
  ImGui_ImplOpenGL2_RenderDrawData(ImGui::GetDrawData());
}

}  // namespace hjepa::imgui_sfml
