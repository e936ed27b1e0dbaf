// The parameter table in the settings file; see param_settings.hpp.
#include "app/gui/param_settings.hpp"

#include <algorithm>

namespace hjepa {

void write_param_settings(const ParamValues& values, JsonReader::Json& root) {
  for (const ParamSpec& p : params()) {
    if (!p.choices.empty())
      root[p.name] = p.read_text(values);
    else if (p.integer)
      root[p.name] = static_cast<int64_t>(p.read(values));
    else
      root[p.name] = p.read(values);
  }
}

std::vector<std::string> read_param_settings(const JsonReader& rd, const JsonReader::Json& root, ParamValues& values,
                                             const std::function<void(const std::string&)>& warn) {
  std::vector<std::string> keys;
  for (const ParamSpec& p : params()) {
    std::string key = p.name;
    if (!root.contains(key) && p.name == "agent.planner.type" && root.contains("agent.planner")) key = "agent.planner";
    if (!root.contains(key)) continue;
    keys.push_back(key);
    const JsonReader::Json& v = root[key];
    const std::string path = member_path("$", key);
    try {
      if (!p.choices.empty()) {
        const std::string text = rd.string(v, path, p.range_text());
        if (std::find(p.choices.begin(), p.choices.end(), text) == p.choices.end())
          rd.refuse(path, describe_json(v) + " is not a " + p.label, p.range_text());
        p.write_text(values, text);
      } else if (p.integer) {
        p.write(values, static_cast<double>(rd.integer(v, path, static_cast<int64_t>(p.lo), static_cast<int64_t>(p.hi))));
      } else {
        p.write(values, rd.number(v, path, p.lo, p.hi));
      }
    } catch (const JsonError& e) {
      warn(e.detail());
    }
  }
  return keys;
}

}  // namespace hjepa
