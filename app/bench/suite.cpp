// Reading and writing suite files (see suite.hpp), read through sim/json_reader: every refusal reads
// "<file>: <json path>: <what was found>; expected <what was expected>".
#include "app/bench/suite.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "agent/config.hpp"
#include "app/usage_error.hpp"
#include "sim/json_reader.hpp"

namespace hjepa {

namespace {

namespace fs = std::filesystem;
using Json = JsonReader::Json;

// The shapes of the suite's arrays: "a non-empty array of <what> (at most <max_items>)".
const Json& nonempty_array(const JsonReader& rd, const Json& j, const std::string& path, const std::string& what, size_t max_items) {
  return rd.array(j, path, "a non-empty array of " + what + " (at most " + std::to_string(max_items) + ")", 1, max_items);
}

uint64_t read_seed(const JsonReader& rd, const Json& j, const std::string& path) {
  return rd.unsigned_integer(j, path, UINT64_MAX, "a seed: an integer in [0, 18446744073709551615]");
}

// A number of the parameter table (agent/config.hpp) at `path`, within the table's range.
double read_param(const JsonReader& rd, const Json& j, const std::string& path, const std::string& name) {
  const ParamSpec& p = declared(name);
  if (p.integer) return static_cast<double>(rd.integer(j, path, static_cast<int64_t>(p.lo), static_cast<int64_t>(p.hi)));
  return rd.number(j, path, p.lo, p.hi);
}

// A text parameter of the table at `path`: one of its choices.
std::string read_choice(const JsonReader& rd, const Json& j, const std::string& path, const std::string& name) {
  const ParamSpec& p = declared(name);
  std::string expected = "one of";
  for (size_t i = 0; i < p.choices.size(); ++i) expected += (i ? ", \"" : " \"") + p.choices[i] + "\"";
  const std::string s = rd.string(j, path, expected);
  if (std::find(p.choices.begin(), p.choices.end(), s) == p.choices.end()) rd.refuse(path, "\"" + s + "\"", expected);
  return s;
}

SuiteNoise read_noise(const JsonReader& rd, const Json& j, const std::string& path) {
  rd.object(j, path, {"motion", "perception", "range"});
  SuiteNoise n;
  if (j.contains("motion")) n.motion = read_param(rd, j["motion"], path + ".motion", "env.noise_motion");
  if (j.contains("perception")) n.perception = read_param(rd, j["perception"], path + ".perception", "env.noise_perception");
  if (j.contains("range")) n.range = read_param(rd, j["range"], path + ".range", "env.noise_range");
  return n;
}

void read_maps(const JsonReader& rd, const Json& j, Suite& s) {
  rd.object(j, "$.maps", {"seeds", "seed_range", "files"});
  std::set<int64_t> seen;
  auto add_seed = [&](int64_t seed, const std::string& path) {
    if (!seen.insert(seed).second) rd.refuse(path, "map seed " + std::to_string(seed) + " is listed twice", "each map once");
    s.maps.push_back(SuiteMap{seed, "", {}});
  };
  constexpr int64_t kMaxSeed = int64_t{1} << 53;
  if (j.contains("seeds")) {
    const Json& seeds = nonempty_array(rd, j["seeds"], "$.maps.seeds", "map seeds", 100000);
    for (size_t i = 0; i < seeds.size(); ++i) {
      const std::string path = "$.maps.seeds[" + std::to_string(i) + "]";
      add_seed(rd.integer(seeds[i], path, 0, kMaxSeed), path);
    }
  }
  if (j.contains("seed_range")) {
    const Json& range = j["seed_range"];
    const std::string expected = "[first, last]: two map seeds with first <= last, at most 100000 maps";
    if (!range.is_array() || range.size() != 2) rd.refuse("$.maps.seed_range", describe_json(range) + " is not a pair", expected);
    const int64_t first = rd.integer(range[0], "$.maps.seed_range[0]", 0, kMaxSeed);
    const int64_t last = rd.integer(range[1], "$.maps.seed_range[1]", 0, kMaxSeed);
    if (last < first || last - first >= 100000) rd.refuse("$.maps.seed_range", describe_json(range) + " is not a valid range", expected);
    for (int64_t seed = first; seed <= last; ++seed) add_seed(seed, "$.maps.seed_range");
  }
  if (j.contains("files")) {
    const Json& files = nonempty_array(rd, j["files"], "$.maps.files", "map files: paths relative to the suite file, or {\"file\", \"tasks\"}", 100000);
    const fs::path base = fs::absolute(fs::path(s.path)).parent_path();
    for (size_t i = 0; i < files.size(); ++i) {
      const std::string path = "$.maps.files[" + std::to_string(i) + "]";
      SuiteMap m;
      std::string name;
      if (files[i].is_object()) {
        rd.object(files[i], path, {"file", "tasks"});
        name = rd.string(rd.field(files[i], path, "file", "a path to a hjepa-map/1 file"), path + ".file", "a path to a hjepa-map/1 file");
        if (files[i].contains("tasks")) {
          const Json& tasks = nonempty_array(rd, files[i]["tasks"], path + ".tasks", "tasks such as \"red,green\"", 1000);
          for (size_t k = 0; k < tasks.size(); ++k) {
            const std::string task_path = path + ".tasks[" + std::to_string(k) + "]";
            Task t;
            const std::string err = parse_task(rd.string(tasks[k], task_path, "a task such as \"red,green,blue\""), t);
            if (!err.empty()) throw UsageError(rd.source() + ": " + task_path + ": " + err);
            m.tasks.push_back(t);
          }
        }
      } else {
        name = rd.string(files[i], path, "a path to a hjepa-map/1 file, or {\"file\": path, \"tasks\": [...]}");
      }
      const fs::path p(name);
      m.file = (p.is_absolute() ? p : base / p).lexically_normal().string();
      s.maps.push_back(m);
    }
  }
  if (s.maps.empty()) rd.refuse("$.maps", "no maps", R"(at least one map: "seeds", "seed_range" or "files")");
}

void read_map_params(const JsonReader& rd, const Json& j, MapParams& p) {
  rd.object(j, "$.map_params", {"style", "width", "height", "regions", "obstacles", "gates"});
  if (j.contains("style")) {
    const ParamSpec& d = declared("map.style");
    const std::string name = rd.string(j["style"], "$.map_params.style", d.range_text());
    const std::optional<MapStyle> style = parse_map_style(name);
    if (!style) rd.refuse("$.map_params.style", describe_json(j["style"]) + " is not a map style", d.range_text());
    p.style = *style;
  }
  if (j.contains("width")) p.width = read_param(rd, j["width"], "$.map_params.width", "map.width");
  if (j.contains("height")) p.height = read_param(rd, j["height"], "$.map_params.height", "map.height");
  if (j.contains("regions")) p.num_regions = static_cast<int>(read_param(rd, j["regions"], "$.map_params.regions", "map.regions"));
  if (j.contains("obstacles"))
    p.num_obstacles = static_cast<int>(read_param(rd, j["obstacles"], "$.map_params.obstacles", "map.obstacles"));
  if (j.contains("gates")) {
    p.num_gates = static_cast<int>(read_param(rd, j["gates"], "$.map_params.gates", "map.gates"));
    if (const std::string problem = map_params_problem(p); !problem.empty())
      rd.refuse("$.map_params.gates", describe_json(j["gates"]) + " gates on an " + map_style_name(p.style) + " map",
                R"("style": "maze" (gates are doors in a maze's walls) or no gates)");
  }
}

SuiteTasks read_task_entry(const JsonReader& rd, const Json& j, const std::string& path) {
  rd.object(j, path, {"colors", "length", "per_map", "seeded_only"});
  SuiteTasks t;
  if (j.contains("seeded_only")) t.seeded_only = rd.boolean(j["seeded_only"], path + ".seeded_only");
  const std::string expected = R"({"colors": "red,green"} or {"length": L, "per_map": N}, either with "seeded_only": true)";
  if (j.contains("colors")) {
    if (j.contains("length") || j.contains("per_map")) rd.refuse(path, "both explicit colours and generated tasks", expected);
    const std::string text = rd.string(j["colors"], path + ".colors", "a task such as \"red,green,blue\"");
    const std::string err = parse_task(text, t.colors);
    if (!err.empty()) throw UsageError(rd.source() + ": " + path + ".colors: " + err);
    return t;
  }
  if (!j.contains("length") || !j.contains("per_map")) rd.refuse(path, "an incomplete task entry", expected);
  t.length = static_cast<int>(rd.integer(j["length"], path + ".length", 1, kMaxTaskLength));
  t.per_map = static_cast<int>(rd.integer(j["per_map"], path + ".per_map", 1, 1000));
  return t;
}

// The table's train.* parameters, each with its key in a suite's "train": the name after "train.",
// dots as underscores ("train.mode1.rounds" -> "mode1_rounds").
std::vector<std::pair<const ParamSpec*, std::string>> train_keys() {
  std::vector<std::pair<const ParamSpec*, std::string>> keys;
  for (const ParamSpec& p : params())
    if (is_train_setting(p.name)) {
      std::string key = p.name.substr(std::string("train.").size());
      std::replace(key.begin(), key.end(), '.', '_');
      keys.emplace_back(&p, key);
    }
  return keys;
}

// Bounds and choices from the table (agent/config.hpp), as the CLI flags and the app use.
void read_train(const JsonReader& rd, const Json& j, Level1TrainParams& tp, Level2TrainParams& tp2) {
  const auto keys = train_keys();
  std::vector<std::string> names;
  for (const auto& [p, key] : keys) names.push_back(key);
  rd.object(j, "$.train", names);
  ParamValues v;
  v.train = tp, v.train2 = tp2;
  for (const auto& [p, key] : keys) {
    if (!j.contains(key)) continue;
    const std::string path = "$.train." + key;
    if (p->choices.empty()) p->write(v, read_param(rd, j[key], path, p->name));
    else p->write_text(v, read_choice(rd, j[key], path, p->name));
  }
  tp = v.train, tp2 = v.train2;
}

// The effective suite's "train" (it is hashed into the run's config): the first eight keys always,
// every other parameter only where it is not the default; first in the order runs before the table
// drove this wrote them (so their hashes hold), then any other train.* parameter in table order.
Json train_json(const Level1TrainParams& tp, const Level2TrainParams& tp2) {
  static const std::vector<std::string> hash_order = {
      "steps", "sequences", "polish_steps", "head_steps", "probe_steps", "heldout_sequences", "distance_steps",
      "level2_steps", "lr", "z_values", "polish_short_unroll", "polish_from_belief", "z_source", "level2_belief_gain",
      "mode1_rounds", "mode1_episodes", "mode1_heldout_episodes", "mode1_episode_steps", "mode1_steps"};
  constexpr size_t kAlways = 8;
  auto keys = train_keys();
  auto rank = [&](const std::string& key) {
    return static_cast<size_t>(std::find(hash_order.begin(), hash_order.end(), key) - hash_order.begin());
  };
  std::stable_sort(keys.begin(), keys.end(), [&](const auto& a, const auto& b) { return rank(a.second) < rank(b.second); });
  ParamValues v;
  v.train = tp, v.train2 = tp2;
  const ParamValues defaults;
  Json out = Json::object();
  for (const auto& [p, key] : keys) {
    const bool write = rank(key) < kAlways;
    if (!p->choices.empty()) {
      if (write || p->read_text(v) != p->read_text(defaults)) out[key] = p->read_text(v);
    } else if (const double x = p->read(v); write || x != p->read(defaults)) {
      out[key] = p->integer ? Json(static_cast<int64_t>(x)) : Json(x);
    }
  }
  return out;
}

Json noise_json(const SuiteNoise& n) { return {{"motion", n.motion}, {"perception", n.perception}, {"range", n.range}}; }

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError(path + ": cannot open the suite file; expected a readable " + std::string(kSuiteFormat) + " JSON file");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Suite read_suite(const JsonReader& rd, const std::string& text, const std::string& source) {
  const Json doc = rd.parse(text, std::string("a ") + kSuiteFormat + " JSON object");
  rd.object(doc, "$", {"format", "name", "description", "run", "maps", "map_params", "tasks", "task_seed", "starts", "noise", "train_noise",
                       "max_steps", "model_seeds", "train", "seed"});
  if (!doc.contains("format")) rd.refuse("$.format", "missing", std::string("\"") + kSuiteFormat + "\"");
  if (const std::string f = rd.string(doc["format"], "$.format", kSuiteFormat); f != kSuiteFormat)
    rd.refuse("$.format", "\"" + f + "\" is not the suite format tag", std::string("\"") + kSuiteFormat + "\"");

  Suite s;
  s.path = source;
  s.name = fs::path(source).stem().string();
  if (doc.contains("name")) {
    s.name = rd.string(doc["name"], "$.name", "a suite name (letters, digits, '-', '_', '.')");
    const bool plain = !s.name.empty() && s.name.size() <= 64 && std::all_of(s.name.begin(), s.name.end(), [](unsigned char c) {
      return std::isalnum(c) || c == '-' || c == '_' || c == '.';
    });
    if (!plain) rd.refuse("$.name", describe_json(doc["name"]) + " is not a plain name", "1 to 64 letters, digits, '-', '_' or '.'");
  }
  if (doc.contains("run") && !doc["run"].is_object())
    rd.refuse("$.run", describe_json(doc["run"]) + " is not an object", "the record hjepa bench writes (ignored when read)");
  if (doc.contains("description")) s.description = rd.string(doc["description"], "$.description", "a string");
  if (!doc.contains("maps")) rd.refuse("$.maps", "missing", R"({"seeds": [...]}, {"seed_range": [first, last]} or {"files": [...]})");
  read_maps(rd, doc["maps"], s);
  if (doc.contains("map_params")) read_map_params(rd, doc["map_params"], s.map_params);
  const bool every_map_has_tasks =
      std::all_of(s.maps.begin(), s.maps.end(), [](const SuiteMap& m) { return !m.tasks.empty(); });
  if (!doc.contains("tasks") && !every_map_has_tasks)
    rd.refuse("$.tasks", "missing", "an array of task entries (optional only when every map file lists its own tasks)");
  if (doc.contains("tasks")) {
    const Json& tasks = nonempty_array(rd, doc["tasks"], "$.tasks", "task entries", 1000);
    for (size_t i = 0; i < tasks.size(); ++i) s.tasks.push_back(read_task_entry(rd, tasks[i], "$.tasks[" + std::to_string(i) + "]"));
    const bool files_get_tasks = std::any_of(s.tasks.begin(), s.tasks.end(), [](const SuiteTasks& t) { return !t.seeded_only; });
    for (const SuiteMap& m : s.maps)
      if (!files_get_tasks && !m.file.empty() && m.tasks.empty())
        rd.refuse("$.tasks", "every entry is seeded_only and map file " + fs::path(m.file).filename().string() + " lists no tasks",
                  "tasks for every map: list them under that map file, or an entry without \"seeded_only\"");
  }
  if (doc.contains("task_seed")) s.task_seed = read_seed(rd, doc["task_seed"], "$.task_seed");
  if (doc.contains("starts")) s.starts = static_cast<int>(rd.integer(doc["starts"], "$.starts", 1, 1000));
  if (doc.contains("noise")) {
    const Json& noise = nonempty_array(rd, doc["noise"], "$.noise", "noise settings {\"motion\", \"perception\", \"range\"}", 100);
    s.noise.clear();
    for (size_t i = 0; i < noise.size(); ++i) s.noise.push_back(read_noise(rd, noise[i], "$.noise[" + std::to_string(i) + "]"));
  }
  if (doc.contains("train_noise")) s.train_noise = read_noise(rd, doc["train_noise"], "$.train_noise");
  if (doc.contains("max_steps")) s.max_steps = static_cast<int>(read_param(rd, doc["max_steps"], "$.max_steps", "env.max_steps"));
  if (doc.contains("model_seeds")) {
    const Json& seeds = nonempty_array(rd, doc["model_seeds"], "$.model_seeds", "model seeds", 100);
    s.model_seeds.clear();
    for (size_t i = 0; i < seeds.size(); ++i) {
      const std::string path = "$.model_seeds[" + std::to_string(i) + "]";
      const uint64_t seed = read_seed(rd, seeds[i], path);
      if (std::find(s.model_seeds.begin(), s.model_seeds.end(), seed) != s.model_seeds.end())
        rd.refuse(path, "model seed " + std::to_string(seed) + " is listed twice", "each model seed once");
      s.model_seeds.push_back(seed);
    }
  }
  if (doc.contains("train")) read_train(rd, doc["train"], s.train, s.train2);
  if (doc.contains("seed")) s.seed = read_seed(rd, doc["seed"], "$.seed");
  return s;
}

}  // namespace

Suite suite_from_json(const std::string& text, const std::string& source) {
  try {
    return read_suite(JsonReader(source), text, source);
  } catch (const JsonError& e) {
    throw UsageError(e.what());
  }
}

namespace {

// The effective suite as JSON text; `portable`: each map file by its file name alone (see
// suite_to_portable_json), else as an absolute path.
std::string write_suite(const Suite& s, const std::string& run, bool portable) {
  Json maps = Json::object();
  Json seeds = Json::array(), files = Json::array();
  for (const SuiteMap& m : s.maps) {
    if (m.file.empty()) {
      seeds.push_back(m.seed);
      continue;
    }
    const std::string file = portable ? fs::path(m.file).filename().string() : fs::absolute(m.file).lexically_normal().string();
    if (m.tasks.empty()) {
      files.push_back(file);
    } else {
      Json tasks = Json::array();
      for (const Task& t : m.tasks) tasks.push_back(task_to_string(t));
      files.push_back({{"file", file}, {"tasks", tasks}});
    }
  }
  if (!seeds.empty()) maps["seeds"] = seeds;
  if (!files.empty()) maps["files"] = files;
  Json tasks = Json::array();
  for (const SuiteTasks& t : s.tasks) {
    Json entry = t.colors.colors.empty() ? Json{{"length", t.length}, {"per_map", t.per_map}} : Json{{"colors", task_to_string(t.colors)}};
    if (t.seeded_only) entry["seeded_only"] = true;  // left out when false, as in the files before the key existed
    tasks.push_back(entry);
  }
  Json noise = Json::array();
  for (const SuiteNoise& n : s.noise) noise.push_back(noise_json(n));
  Json map_params = Json::object();
  // The default style is left out, so the effective suites (and run hashes) of open-map suites are as before.
  if (s.map_params.style != MapStyle::Open) map_params["style"] = map_style_name(s.map_params.style);
  map_params["width"] = s.map_params.width;
  map_params["height"] = s.map_params.height;
  map_params["regions"] = s.map_params.num_regions;
  map_params["obstacles"] = s.map_params.num_obstacles;
  if (s.map_params.num_gates > 0) map_params["gates"] = s.map_params.num_gates;  // left out at 0, as style
  Json doc = {{"format", kSuiteFormat}, {"name", s.name}, {"description", s.description}, {"maps", maps}, {"map_params", map_params}};
  if (!tasks.empty()) doc["tasks"] = tasks;  // absent when every map file lists its own (an empty array is refused)
  doc["task_seed"] = s.task_seed;
  doc["starts"] = s.starts;
  doc["noise"] = noise;
  if (s.train_noise) doc["train_noise"] = noise_json(*s.train_noise);
  doc["max_steps"] = s.max_steps;
  doc["model_seeds"] = s.model_seeds;
  doc["train"] = train_json(s.train, s.train2);
  doc["seed"] = s.seed;
  if (!run.empty()) doc["run"] = Json::parse(run);
  return doc.dump(2);
}

}  // namespace

std::string suite_to_json(const Suite& s, const std::string& run) { return write_suite(s, run, false); }

std::string suite_to_portable_json(const Suite& s) { return write_suite(s, "", true); }

std::string suites_dir() { return std::string(HJEPA_ASSETS_DIR) + "/suites"; }

std::vector<std::string> suite_names() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(suites_dir(), ec))
    if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

Suite load_suite(const std::string& name_or_path) {
  const bool is_path = name_or_path.find('/') != std::string::npos ||
                       (name_or_path.size() > 5 && name_or_path.compare(name_or_path.size() - 5, 5, ".json") == 0);
  std::string path = name_or_path;
  if (!is_path) {
    path = suites_dir() + "/" + name_or_path + ".json";
    std::error_code ec;
    if (!fs::exists(path, ec))
      throw UsageError("--suite: no suite named \"" + name_or_path + "\" in " + suites_dir() + "; expected one of " +
                       join_names(suite_names()) + ", or a path to a suite file");
  }
  return suite_from_json(read_text(path), path);
}

}  // namespace hjepa
