// libFuzzer target: the config readers (agent/config): a JSON config object (first byte even) or
// one --set KEY=VALUE assignment (first byte odd). Any input must be applied or refused with
// ConfigError; what is applied must leave every parameter inside its declared range and survive
// config_to_json -> apply_config_json unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "agent/config.hpp"

using namespace hjepa;

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

bool within_ranges(const RunConfig& c) {
  for (const ParamSpec& p : run_params()) {
    if (!p.choices.empty()) continue;
    const double v = p.get(c);
    if (!(v >= p.lo && v <= p.hi)) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  RunConfig config;
  try {
    if (data[0] % 2 == 0) {
      const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
      if (j.is_discarded()) return 0;
      apply_config_json(config, j, "fuzz.json");
    } else {
      apply_setting(config, text, "--set");
    }
  } catch (const ConfigError&) {
    require(within_ranges(config));  // a refusal leaves the config as it was
    return 0;
  }
  require(within_ranges(config));
  RunConfig again;
  apply_config_json(again, config_to_json(config), "round trip");
  require(config_to_json(again) == config_to_json(config));
  return 0;
}
