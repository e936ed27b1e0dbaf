// Everything the desktop app remembers between frames (session, camera, overlays, playback) and
// the user commands shared by the keyboard shortcuts and the panel buttons.
#pragma once
#include <SFML/Graphics/Rect.hpp>
#include <functional>
#include <string>
#include <vector>

#include "app/gui/camera.hpp"
#include "app/gui/frame_stats.hpp"
#include "app/gui/bench_panel.hpp"
#include "app/gui/session.hpp"
#include "app/gui/training.hpp"
#include "app/gui/world_view.hpp"

namespace hjepa {

struct AppState {
  Session session;
  Camera camera;
  Overlays overlays;
  FrameStats frames;
  TrainingJob training;          // background training of both levels (Training panel)
  Level1TrainParams train_params;
  Level2TrainParams train2_params;
  BenchPanelState bench;         // background benchmark runs (Bench tab)
  uint64_t train_seed = 1;
  std::string model_path = "model.hjepa";  // Load / Save model text field
  std::string model_message;     // last load/save/training outcome

  bool playing = false;
  double steps_per_second = 8;   // playback speed, env steps per second
  int fixed_steps_per_frame = 0; // > 0: exactly this many steps per frame (headless rendering)
  bool auto_reset = true;        // after an episode ends, show it for kAutoResetPause then start the next
  bool pick_mode = false;        // left-click in the view appends the clicked region's colour to the task
  bool fit_pending = true;       // fit the camera to the map on the next frame
  bool screenshot_pending = false;
  bool save_settings_pending = false;  // the "Save settings" button (handled by the frame loop)
  bool settings_enabled = false;       // false with --frames: no settings file is read or written
  // A learned agent chosen without a model for this map: train one in the background by itself
  // (the oracle drives meanwhile and hands over when it is ready); off: a "Train now" button.
  bool auto_train = true;
  std::string waiting_agent;     // the learned agent the oracle stands in for while its model trains
  std::string handover_caption;  // "model ready after N s of training: the H-JEPA drives now"
  int handover_frames = 0;       // frames left to show it over the map
  std::string message;           // last user-facing note (screenshot saved, bad start point, ...)
  enum class Tab { Keep, Inspector, Training, Bench };
  Tab show_tab = Tab::Keep;      // bring this tab of the second column forward on the next frame
  std::vector<sf::FloatRect> panel_rects;  // this frame's panel windows (their backgrounds are drawn by SFML)
  std::function<void()> after_step;        // called after every env step the app takes (--record draws a frame)

  static constexpr double kAutoResetPause = 1.0;  // seconds

  void toggle_play();
  void single_step();
  void reset_episode();
  void new_map();           // next map seed
  void regenerate_map();    // same seed, current MapParams
  void append_task_color(Color c);
  void set_start(Vec2 p);
  void toggle_gate(int gate);  // opens or closes the map's gate g in the current episode (shift+click, Simulation panel)
  // Runs the env at the chosen speed for a frame of `dt` seconds (auto reset included).
  void advance(double dt);
  // Starts background training on the current map; poll_training (every frame) installs the result.
  void start_training();
  void poll_training();
  // The model cache file (shared with hjepa run and bench) for this map, env and training config
  // ("" without a cache directory).
  std::string cache_file() const;
  // When the chosen agent needs a model the session lacks: load it from the cache, else (auto_train)
  // start training with the oracle standing in. Called by reset_episode.
  void ensure_model();
  // Starts training for the chosen learned agent; the oracle drives until the model is ready.
  void train_for_agent();
  // Seconds a training run with the current parameters is expected to take on this machine.
  double expected_training_seconds() const;
  void load_model_file();
  void save_model_file();
  // After a new model: selects the H-JEPA agent unless a learned agent already runs; returns its
  // name for the message ("the H-JEPA agent").
  std::string use_learned_agent();

 private:
  double step_debt_ = 0;        // fractional steps carried to the next frame
  double last_training_seconds_ = 0, last_training_work_ = 0;  // the last run trained in this app
  double finished_for_ = 0;     // seconds since the episode ended
};

}  // namespace hjepa
