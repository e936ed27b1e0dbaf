// The parameter table's part of the app's settings file (settings.hpp): every parameter of
// agent/config.hpp under its own name, read within its range. Kept apart from the app's state (no
// SFML, no ImGui) so that a test can check the file reaches every parameter of the table.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "agent/config.hpp"
#include "sim/json_reader.hpp"

namespace hjepa {

// Adds every parameter of the table to `root` under its name.
void write_param_settings(const ParamValues& values, JsonReader::Json& root);
// Reads every parameter of the table present in `root` (an older file's "agent.planner" as
// agent.planner.type) into `values`. A value of the wrong type or out of range is passed to
// warn("<json path>: <found>; expected <expected>") and that parameter keeps its value. Returns the
// keys it read, for the caller's check of unknown keys.
std::vector<std::string> read_param_settings(const JsonReader& rd, const JsonReader::Json& root, ParamValues& values,
                                             const std::function<void(const std::string&)>& warn);

}  // namespace hjepa
