// Settings file of the desktop app; see settings.hpp.
#include "app/gui/settings.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <system_error>
#include <type_traits>

#include "agent/config.hpp"
#include "app/gui/param_settings.hpp"
#include "sim/atomic_file.hpp"
#include "sim/json_reader.hpp"

namespace hjepa {
namespace {

using Json = JsonReader::Json;
constexpr const char* kFormat = "hjepa-settings/1";

// Reads keys of one JSON object through sim/json_reader, checking types and ranges; every problem is
// one warning line ("hjepa gui: settings <file>: <json path>: <found>; expected <expected>; using the
// default") and that key keeps its default.
class Reader {
 public:
  Reader(const std::filesystem::path& file, const Json& object, std::string path = "$")
      : rd_(file.string()), object_(object), path_(std::move(path)) {}

  // `detail` in the reader's form, then what happens.
  void warn(const std::string& detail, const char* consequence = "using the default") const {
    std::fprintf(stderr, "hjepa gui: settings %s: %s; %s\n", rd_.source().c_str(), detail.c_str(), consequence);
  }
  std::string path(const std::string& key) const { return member_path(path_, key); }
  void known(const std::string& key) { known_.insert(key); }
  // The value of `key`, or nullptr when absent; marks the key as known.
  const Json* find(const std::string& key) {
    known_.insert(key);
    const auto it = object_.find(key);
    return it == object_.end() ? nullptr : &*it;
  }
  template <class T>
  void number(const std::string& key, T& target, double lo, double hi) {
    read(key, [&](const Json& v) {
      if constexpr (std::is_integral_v<T>)
        target = static_cast<T>(rd_.integer(v, path(key), static_cast<int64_t>(lo), static_cast<int64_t>(hi)));
      else
        target = static_cast<T>(rd_.number(v, path(key), lo, hi));
    });
  }
  void boolean(const std::string& key, bool& target) {
    read(key, [&](const Json& v) { target = rd_.boolean(v, path(key)); });
  }
  std::optional<std::string> string(const std::string& key) {
    std::optional<std::string> out;
    read(key, [&](const Json& v) { out = rd_.string(v, path(key), "a string"); });
    return out;
  }
  // The nested object under `key` (nullptr when absent or not an object).
  const Json* object(const std::string& key) {
    const Json* out = nullptr;
    read(key, [&](const Json& v) { out = &rd_.object(v, path(key), {}, "an object"); });
    return out;
  }
  void warn_unknown() const {
    for (const auto& [key, value] : object_.items())
      if (!known_.count(key)) warn(path(key) + ": unknown key", "ignored");
  }

 private:
  JsonReader rd_;
  const Json& object_;
  std::string path_;
  std::set<std::string> known_;

  // Runs read(value) when `key` is present; a refusal becomes a warning.
  template <class F>
  void read(const std::string& key, F&& read) {
    const Json* v = find(key);
    if (!v) return;
    try {
      read(*v);
    } catch (const JsonError& e) {
      warn(e.detail());
    }
  }
};

// Overlay toggles by their settings names (the View panel's labels).
template <class F>
void for_each_overlay(Overlays& o, F f) {
  f("borders", o.borders);
  f("labels", o.labels);
  f("trail", o.trail);
  f("rays", o.rays);
  f("perceived", o.perceived);
  f("plan", o.plan);
  f("imagined", o.imagined);
  f("candidates", o.candidates);
  f("belief", o.belief);
  f("places", o.place_graph);
  f("route", o.route);
  f("subgoal", o.subgoal);
  f("legend", o.legend);
  f("task", o.task);
  f("help", o.help);
}

std::string task_text(const Task& task) {
  std::string out;
  for (Color c : task.colors) {
    if (!out.empty()) out += ',';
    out += color_name(c);
  }
  return out;
}

// Every value of the parameter table (agent/config.hpp) in the app, and back.
ParamValues param_values(const AppState& app) {
  ParamValues v;
  v.run = app.session.run_config();
  v.map = app.session.map_params;
  v.train = app.train_params;
  v.train2 = app.train2_params;
  return v;
}

void set_param_values(AppState& app, const ParamValues& v) {
  app.session.set_run_config(v.run);
  app.session.map_params = v.map;
  app.train_params = v.train;
  app.train2_params = v.train2;
}

}  // namespace

std::string apply_train_settings(AppState& app, const std::string& assignments) {
  std::string text = assignments;
  std::replace(text.begin(), text.end(), ',', ' ');
  std::istringstream words(text);
  ParamValues values = param_values(app);
  for (std::string word; words >> word;) {
    const size_t eq = word.find('=');
    const std::string key = word.substr(0, eq);
    const ParamSpec* p = find_param(key);
    if (!p || key.rfind("train.", 0) != 0) {
      std::string names;
      for (const ParamSpec& d : params())
        if (d.name.rfind("train.", 0) == 0) names += (names.empty() ? "" : ", ") + d.name;
      return "\"" + word + "\": expected train.NAME=VALUE with one of " + names;
    }
    const std::string value = eq == std::string::npos ? "" : word.substr(eq + 1);
    if (!number_text_problem(value, p->integer, p->lo, p->hi).empty()) return "\"" + word + "\": expected " + p->range_text();
    p->write(values, std::strtod(value.c_str(), nullptr));
  }
  set_param_values(app, values);
  return "";
}

std::filesystem::path settings_path() {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg && std::filesystem::path(xdg).is_absolute())
    return std::filesystem::path(xdg) / "hjepa" / "settings.json";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::filesystem::path(home) / ".config" / "hjepa" / "settings.json";
  return {};
}

LoadedSettings load_settings(const std::filesystem::path& path, AppState& app) {
  LoadedSettings loaded;
  std::error_code ec;
  if (path.empty() || !std::filesystem::exists(path, ec)) return loaded;
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) {
    std::fprintf(stderr, "hjepa gui: settings %s: cannot be read; using the defaults\n", path.string().c_str());
    return loaded;
  }
  const std::string document = std::string("a ") + kFormat + " JSON object";
  Json root;
  try {
    root = JsonReader(path.string()).parse(text.str(), document);
  } catch (const JsonError& e) {
    // Kept aside, since the file is rewritten on exit.
    std::filesystem::path kept = path;
    kept += ".invalid";
    std::filesystem::copy_file(path, kept, std::filesystem::copy_options::overwrite_existing, ec);
    std::fprintf(stderr, "hjepa gui: settings %s; using the defaults%s\n", e.what(),
                 ec ? "" : (" (the file is kept as " + kept.string() + ")").c_str());
    return loaded;
  }
  if (!root.is_object()) {
    std::fprintf(stderr, "hjepa gui: settings %s: %s; using the defaults\n", path.string().c_str(),
                 refusal_text("$", describe_json(root) + " is not an object", document).c_str());
    return loaded;
  }

  Reader r(path, root);
  if (const auto format = r.string("format"); format && *format != kFormat)
    r.warn(refusal_text(r.path("format"), describe_json(Json(*format)) + " is not the settings format tag", describe_json(Json(kFormat))),
           "reading what it can");

  Session& s = app.session;
  uint64_t map_seed = s.map_seed;
  r.number("map_seed", map_seed, 0, 1e18);
  s.map_seed = map_seed;
  // Every parameter of the table under its name, within its range.
  ParamValues values = param_values(app);
  for (const std::string& key : read_param_settings(JsonReader(path.string()), root, values, [&](const std::string& d) { r.warn(d); }))
    r.known(key);
  set_param_values(app, values);

  if (const auto agent = r.string("agent")) {
    if (is_agent_name(*agent))
      s.agent_name = *agent;
    else
      r.warn(refusal_text(r.path("agent"), describe_json(Json(*agent)) + " is not an agent", "one of " + agent_name_list()));
  }

  if (auto task = r.string("task")) {
    Task parsed;
    if (task->empty() || parse_task(*task, parsed).empty())
      loaded.task = *task;
    else
      r.warn(r.path("task") + ": " + parse_task(*task, parsed));
  }
  r.number("speed", app.steps_per_second, 1, 500);
  r.boolean("auto_reset", app.auto_reset);
  r.boolean("auto_train", app.auto_train);

  if (const Json* overlays = r.object("overlays")) {
    Reader o(path, *overlays, "$.overlays");
    for_each_overlay(app.overlays, [&](const char* key, bool& value) { o.boolean(key, value); });
    o.warn_unknown();
  }
  if (const Json* camera = r.object("camera")) {
    Reader c(path, *camera, "$.camera");
    const Json* centre = c.find("center");
    const bool centre_ok = centre && centre->is_array() && centre->size() == 2 && (*centre)[0].is_number() &&
                           (*centre)[1].is_number() && std::abs((*centre)[0].get<double>()) < 1e6 &&
                           std::abs((*centre)[1].get<double>()) < 1e6;
    if (centre && !centre_ok)
      c.warn(refusal_text(c.path("center"), describe_json(*centre) + " is not a point", "[x, y] in world units, each within 1e6"));
    double zoom = 0;
    c.number("pixels_per_unit", zoom, 2, 400);
    if (centre_ok && zoom > 0) {
      app.camera.center = {(*centre)[0].get<double>(), (*centre)[1].get<double>()};
      app.camera.pixels_per_unit = zoom;
      loaded.camera = true;
    }
    c.warn_unknown();
  }
  if (const Json* window = r.object("window")) {
    Reader w(path, *window, "$.window");
    unsigned width = 0, height = 0;
    w.number("width", width, 640, 16384);
    w.number("height", height, 400, 16384);
    if (width > 0 && height > 0) loaded.window_size = sf::Vector2u(width, height);
    w.warn_unknown();
  }
  r.warn_unknown();
  return loaded;
}

std::string save_settings(const std::filesystem::path& path, const AppState& app, sf::Vector2u window_size) {
  if (path.empty()) return "no settings file: neither XDG_CONFIG_HOME nor HOME is set";
  const Session& s = app.session;
  Json root;
  root["format"] = kFormat;
  root["map_seed"] = s.map_seed;
  root["task"] = task_text(s.task);
  root["agent"] = s.agent_name;
  write_param_settings(param_values(app), root);
  root["speed"] = app.steps_per_second;
  root["auto_reset"] = app.auto_reset;
  root["auto_train"] = app.auto_train;
  Json overlays = Json::object();
  Overlays o = app.overlays;
  for_each_overlay(o, [&](const char* key, bool& value) { overlays[key] = value; });
  root["overlays"] = overlays;
  root["camera"] = {{"center", {app.camera.center.x, app.camera.center.y}}, {"pixels_per_unit", app.camera.pixels_per_unit}};
  root["window"] = {{"width", window_size.x}, {"height", window_size.y}};

  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) return "cannot create " + path.parent_path().string() + ": " + ec.message();
  const std::string error = write_file_atomically(path.string(), root.dump(2) + "\n");
  if (!error.empty()) return path.string() + ": " + error;
  return "";
}

}  // namespace hjepa
