// run_gui: checks the options, opens the window (1600x900 or the saved size, at most 90% of the desktop) and runs the frame loop (events to ImGui
// first, then to ViewInput; playback; drawing; screenshots). With --frames N it renders N
// frames, saves --screenshot and exits. With --record FILE the episode running at launch is recorded
// (app/render's EpisodeRecorder, a frame per env step). Prints the median frame time on stderr at exit.
// Interactive runs load the saved settings (settings.hpp) before applying the flags, and save them on exit.
#include <SFML/Graphics/RenderWindow.hpp>
#include <SFML/Graphics/VertexArray.hpp>
#include <SFML/System/Clock.hpp>
#include <SFML/System/Sleep.hpp>
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <imgui.h>
#include <memory>
#include <string>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <vector>

#include "app/bench/suite.hpp"
#include "app/gui/app_state.hpp"
#include "app/gui/fonts.hpp"
#include "app/gui/gui.hpp"
#include "app/gui/imgui_sfml.hpp"
#include "app/gui/palette.hpp"
#include "app/gui/panels.hpp"
#include "app/gui/screenshot.hpp"
#include "app/gui/settings.hpp"
#include "app/gui/view_input.hpp"
#include "app/render/episode_recorder.hpp"
#include "sim/map_io.hpp"

namespace hjepa {
namespace {

// Ctrl+C (or SIGTERM) in the launching terminal closes the window the normal way, so the settings
// are still saved.
volatile std::sig_atomic_t g_stop_requested = 0;
void request_stop(int) { g_stop_requested = 1; }

constexpr unsigned kWindowWidth = 1600, kWindowHeight = 900;

// False when DISPLAY is unset, or names a local display (":N") whose X socket does not exist;
// SFML aborts the process if it cannot open the display, so this is checked first.
bool display_available() {
  const char* display = std::getenv("DISPLAY");
  if (!display || !*display) return false;
  const std::string d = display;
  if (d[0] != ':') return true;
  const std::string number = d.substr(1, d.find('.') - 1);
  return std::filesystem::exists("/tmp/.X11-unix/X" + number);
}

int no_display() {
  std::fputs(
      "hjepa gui: no display (DISPLAY is not set or its X server is not running).\n"
      "Headless equivalents:\n"
      "  hjepa run --map-seed 1 --task red,green,blue --agent oracle\n"
      "  xvfb-run -a -s \"-screen 0 1800x1000x24\" hjepa gui --frames 120 --screenshot shot.png\n",
      stderr);
  return 1;
}

// Fills the session from the options over the saved settings (`saved_task`, and the parameters
// already in `session`); returns an exit status (0 = fine) after printing any error.
int configure(const GuiOptions& options, Session& session, const std::optional<std::string>& saved_task) {
  if (options.map_file) {
    try {
      session.set_world(load_map(*options.map_file), *options.map_file);
    } catch (const MapError& e) {
      std::fprintf(stderr, "hjepa gui: %s\n", e.what());
      return 2;
    }
  } else {
    session.map_seed = options.map_seed.value_or(session.map_seed);
    if (const std::string problem = session.regenerate_map(); !problem.empty()) std::fprintf(stderr, "hjepa gui: %s\n", problem.c_str());
  }
  if (options.task) {
    const std::string error = parse_task(*options.task, session.task);
    if (!error.empty()) {
      std::fprintf(stderr, "hjepa gui: --task: %s\n", error.c_str());
      return 2;
    }
    for (Color c : session.task.colors)
      if (!session.on_map(c)) {
        std::string present;
        for (Color p : session.colors_on_map()) present += (present.empty() ? "" : ", ") + std::string(color_name(p));
        std::fprintf(stderr, "hjepa gui: --task \"%s\": %s is not on the map %s; its colours are %s\n",
                     options.task->c_str(), std::string(color_name(c)).c_str(), session.map_source.c_str(), present.c_str());
        return 2;
      }
  } else {
    session.task = default_task(*session.world);
    // The saved task, if it fits this map (it may not when --map or --map-seed chose another one).
    Task saved;
    if (saved_task && parse_task(*saved_task, saved).empty() &&
        std::all_of(saved.colors.begin(), saved.colors.end(), [&](Color c) { return session.on_map(c); }))
      session.task = saved;
  }
  if (options.agent) {
    if (!is_agent_name(*options.agent)) {
      std::fprintf(stderr, "hjepa gui: --agent \"%s\": unknown agent; expected one of %s\n", options.agent->c_str(),
                   agent_name_list().c_str());
      return 2;
    }
    session.agent_name = *options.agent;
  }
  session.episode_seed = options.seed;
  // Test hook: HJEPA_GUI_MODEL=FILE loads a model at launch and, unless --agent says otherwise,
  // selects the H-JEPA agent (for headless screenshots, which cannot click "Train").
  if (const char* path = std::getenv("HJEPA_GUI_MODEL"); path && *path) {
    try {
      session.set_model(std::make_shared<const ModelFile>(load_model(path, session.world->fingerprint())), path);
      if (!options.agent) session.agent_name = "hjepa";
    } catch (const ModelError& e) {
      std::fprintf(stderr, "hjepa gui: HJEPA_GUI_MODEL: %s\n", e.what());
      return 2;
    }
  }
  return 0;
}

// Dark theme. Panel backgrounds are left transparent in ImGui and painted opaque by SFML instead
// (see draw_panel_backgrounds): far cheaper than blended textured quads on Mesa's software renderer.
sf::Color apply_style() {
  ImGui::StyleColorsDark();
  ImGuiStyle& style = ImGui::GetStyle();
  style.WindowRounding = 0;
  style.FrameRounding = 3;
  style.GrabRounding = 3;
  // Panel shapes without the anti-aliased fringe (a third of their triangles, which Mesa's
  // software renderer pays for every frame; on 3-pixel corners it does not show). The world
  // view's background list keeps it (see the frame loop).
  style.AntiAliasedFill = false;
  style.WindowBorderSize = 1;
  style.WindowPadding = ImVec2(8, 6);
  style.ItemSpacing = ImVec2(6, 5);
  const ImVec4 bg = style.Colors[ImGuiCol_WindowBg];
  style.Colors[ImGuiCol_WindowBg].w = 0;
  ImGui::GetIO().IniFilename = nullptr;
  auto channel = [](float v) { return static_cast<sf::Uint8>(std::clamp(v, 0.f, 1.f) * 255 + 0.5f); };
  return sf::Color(channel(bg.x), channel(bg.y), channel(bg.z));
}

void draw_panel_backgrounds(sf::RenderTarget& target, sf::VertexArray& quads, const std::vector<sf::FloatRect>& rects,
                            sf::Color color) {
  quads.clear();
  for (const sf::FloatRect& r : rects) {
    const sf::Vector2f a(r.left, r.top), b(r.left + r.width, r.top), c(r.left + r.width, r.top + r.height), d(r.left, r.top + r.height);
    for (sf::Vector2f p : {a, b, c, a, c, d}) quads.append(sf::Vertex(p, color));
  }
  target.draw(quads, sf::RenderStates(sf::BlendNone));
}

// While a model trains in the background: what is training and how far, in a box over the bottom
// of the map (the Training tab has the losses).
// After a hand-over, the caption saying what happened, for a few seconds.
void draw_training_overlay(ImDrawList& list, const Camera& camera, AppState& app, const ViewFonts& fonts) {
  const bool busy = app.training.busy();
  if (!busy && app.handover_frames <= 0) return;
  char text[200];
  int done = 0, total = 1;
  if (busy) {
    const TrainingJob::Snapshot snap = app.training.snapshot();
    done = snap.step + snap.step2, total = std::max(1, snap.steps + snap.steps2);
    std::snprintf(text, sizeof text, "training the %s model: %s, step %d of %d, %.0f s of about %.0f s%s",
                  app.waiting_agent.empty() ? "learned agents'" : app.waiting_agent.c_str(), train_phase_name(snap.phase), done,
                  total, snap.seconds, app.expected_training_seconds(),
                  app.waiting_agent.empty() ? "" : " (the oracle drives meanwhile)");
  } else {
    --app.handover_frames;
    std::snprintf(text, sizeof text, "%s", app.handover_caption.c_str());
    done = total;
  }
  ImFont* font = fonts.label;
  const float size = font->FontSize, w = font->CalcTextSizeA(size, FLT_MAX, 0, text).x + 24;
  const ImVec2 lo(camera.viewport.left + 14, camera.viewport.top + camera.viewport.height - kHelpHeight - size - 30);
  const ImVec2 hi(lo.x + w, lo.y + size + 18);
  list.AddRectFilled(lo, hi, IM_COL32(20, 22, 28, 225), 5);
  const float fraction = std::clamp(static_cast<float>(done) / total, 0.f, 1.f);
  list.AddRectFilled(ImVec2(lo.x, hi.y - 4), ImVec2(lo.x + w * fraction, hi.y), IM_COL32(110, 170, 250, 255), 2);
  list.AddText(font, size, ImVec2(lo.x + 12, lo.y + 5), IM_COL32(230, 232, 240, 255), text);
}

}  // namespace

int run_gui(const GuiOptions& options) {
#ifdef __GLIBC__
  // Mesa's software renderer allocates and frees multi-megabyte buffers every frame; by default
  // glibc hands them back to the kernel each time and the next frame page-faults them in again
  // (~10% of the frame under Xvfb). Keep them in the heap instead.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
  AppState app;
  const bool headless = options.frames > 0;
  // Saved settings first, then the explicit flags over them; headless runs use neither file nor
  // saved values, so tests and screenshots are reproducible.
  app.settings_enabled = !headless;
  const std::filesystem::path settings_file = headless ? std::filesystem::path() : settings_path();
  std::error_code ec;
  // First launch (no settings file yet, or --first-launch): the H-JEPA is chosen; its model comes
  // from the cache or trains in the background while the oracle drives (AppState::ensure_model).
  const bool first_launch = options.first_launch || (!headless && !std::filesystem::exists(settings_file, ec));
  const LoadedSettings saved = load_settings(settings_file, app);
  if (headless) app.auto_train = first_launch;  // reproducible runs train only when asked to
  if (const int status = configure(options, app.session, saved.task); status != 0) return status;
  if (first_launch && !options.agent) app.session.agent_name = "hjepa";
  // Test hook: HJEPA_GUI_TRAIN=1 presses "Train" at launch (below); HJEPA_GUI_TRAIN="train.lr=1e6
  // train.steps=40" sets training parameters first (e.g. to watch a diverging run stop with its message).
  const char* train_env = std::getenv("HJEPA_GUI_TRAIN");
  const bool train_hook = train_env && *train_env && std::string(train_env) != "0";
  if (train_hook && std::string(train_env) != "1") {
    if (const std::string error = apply_train_settings(app, train_env); !error.empty()) {
      std::fprintf(stderr, "hjepa gui: HJEPA_GUI_TRAIN %s\n", error.c_str());
      return 2;
    }
  }
  // Test hook: HJEPA_GUI_TRAIN_PARAMS="train.steps=200 ..." sets training parameters without
  // training, so the app looks in the model cache under the key those parameters give.
  if (const char* params = std::getenv("HJEPA_GUI_TRAIN_PARAMS"); params && *params)
    if (const std::string error = apply_train_settings(app, params); !error.empty()) {
      std::fprintf(stderr, "hjepa gui: HJEPA_GUI_TRAIN_PARAMS %s\n", error.c_str());
      return 2;
    }
  // Before the window: ffmpeg on PATH, the file writable (the recorder starts once the window is open:
  // SFML aborts the process when it cannot open one, which would leave ffmpeg's temporary file behind).
  if (!options.record.path.empty())
    if (const std::string problem = video_target_problem(options.record); !problem.empty()) {
      std::fprintf(stderr, "hjepa gui: --record: %s\n", problem.c_str());
      return 2;
    }
  if (!display_available()) return no_display();
  if (saved.camera && !options.map_file && !options.map_seed) app.fit_pending = false;

  // The saved size (else 1600x900), at most 90% of the desktop the window opens on.
  const sf::VideoMode desktop = sf::VideoMode::getDesktopMode();
  sf::Vector2u window_size = saved.window_size.value_or(sf::Vector2u(kWindowWidth, kWindowHeight));
  if (desktop.width > 0 && desktop.height > 0)
    window_size = {std::min(window_size.x, desktop.width * 9 / 10), std::min(window_size.y, desktop.height * 9 / 10)};
  sf::RenderWindow window(sf::VideoMode(window_size.x, window_size.y), "hjepa-sim", sf::Style::Default,
                          sf::ContextSettings(0, 0, 0, 2, 1));
  if (!window.isOpen()) return no_display();
  sf::Vector2u last_size = window.getSize();  // kept for the save on exit, after the window has closed
  auto save = [&] {
    const std::string error = save_settings(settings_file, app, last_size);
    app.message = error.empty() ? "settings saved to " + settings_file.string() : error;
    if (!error.empty()) std::fprintf(stderr, "hjepa gui: %s\n", error.c_str());
  };
  if (headless) window.setPosition({0, 0});
  if (!headless) {
    std::signal(SIGINT, request_stop);
    std::signal(SIGTERM, request_stop);
  }
  // Interactively the loop sleeps to at most 60 frames per second (its own limiter, so the frame
  // times shown in the inspector exclude the sleep); with --frames it runs flat out, as measured.
  const sf::Time frame_budget = headless ? sf::Time::Zero : sf::seconds(1.f / 60);

  imgui_sfml::init(window);
  const sf::Color panel_background = apply_style();
  const ViewFonts fonts = load_fonts();

  app.reset_episode();
  // Test hook: HJEPA_GUI_TRAIN=1 selects the H-JEPA agent (unless --agent says otherwise) and
  // presses "Train" at launch (headless runs cannot click).
  if (train_hook) {
    if (!options.agent && app.session.agent_name != "hjepa") {
      app.session.agent_name = "hjepa";
      app.reset_episode();
    }
    app.start_training();
  }
  // Test hook: HJEPA_GUI_BENCH=SUITE opens the Bench tab and runs that suite with the random and
  // oracle agents at launch (headless runs cannot click).
  if (const char* suite = std::getenv("HJEPA_GUI_BENCH"); suite && *suite) {
    app.show_tab = AppState::Tab::Bench;
    app.bench.agents = {"random", "oracle"};
    const auto names = suite_names();
    if (const auto it = std::find(names.begin(), names.end(), suite); it != names.end()) app.bench.suite = static_cast<int>(it - names.begin());
    app.bench.job.start(suite, {"random", "oracle"}, 1, RunConfig{});
  }
  if (headless) {
    app.playing = true;
    app.fixed_steps_per_frame = 1;
  }
  int status = 0;
  std::unique_ptr<EpisodeRecorder> recorder;
  if (!options.record.path.empty()) {
    try {
      recorder = std::make_unique<EpisodeRecorder>(options.record);
    } catch (const VideoError& e) {
      std::fprintf(stderr, "hjepa gui: --record: %s\n", e.what());
      return 2;
    }
  }
  // The recording: the frame at the reset of the episode running now, then one per step (after_step)
  // with the overlays the user has on; closed when that episode ends or is replaced, or at exit.
  auto record = [&](bool closing) {
    if (!recorder) return;
    try {
      recorder->renderer().overlays() = app.overlays;
      recorder->renderer().overlays().help = false;
      recorder->update(app.session);
      if (closing) recorder->finish();
      if (!recorder->finished()) return;
      app.message = "recorded " + std::to_string(recorder->frames()) + " frames to " + recorder->path();
    } catch (const VideoError& e) {
      app.message = std::string("--record: ") + e.what();
      status = 1;
    }
    std::fprintf(stderr, "hjepa gui: %s\n", app.message.c_str());
    recorder.reset();
  };
  app.after_step = [&] { record(false); };
  record(false);
  ViewInput input(window, app);
  WorldView view;
  sf::Clock frame_clock;
  sf::Time slept;  // limiter sleep inside the last frame
  sf::VertexArray panel_quads(sf::Triangles);
  int frames_drawn = 0;

  while (window.isOpen()) {
    const sf::Time elapsed = frame_clock.restart();
    const float dt = elapsed.asSeconds();
    if (frames_drawn > 0) app.frames.add((elapsed - slept).asSeconds() * 1000.f);

    sf::Event event;
    while (window.pollEvent(event)) {
      imgui_sfml::process_event(event);
      input.handle(event);
    }
    if (g_stop_requested) window.close();
    if (!window.isOpen()) break;

    app.poll_training();
    app.advance(dt);
    record(false);  // the recorded episode may have ended, or been replaced (reset, new map)
    app.session.refresh_traces();
    const sf::Vector2u size = window.getSize();
    last_size = size;
    app.camera.viewport = sf::FloatRect(0, 0, std::max(100.f, size.x - kPanelsWidth), static_cast<float>(size.y));
    if (app.fit_pending && app.session.world) {
      fit_camera_to_map(app.camera, *app.session.world);
      app.fit_pending = false;
    }

    imgui_sfml::new_frame(window, dt);
    draw_panels(app, static_cast<float>(size.x), static_cast<float>(size.y));

    window.resetGLStates();
    const palette::Rgb bg = palette::kBackground;
    window.clear(sf::Color(bg.r, bg.g, bg.b));
    ImDrawList& background = *ImGui::GetBackgroundDrawList();
    background.Flags |= ImDrawListFlags_AntiAliasedFill;
    view.draw_world(window, app.camera, app.session, app.overlays, fonts);
    view.draw_overlays(background, app.camera, app.session, app.overlays, fonts, input.hovered_region());
    draw_training_overlay(background, app.camera, app, fonts);
    draw_panel_backgrounds(window, panel_quads, app.panel_rects, panel_background);
    imgui_sfml::render();
    // Headless runs count frames once background training is done, so --frames N shows its result.
    if (!headless || !app.training.busy()) ++frames_drawn;
    else sf::sleep(sf::milliseconds(5));  // leave the cores to the training threads

    const bool last_frame = headless && frames_drawn >= options.frames;
    if (app.screenshot_pending || (last_frame && !options.screenshot.empty())) {
      const std::string path = last_frame && !options.screenshot.empty() ? options.screenshot : next_screenshot_name();
      const std::string error = save_back_buffer_png(window, path);
      app.message = error.empty() ? "saved " + path : error;
      std::fprintf(stderr, "hjepa gui: %s\n", app.message.c_str());
      if (!error.empty() && last_frame) status = 1;
      app.screenshot_pending = false;
    }
    if (app.save_settings_pending) {
      app.save_settings_pending = false;
      if (app.settings_enabled) save();
    }
    window.display();
    if (last_frame) window.close();
    slept = sf::Time::Zero;
    if (const sf::Time work = frame_clock.getElapsedTime(); work < frame_budget) {
      sf::sleep(frame_budget - work);
      slept = frame_clock.getElapsedTime() - work;
    }
  }

  record(true);
  app.after_step = nullptr;
  if (app.settings_enabled) save();
  imgui_sfml::shutdown();
  const float median = app.frames.median();
  std::fprintf(stderr, "frames: %d, median frame time: %.2f ms (%.0f fps)\n", frames_drawn, median,
               median > 0 ? 1000.f / median : 0.f);
  return status;
}

}  // namespace hjepa
