// CSV and JSON for benchmark rows (see results.hpp). One visitor lists every column once, for the
// writer and the reader.
#include "app/bench/results.hpp"

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "app/usage_error.hpp"

namespace hjepa {

namespace {

template <typename Row, typename Visit>
void for_each_column(Row& r, Visit&& visit) {
  visit("config", r.config);
  visit("suite", r.suite);
  visit("suite_episodes", r.suite_episodes);
  visit("episode", r.episode);
  visit("case", r.case_index);
  visit("map", r.map);
  visit("task", r.task);
  visit("length", r.length);
  visit("start", r.start);
  visit("noise_motion", r.noise_motion);
  visit("noise_perception", r.noise_perception);
  visit("noise_range", r.noise_range);
  visit("agent", r.agent);
  visit("model_seed", r.model_seed);
  visit("model", r.model);
  visit("seed", r.seed);
  visit("start_x", r.start_x);
  visit("start_y", r.start_y);
  visit("success", r.success);
  visit("steps", r.steps);
  visit("max_steps", r.max_steps);
  visit("oracle_steps", r.oracle_steps);
  visit("oracle_length", r.oracle_length);
  visit("parameters", r.parameters);
  visit("predictor_calls", r.predictor_calls);
  visit("train_seconds", r.train_seconds);
  visit("ms_per_step", r.ms_per_step);
}

// To `per_unit` steps per unit: q / per_unit is the double nearest the decimal, so it prints short.
double round_to(double v, double per_unit) { return std::round(v * per_unit) / per_unit; }

std::string text_of(const std::string& v) { return v; }
std::string text_of(bool v) { return v ? "1" : "0"; }
std::string text_of(const std::optional<uint64_t>& v) { return v ? std::to_string(*v) : ""; }
template <typename T>
std::string text_of(T v) {
  char buf[64];
  // Shortest text that reads back exactly (fixed notation for floating point: 0.0007, not 7e-04).
  std::to_chars_result res;
  if constexpr (std::is_floating_point_v<T>) res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  else res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

std::string csv_field(const std::string& v) {
  if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Splits one CSV record starting at `pos`; advances pos past its line end. Returns false on bad quoting.
bool csv_record(const std::string& text, size_t& pos, std::vector<std::string>& fields) {
  fields.assign(1, "");
  bool quoted = false;
  while (pos < text.size()) {
    const char c = text[pos++];
    if (quoted) {
      if (c == '"' && pos < text.size() && text[pos] == '"') fields.back() += '"', ++pos;
      else if (c == '"') quoted = false;
      else fields.back() += c;
    } else if (c == '"' && fields.back().empty()) {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c == '\n') {
      return true;
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return !quoted;
}

struct CellError {
  std::string message;
};

void parse_cell(const std::string& s, std::string& v) { v = s; }
void parse_cell(const std::string& s, bool& v) {
  if (s != "0" && s != "1") throw CellError{"\"" + s + "\" is not 0 or 1"};
  v = s == "1";
}
void parse_cell(const std::string& s, std::optional<uint64_t>& v) {
  if (s.empty()) {
    v.reset();
    return;
  }
  uint64_t x = 0;
  const auto res = std::from_chars(s.data(), s.data() + s.size(), x);
  if (res.ec != std::errc() || res.ptr != s.data() + s.size()) throw CellError{"\"" + s + "\" is not a seed (or empty)"};
  v = x;
}
template <typename T>
void parse_cell(const std::string& s, T& v) {
  const auto res = std::from_chars(s.data(), s.data() + s.size(), v);
  if (res.ec != std::errc() || res.ptr != s.data() + s.size() || s.empty())
    throw CellError{"\"" + s + "\" is not " + (std::is_floating_point_v<T> ? "a number" : "an integer")};
}

}  // namespace

const std::vector<std::string>& result_columns() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    EpisodeRow r;
    for_each_column(r, [&](const char* name, auto&) { out.push_back(name); });
    return out;
  }();
  return names;
}

void round_for_output(EpisodeRow& r) {
  // The start stays exact (shortest text that reads back): `hjepa run --start X,Y --seed S` with a
  // row's start and seed replays its episode (rounded to 1e-6 it replayed another one).
  r.oracle_length = round_to(r.oracle_length, 1e6);
  r.train_seconds = round_to(r.train_seconds, 1e3);
  r.ms_per_step = round_to(r.ms_per_step, 1e4);
}

std::string rows_to_csv(const std::vector<EpisodeRow>& rows) {
  std::string out;
  for (const std::string& name : result_columns()) {
    if (!out.empty()) out += ',';
    out += name;
  }
  out += '\n';
  for (const EpisodeRow& r : rows) {
    bool first = true;
    for_each_column(r, [&](const char*, const auto& v) {
      if (!first) out += ',';
      out += csv_field(text_of(v));
      first = false;
    });
    out += '\n';
  }
  return out;
}

std::vector<EpisodeRow> rows_from_csv(const std::string& text, const std::string& source) {
  const std::string expected = "; expected a CSV file written by hjepa bench --out";
  size_t pos = 0;
  std::vector<std::string> fields;
  if (!csv_record(text, pos, fields) || fields != result_columns()) {
    std::string want;
    for (const std::string& n : result_columns()) want += (want.empty() ? "" : ",") + n;
    throw UsageError(source + ": line 1: the header is not the bench columns" + expected + " (header " + want + ")");
  }
  std::vector<EpisodeRow> rows;
  for (int line = 2; pos < text.size(); ++line) {
    if (!csv_record(text, pos, fields)) throw UsageError(source + ": line " + std::to_string(line) + ": unterminated quote" + expected);
    if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
    if (fields.size() != result_columns().size())
      throw UsageError(source + ": line " + std::to_string(line) + ": " + std::to_string(fields.size()) + " fields" + expected +
                       " (" + std::to_string(result_columns().size()) + " fields per line)");
    EpisodeRow r;
    size_t k = 0;
    for_each_column(r, [&](const char* name, auto& v) {
      try {
        parse_cell(fields[k++], v);
      } catch (const CellError& e) {
        throw UsageError(source + ": line " + std::to_string(line) + ": column " + name + ": " + e.message + expected);
      }
    });
    rows.push_back(std::move(r));
  }
  return rows;
}

std::string rows_to_json(const std::vector<EpisodeRow>& rows, const std::string& summary_json) {
  using Json = nlohmann::ordered_json;
  Json episodes = Json::array();
  for (const EpisodeRow& r : rows) {
    Json row = Json::object();
    for_each_column(r, [&](const char* name, const auto& v) {
      using V = std::decay_t<decltype(v)>;
      if constexpr (std::is_same_v<V, std::optional<uint64_t>>) row[name] = v ? Json(*v) : Json(nullptr);
      else row[name] = v;
    });
    episodes.push_back(std::move(row));
  }
  Json doc = {{"format", "hjepa-bench/1"}, {"episodes", std::move(episodes)}, {"summary", Json::parse(summary_json)}};
  return doc.dump(2) + "\n";
}

}  // namespace hjepa
