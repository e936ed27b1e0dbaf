// Model files: packing sections into the checksummed container, the atomic write, and the loader's
// checks in order (open, magic, version, header checksum, truncation, checksum, sections, contents,
// map). The header carries the file length under its own checksum, so a short file is told apart
// from a corrupted one.
#include "agent/jepa/model_file.hpp"

#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string_view>

#include "agent/jepa/belief.hpp"
#include "agent/nn/param_io.hpp"
#include "sim/atomic_file.hpp"
#include "sim/fnv1a.hpp"
#include "sim/json_reader.hpp"

namespace hjepa {

static_assert(std::endian::native == std::endian::little, "model files are little-endian");

namespace {

using Json = nlohmann::ordered_json;

constexpr char kMagic[8] = {'H', 'J', 'E', 'P', 'A', 'M', 'D', 'L'};
constexpr size_t kHeaderSize = 8 + 4 + 8 + 8;
constexpr size_t kHeaderCheckedBytes = 8 + 4 + 8;
constexpr size_t kSectionHeaderSize = 4 + 8;
constexpr size_t kChecksumSize = 8;
constexpr size_t kArchSize = 6 * 4 + 2 * 8 + 4;  // without z_prior (4 bytes per z value)
constexpr int kMaxLatent = 1024;
constexpr int kMaxFeatures = 4096;
constexpr int kMaxHidden = 4096;

constexpr const char* kArchTag = "ARCH";
constexpr const char* kConfigTag = "CONF";
constexpr const char* kMapTag = "MAP ";
constexpr const char* kParamsTag = "PARM";
constexpr const char* kInverseDynamicsTag = "IDYN";
constexpr const char* kLevel2ArchTag = "L2AR";
constexpr const char* kLevel2ParamsTag = "L2PM";
constexpr const char* kBeliefNoiseTag = "KALM";
constexpr const char* kPolicyArchTag = "PIAR";
constexpr const char* kPolicyParamsTag = "PIPM";
constexpr const char* kRequiredTags[] = {kArchTag,       kConfigTag,       kMapTag,        kParamsTag,      kInverseDynamicsTag,
                                         kLevel2ArchTag, kLevel2ParamsTag, kPolicyArchTag, kPolicyParamsTag, kBeliefNoiseTag};
constexpr size_t kLevel2ArchSize = 9 * 4;
constexpr int kMaxPlaces = 4096;
constexpr int kMaxEdges = 1 << 20;

constexpr const char* kExpectedModelFile = "a hjepa model file (saved by hjepa train)";

std::string hex64(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%016" PRIx64, v);
  return buf;
}

std::string quoted_tag(const std::string& tag) {
  std::string out = "\"";
  for (unsigned char c : tag) {
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return out + "\"";
}

std::string required_tag_list() {
  std::string out;
  for (const char* tag : kRequiredTags) out += (out.empty() ? "" : ", ") + quoted_tag(tag);
  return out;
}

template <typename V>
void append_pod(std::string& out, const V& v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof(V));
}

template <typename V>
V pod_at(const std::string& bytes, size_t offset) {
  V v;
  std::memcpy(&v, bytes.data() + offset, sizeof(V));
  return v;
}

// Every training field by name, once, for both the writer and the reader.
template <typename Params, typename Visit>
void for_each_train_field(Params& p, Visit&& visit) {
  visit("steps", p.steps);
  visit("batch", p.batch);
  visit("unroll", p.unroll);
  visit("lr", p.lr);
  visit("target_ema", p.target_ema);
  visit("encoder_lr_scale", p.encoder_lr_scale);
  visit("var_weight", p.var_weight);
  visit("cov_weight", p.cov_weight);
  visit("pred_weight", p.pred_weight);
  visit("idm_weight", p.idm_weight);
  visit("polish_steps", p.polish_steps);
  visit("polish_short_unroll", p.polish_short_unroll);
  visit("polish_from_belief", p.polish_from_belief);
  visit("head_steps", p.head_steps);
  visit("probe_steps", p.probe_steps);
  visit("z_values", p.z_values);
  visit("heldout_sequences", p.heldout_sequences);
}

template <typename Params, typename Visit>
void for_each_exploration_field(Params& p, Visit&& visit) {
  visit("sequences", p.sequences);
  visit("sequence_length", p.sequence_length);
  visit("turn_sigma", p.turn_sigma);
  visit("switch_prob", p.switch_prob);
  visit("blocked_fraction", p.blocked_fraction);
  visit("motion_ref", p.motion_ref);
}

template <typename Params, typename Visit>
void for_each_mode1_field(Params& p, Visit&& visit) {
  visit("rounds", p.rounds);
  visit("episodes", p.episodes);
  visit("heldout_episodes", p.heldout_episodes);
  visit("episode_steps", p.episode_steps);
  visit("steps", p.steps);
  visit("batch", p.batch);
  visit("lr", p.lr);
  visit("hidden", p.hidden);
}

template <typename Params, typename Visit>
void for_each_level2_field(Params& p, Visit&& visit) {
  visit("distance_steps", p.distance_steps);
  visit("steps", p.steps);
  visit("batch", p.batch);
  visit("lr", p.lr);
  visit("bound_weight", p.bound_weight);
  visit("spread_weight", p.spread_weight);
  visit("margin", p.margin);
  visit("bound_steps", p.bound_steps);
  visit("place_radius", p.place_radius);
  visit("max_places", p.max_places);
  visit("kmeans_iterations", p.kmeans_iterations);
  visit("euclid_places", p.euclid_places);
  visit("query_directions", p.query_directions);
  visit("min_transitions", p.min_transitions);
  visit("belief_gain", p.belief_gain);
}

// Keys added after model files were first written, with the value those older files trained with:
// written only when the value differs (older models keep their bytes, so their cache keys hold) and
// read as that value when absent.
struct LegacyDefault {
  const char* key;
  double value;
};
constexpr LegacyDefault kLevel1LegacyDefaults[] = {{"polish_short_unroll", 0},   // 2026-12-04: 0 = train.unroll throughout
                                                    {"polish_from_belief", 0}};  // 2026-12-05: 0 = the raw encodings
// A trained model's exploration is resolved (motion_ref 0, its sequences what was collected), so its
// bytes are as before the key existed (2026-12-06).
constexpr LegacyDefault kExplorationLegacyDefaults[] = {{"motion_ref", 0}};
constexpr LegacyDefault kLevel2LegacyDefaults[] = {{"belief_gain", 1.0}};  // 2026-12-03: 1 = the raw encodings

template <size_t N>
const LegacyDefault* legacy_default(const LegacyDefault (&table)[N], const char* key) {
  for (const LegacyDefault& d : table)
    if (std::string_view(key) == d.key) return &d;
  return nullptr;
}

// ---- writing --------------------------------------------------------------------------------

std::string arch_payload(const Level1& level1) {
  std::string out;
  const Level1Arch& a = level1.arch;
  for (int32_t v : {a.features, a.latent, a.hidden, a.head_hidden, a.probe_hidden, a.z_values}) append_pod(out, v);
  append_pod(out, level1.width);
  append_pod(out, level1.height);
  append_pod(out, level1.z_noise);
  for (float p : level1.z_prior) append_pod(out, p);
  return out;
}

std::string config_payload(const ModelFile& model) {
  auto check_finite = [](const std::string& name, double v) {
    if (!std::isfinite(v))
      throw ModelError("cannot save model: training parameter " + name + " = " + std::to_string(v) +
                       "; expected a finite number");
  };
  Json level1 = Json::object();
  for_each_train_field(model.train, [&](const char* key, const auto& v) {
    if constexpr (std::is_floating_point_v<std::decay_t<decltype(v)>>) check_finite(key, v);
    if (const LegacyDefault* d = legacy_default(kLevel1LegacyDefaults, key); d && static_cast<double>(v) == d->value) return;
    level1[key] = v;
  });
  if (model.train.z_from_gates) level1["z_source"] = "gates";  // written only then: other models' bytes as before
  Json exploration = Json::object();
  for_each_exploration_field(model.train.exploration, [&](const char* key, const auto& v) {
    if constexpr (std::is_floating_point_v<std::decay_t<decltype(v)>>) check_finite(std::string("exploration.") + key, v);
    if (const LegacyDefault* d = legacy_default(kExplorationLegacyDefaults, key); d && static_cast<double>(v) == d->value) return;
    exploration[key] = v;
  });
  level1["exploration"] = std::move(exploration);
  Json mode1 = Json::object();
  for_each_mode1_field(model.train.mode1, [&](const char* key, const auto& v) {
    if constexpr (std::is_floating_point_v<std::decay_t<decltype(v)>>) check_finite(std::string("mode1.") + key, v);
    mode1[key] = v;
  });
  level1["mode1"] = std::move(mode1);
  Json level2 = Json::object();
  for_each_level2_field(model.train2, [&](const char* key, const auto& v) {
    if constexpr (std::is_floating_point_v<std::decay_t<decltype(v)>>) check_finite(std::string("level2.") + key, v);
    if (const LegacyDefault* d = legacy_default(kLevel2LegacyDefaults, key); d && static_cast<double>(v) == d->value) return;
    level2[key] = v;
  });
  Json conf = Json::object();
  conf["created_by"] = model.created_by;
  conf["train_seed"] = model.train_seed;
  conf["level1"] = std::move(level1);
  conf["level2"] = std::move(level2);
  return conf.dump(2, ' ', false, Json::error_handler_t::replace);
}

std::string level2_arch_payload(const Level2& level2) {
  std::string out;
  const Level2Arch& a = level2.arch;
  for (int32_t v : {a.input, a.latent, a.hidden, a.horizon, a.places, a.euclid_places, a.euclid_edges, a.experience_edges})
    append_pod(out, v);
  append_pod(out, a.place_radius);
  return out;
}

// KALM: i32 D (0 = no estimates), then Q and R as D x D f32 each, column-major, then the fitted gain as
// f32, then i32 C (0 or kClearanceBins) and the C context ratios as f32.
std::string belief_noise_payload(const Level1& level1) {
  std::string out;
  const int32_t D = level1.has_belief_noise() ? static_cast<int32_t>(level1.belief_q.rows()) : 0;
  append_pod(out, D);
  for (const Eigen::MatrixXf* m : {&level1.belief_q, &level1.belief_r})
    for (Eigen::Index i = 0; i < static_cast<Eigen::Index>(D) * D; ++i) append_pod(out, (*m)(i));
  append_pod(out, level1.fitted_gain);
  append_pod(out, static_cast<int32_t>(level1.belief_context.size()));
  for (float v : level1.belief_context) append_pod(out, v);
  return out;
}

std::string policy_arch_payload(const Policy& policy) {
  std::string out;
  for (int32_t v : {policy.arch.latent, policy.arch.hidden}) append_pod(out, v);
  return out;
}

std::string parameter_blob(const nn::ConstParamList<float>& params) {
  std::ostringstream os(std::ios::binary);
  nn::save_parameters(os, params);
  return std::move(os).str();
}

// ---- reading --------------------------------------------------------------------------------

// Refusals raised while reading a section; the caller prefixes the source and the section tag.
struct SectionError {
  std::string message;
};

[[noreturn]] void refuse_section(const std::string& message) { throw SectionError{message}; }

Level1 read_arch(const std::string& payload) {
  const char* layout =
      " (features, latent, hidden, head_hidden, probe_hidden, z_values as i32, width and height as f64, z_noise as f32, "
      "z_values x f32 z_prior)";
  if (payload.size() < kArchSize)
    refuse_section(std::to_string(payload.size()) + " bytes; expected at least " + std::to_string(kArchSize) + layout);
  const auto features = pod_at<int32_t>(payload, 0);
  const auto latent = pod_at<int32_t>(payload, 4);
  const auto hidden = pod_at<int32_t>(payload, 8);
  const auto head_hidden = pod_at<int32_t>(payload, 12);
  const auto probe_hidden = pod_at<int32_t>(payload, 16);
  const auto z_values = pod_at<int32_t>(payload, 20);
  const auto width = pod_at<double>(payload, 24);
  const auto height = pod_at<double>(payload, 32);
  const auto z_noise = pod_at<float>(payload, 40);
  auto check_range = [](const char* name, int32_t v, int32_t max) {
    if (v < 1 || v > max)
      refuse_section(std::string(name) + " = " + std::to_string(v) + " is out of range; expected 1 <= " + name +
                     " <= " + std::to_string(max));
  };
  check_range("features", features, kMaxFeatures);
  check_range("latent", latent, kMaxLatent);
  check_range("hidden", hidden, kMaxHidden);
  check_range("head_hidden", head_hidden, kMaxHidden);
  check_range("probe_hidden", probe_hidden, kMaxHidden);
  check_range("z_values", z_values, kMaxZValues);
  if (payload.size() != kArchSize + 4 * static_cast<size_t>(z_values))
    refuse_section(std::to_string(payload.size()) + " bytes; expected " + std::to_string(kArchSize + 4 * static_cast<size_t>(z_values)) +
                   " for z_values = " + std::to_string(z_values) + layout);
  auto check_side = [](const char* name, double v) {
    if (!(std::isfinite(v) && v > 0))
      refuse_section(std::string(name) + " = " + std::to_string(v) + " is not a map side; expected a finite number > 0");
  };
  check_side("width", width);
  check_side("height", height);
  if (!(std::isfinite(z_noise) && z_noise > 0))
    refuse_section("z_noise = " + std::to_string(z_noise) + "; expected a finite number > 0");
  std::vector<float> prior(static_cast<size_t>(z_values));
  double total = 0;
  for (int32_t v = 0; v < z_values; ++v) {
    prior[v] = pod_at<float>(payload, kArchSize + 4 * static_cast<size_t>(v));
    if (!(std::isfinite(prior[v]) && prior[v] >= 0))
      refuse_section("z_prior[" + std::to_string(v) + "] = " + std::to_string(prior[v]) + "; expected a finite number >= 0");
    total += prior[v];
  }
  if (std::abs(total - 1) > 1e-3)
    refuse_section("z_prior sums to " + std::to_string(total) + "; expected a distribution summing to 1");

  Level1 level1(Level1Arch{features, latent, hidden, head_hidden, probe_hidden, z_values}, 0);
  level1.width = width;
  level1.height = height;
  level1.z_noise = z_noise;
  level1.z_prior = prior;
  return level1;
}

// Reads one field of the config JSON into `out`, by the field's type.
void read_field(const JsonReader& rd, const Json& object, const std::string& path, const char* key, int& out) {
  const Json& v = rd.field(object, path, key, "a 32-bit integer");
  out = static_cast<int>(rd.integer(v, member_path(path, key), std::numeric_limits<int>::min(), std::numeric_limits<int>::max(),
                                    "a 32-bit integer"));
}
void read_field(const JsonReader& rd, const Json& object, const std::string& path, const char* key, double& out) {
  out = rd.number(rd.field(object, path, key, "a number"), member_path(path, key));
}
void read_field(const JsonReader& rd, const Json& object, const std::string& path, const char* key, uint64_t& out) {
  const char* expected = "an unsigned 64-bit integer";
  out = rd.unsigned_integer(rd.field(object, path, key, expected), member_path(path, key), UINT64_MAX, expected);
}
void read_field(const JsonReader& rd, const Json& object, const std::string& path, const char* key, std::string& out) {
  out = rd.string(rd.field(object, path, key, "a string"), member_path(path, key), "a string");
}

const Json& read_object(const JsonReader& rd, const Json& object, const std::string& path, const char* key) {
  return rd.object(rd.field(object, path, key, "an object"), member_path(path, key), {}, "an object");
}

void read_config_json(const JsonReader& rd, const std::string& payload, ModelFile& model) {
  const Json conf = rd.parse(payload, "a JSON object");
  rd.object(conf, "$", {"created_by", "train_seed", "level1", "level2"}, "a JSON object");
  read_field(rd, conf, "$", "created_by", model.created_by);
  read_field(rd, conf, "$", "train_seed", model.train_seed);

  const Json& level1 = read_object(rd, conf, "$", "level1");
  std::vector<std::string> level1_keys = {"exploration", "mode1", "z_source"};
  for_each_train_field(model.train, [&](const char* key, auto& field) {
    level1_keys.push_back(key);
    if (const LegacyDefault* d = legacy_default(kLevel1LegacyDefaults, key); d && !level1.contains(key))
      return void(field = static_cast<std::decay_t<decltype(field)>>(d->value));
    read_field(rd, level1, "$.level1", key, field);
  });
  rd.check_keys(level1, "$.level1", level1_keys);
  if (level1.contains("z_source")) {
    const std::string source = rd.string(level1["z_source"], "$.level1.z_source", "\"gates\" (or no z_source: learned)");
    if (source != "gates") rd.refuse("$.level1.z_source", "\"" + source + "\"", "\"gates\" (or no z_source: learned)");
    model.train.z_from_gates = true;
  }

  const Json& exploration = read_object(rd, level1, "$.level1", "exploration");
  std::vector<std::string> exploration_keys;
  for_each_exploration_field(model.train.exploration, [&](const char* key, auto& field) {
    exploration_keys.push_back(key);
    if (const LegacyDefault* d = legacy_default(kExplorationLegacyDefaults, key); d && !exploration.contains(key))
      return void(field = static_cast<std::decay_t<decltype(field)>>(d->value));
    read_field(rd, exploration, "$.level1.exploration", key, field);
  });
  rd.check_keys(exploration, "$.level1.exploration", exploration_keys);

  const Json& mode1 = read_object(rd, level1, "$.level1", "mode1");
  std::vector<std::string> mode1_keys;
  for_each_mode1_field(model.train.mode1, [&](const char* key, auto& field) {
    mode1_keys.push_back(key);
    read_field(rd, mode1, "$.level1.mode1", key, field);
  });
  rd.check_keys(mode1, "$.level1.mode1", mode1_keys);

  const Json& level2 = read_object(rd, conf, "$", "level2");
  std::vector<std::string> level2_keys;
  for_each_level2_field(model.train2, [&](const char* key, auto& field) {
    level2_keys.push_back(key);
    if (const LegacyDefault* d = legacy_default(kLevel2LegacyDefaults, key); d && !level2.contains(key))
      return void(field = static_cast<std::decay_t<decltype(field)>>(d->value));
    read_field(rd, level2, "$.level2", key, field);
  });
  rd.check_keys(level2, "$.level2", level2_keys);
}

// The CONF section through sim/json_reader; its refusals lack the source, which the caller adds
// with the section tag.
void read_config(const std::string& payload, ModelFile& model) {
  try {
    read_config_json(JsonReader(""), payload, model);
  } catch (const JsonError& e) {
    refuse_section(e.detail());
  }
}

Level2 read_level2_arch(const std::string& payload, const Level1Arch& level1) {
  if (payload.size() != kLevel2ArchSize)
    refuse_section(std::to_string(payload.size()) + " bytes; expected " + std::to_string(kLevel2ArchSize) +
                   " (input, latent, hidden, horizon, places, euclid_places, euclid_edges, experience_edges as i32, "
                   "place_radius as f32)");
  Level2Arch a;
  a.input = pod_at<int32_t>(payload, 0);
  a.latent = pod_at<int32_t>(payload, 4);
  a.hidden = pod_at<int32_t>(payload, 8);
  a.horizon = pod_at<int32_t>(payload, 12);
  a.places = pod_at<int32_t>(payload, 16);
  a.euclid_places = pod_at<int32_t>(payload, 20);
  a.euclid_edges = pod_at<int32_t>(payload, 24);
  a.experience_edges = pod_at<int32_t>(payload, 28);
  a.place_radius = pod_at<float>(payload, 32);
  auto check_range = [](const char* name, int32_t v, int32_t lo, int32_t max) {
    if (v < lo || v > max)
      refuse_section(std::string(name) + " = " + std::to_string(v) + " is out of range; expected " + std::to_string(lo) +
                     " <= " + name + " <= " + std::to_string(max));
  };
  check_range("input", a.input, 1, kMaxLatent);
  if (a.input != level1.latent)
    refuse_section("input = " + std::to_string(a.input) + " does not match level 1's latent dimension; expected " +
                   std::to_string(level1.latent));
  check_range("latent", a.latent, 1, kMaxLatent);
  check_range("hidden", a.hidden, 1, kMaxHidden);
  check_range("horizon", a.horizon, 1, 1024);
  check_range("places", a.places, 1, kMaxPlaces);
  check_range("euclid_places", a.euclid_places, 1, kMaxPlaces);
  check_range("euclid_edges", a.euclid_edges, 0, kMaxEdges);
  check_range("experience_edges", a.experience_edges, 0, kMaxEdges);
  if (!(std::isfinite(a.place_radius) && a.place_radius > 0 && a.place_radius <= 1000))
    refuse_section("place_radius = " + std::to_string(a.place_radius) + " is out of range; expected 0 < place_radius <= 1000");
  return Level2(a, 0);
}

void read_belief_noise(const std::string& payload, Level1& level1) {
  if (payload.size() < 4) refuse_section(std::to_string(payload.size()) + " bytes; expected at least 4 (D as i32)");
  const int32_t D = pod_at<int32_t>(payload, 0);
  if (D != 0 && D != level1.arch.latent)
    refuse_section("D = " + std::to_string(D) + " does not match level 1's latent dimension; expected " +
                   std::to_string(level1.arch.latent) + " (or 0: no estimates)");
  const size_t fixed_part = 4 + 2 * 4 * static_cast<size_t>(D) * static_cast<size_t>(D) + 4;
  const int32_t C = payload.size() >= fixed_part + 4 ? pod_at<int32_t>(payload, fixed_part) : -1;
  if (C != 0 && C != kClearanceBins)
    refuse_section("context ratio count " + std::to_string(C) + "; expected 0 or " + std::to_string(kClearanceBins) +
                   " after D, Q and R as D x D f32 and the fitted gain as f32");
  const size_t expected = fixed_part + 4 + 4 * static_cast<size_t>(C);
  if (payload.size() != expected)
    refuse_section(std::to_string(payload.size()) + " bytes; expected " + std::to_string(expected) +
                   " (D, then Q and R as D x D f32, the fitted gain as f32, then C as i32 and C context ratios as f32)");
  level1.belief_q.resize(D, D);
  level1.belief_r.resize(D, D);
  size_t at = 4;
  for (Eigen::MatrixXf* m : {&level1.belief_q, &level1.belief_r})
    for (Eigen::Index i = 0; i < static_cast<Eigen::Index>(D) * D; ++i, at += 4) {
      (*m)(i) = pod_at<float>(payload, at);
      if (!std::isfinite((*m)(i)))
        refuse_section("a non-finite noise covariance entry at index " + std::to_string(i) + "; expected finite numbers");
    }
  level1.fitted_gain = pod_at<float>(payload, at);
  if (!(level1.fitted_gain >= 0 && level1.fitted_gain <= 1))
    refuse_section("fitted gain = " + std::to_string(level1.fitted_gain) + "; expected a number in [0, 1]");
  level1.belief_context.resize(static_cast<size_t>(C));
  at += 8;  // the fitted gain and C
  for (size_t b = 0; b < level1.belief_context.size(); ++b, at += 4) {
    const float v = pod_at<float>(payload, at);
    if (!(std::isfinite(v) && v >= 0 && v <= 1e6))
      refuse_section("context ratio " + std::to_string(b) + " = " + std::to_string(v) + "; expected a number in [0, 1e6]");
    level1.belief_context[b] = v;
  }
}

Policy read_policy_arch(const std::string& payload, const Level1Arch& level1) {
  if (payload.size() != 8) refuse_section(std::to_string(payload.size()) + " bytes; expected 8 (latent, hidden as i32)");
  PolicyArch a;
  a.latent = pod_at<int32_t>(payload, 0);
  a.hidden = pod_at<int32_t>(payload, 4);
  if (a.latent != level1.latent)
    refuse_section("latent = " + std::to_string(a.latent) + " does not match level 1's latent dimension; expected " +
                   std::to_string(level1.latent));
  if (a.hidden < 1 || a.hidden > kMaxHidden)
    refuse_section("hidden = " + std::to_string(a.hidden) + " is out of range; expected 1 <= hidden <= " +
                   std::to_string(kMaxHidden));
  return Policy(a, 0);
}

// Every edge of a stored graph joins two places and costs a finite, non-negative number of steps.
void check_edges(const nn::Parameter<float>& table, int places) {
  const MatF& e = table.value;
  for (Eigen::Index j = 0; j < e.cols(); ++j) {
    const float from = e(0, j), to = e(1, j), cost = e(2, j);
    auto is_place = [&](float v) { return v >= 0 && v < places && v == static_cast<float>(static_cast<int>(v)); };
    if (!is_place(from) || !is_place(to) || !(std::isfinite(cost) && cost >= 0))
      refuse_section("'" + table.name + "' edge " + std::to_string(j) + " (" + std::to_string(from) + " -> " +
                     std::to_string(to) + ", cost " + std::to_string(cost) + ") is malformed; expected place indices in [0, " +
                     std::to_string(places) + ") and a finite cost >= 0");
  }
}

uint64_t read_fingerprint(const std::string& payload) {
  if (payload.size() != 8)
    refuse_section(std::to_string(payload.size()) + " bytes; expected 8 (the map fingerprint as u64)");
  return pod_at<uint64_t>(payload, 0);
}

// "parameter 'E1.0.W' holds nan at index 3" for the first non-finite value; "" when all are finite.
template <typename List>
std::string first_non_finite(const List& params) {
  for (const auto* p : params)
    for (Eigen::Index i = 0; i < p->value.size(); ++i)
      if (!std::isfinite(p->value(i)))
        return "parameter '" + p->name + "' holds " + (std::isnan(p->value(i)) ? "nan" : p->value(i) > 0 ? "inf" : "-inf") +
               " at index " + std::to_string(i);
  return "";
}

void read_parameters(const std::string& payload, const nn::ParamList<float>& params) {
  std::istringstream is(payload, std::ios::binary);
  try {
    nn::load_parameters(is, params);
  } catch (const std::runtime_error& e) {
    refuse_section(std::string(e.what()) + " (the parameters do not match the architecture in section \"ARCH\")");
  }
  const auto consumed = static_cast<size_t>(is.tellg());
  if (consumed != payload.size())
    refuse_section(std::to_string(payload.size() - consumed) +
                   " bytes left after the last parameter; expected the section to end there");
  if (const std::string bad = first_non_finite(params); !bad.empty())
    refuse_section(bad + "; expected finite numbers (training stops before a model goes non-finite)");
}

// Where a file shorter than its header says ends, by walking the sections that are there.
std::string truncation_point(const std::string& bytes, uint64_t declared_size) {
  const size_t size = bytes.size();
  const uint64_t checksum_at = declared_size - kChecksumSize;
  size_t offset = kHeaderSize;
  std::string previous;
  while (true) {
    if (offset >= checksum_at) return offset >= size ? "before the checksum" : "inside the checksum";
    const std::string after = previous.empty() ? "the first section" : "the section after " + quoted_tag(previous);
    if (offset == size) return "before " + after;
    if (offset + kSectionHeaderSize > size) return "inside the header of " + after;
    const std::string tag = bytes.substr(offset, 4);
    const auto length = pod_at<uint64_t>(bytes, offset + 4);
    if (length > size - offset - kSectionHeaderSize) return "inside section " + quoted_tag(tag);
    offset += kSectionHeaderSize + length;
    previous = tag;
  }
}

// Refuses the whole file: "<source>: <what>; expected <expected>".
[[noreturn]] void refuse_file(const std::string& source, const std::string& what, const std::string& expected) {
  throw ModelError(source + ": " + what + "; expected " + expected);
}

// The container's checks in order: magic, version, header checksum, length (truncated or with
// bytes after the checksum), checksum of the whole file.
void check_container(const std::string& bytes, const std::string& source) {
  auto refuse = [&](const std::string& what, const std::string& expected) { refuse_file(source, what, expected); };
  const size_t size = bytes.size();
  const size_t magic_bytes = std::min(size, sizeof kMagic);
  if (std::memcmp(bytes.data(), kMagic, magic_bytes) != 0) {
    std::string start = bytes.substr(0, magic_bytes);
    refuse("not a model file (it starts with " + quoted_tag(start) + ", not \"HJEPAMDL\")", kExpectedModelFile);
  }
  if (size < kHeaderSize)
    refuse("truncated model file (file ends inside the " + std::to_string(kHeaderSize) + "-byte header, after " +
               std::to_string(size) + " bytes)",
           kExpectedModelFile);
  if (const auto version = pod_at<uint32_t>(bytes, 8); version != kModelFormatVersion)
    refuse("unsupported model format version (found " + std::to_string(version) + ", expected " +
               std::to_string(kModelFormatVersion) + ")",
           "a version " + std::to_string(kModelFormatVersion) + " model file (retrain or use a matching hjepa)");
  const auto declared_size = pod_at<uint64_t>(bytes, 12);
  if (const auto stored = pod_at<uint64_t>(bytes, kHeaderCheckedBytes),
      computed = fnv1a64(bytes.data(), kHeaderCheckedBytes);
      stored != computed)
    refuse("header checksum mismatch (corrupted: expected " + hex64(stored) + ", found " + hex64(computed) + ")",
           "an intact model file (save it again)");
  if (declared_size < kHeaderSize + kChecksumSize)
    refuse("malformed header (file length " + std::to_string(declared_size) + ")", kExpectedModelFile);
  if (size < declared_size)
    refuse("truncated model file (file ends " + truncation_point(bytes, declared_size) + ", after " +
               std::to_string(size) + " of " + std::to_string(declared_size) + " bytes)",
           "the complete file (was it copied or written completely?)");
  if (size > declared_size)
    refuse(std::to_string(size - declared_size) + " unexpected bytes after the checksum (corrupted: file is " +
               std::to_string(size) + " bytes, its header says " + std::to_string(declared_size) + ")",
           "an intact model file (save it again)");
  const size_t checksum_at = size - kChecksumSize;
  if (const auto stored = pod_at<uint64_t>(bytes, checksum_at), computed = fnv1a64(bytes.data(), checksum_at);
      stored != computed)
    refuse("checksum mismatch (corrupted: expected " + hex64(stored) + ", found " + hex64(computed) + ")",
           "an intact model file (save it again)");
}

// The sections of a checked container by tag: each within the file, none twice, every required one.
std::map<std::string, std::string> split_sections(const std::string& bytes, const std::string& source) {
  const size_t checksum_at = bytes.size() - kChecksumSize;
  std::map<std::string, std::string> sections;
  for (size_t offset = kHeaderSize; offset < checksum_at;) {
    if (checksum_at - offset < kSectionHeaderSize)
      refuse_file(source, "malformed: a section header at byte " + std::to_string(offset) + " runs into the checksum",
                  kExpectedModelFile);
    const std::string tag = bytes.substr(offset, 4);
    const auto length = pod_at<uint64_t>(bytes, offset + 4);
    offset += kSectionHeaderSize;
    if (length > checksum_at - offset)
      refuse_file(source, "malformed: section " + quoted_tag(tag) + " of " + std::to_string(length) + " bytes runs into the checksum",
                  kExpectedModelFile);
    if (!sections.emplace(tag, bytes.substr(offset, length)).second)
      refuse_file(source, "malformed: section " + quoted_tag(tag) + " appears twice", "each section at most once");
    offset += length;
  }
  for (const char* tag : kRequiredTags)
    if (!sections.contains(tag)) refuse_file(source, "missing section " + quoted_tag(tag), "sections " + required_tag_list());
  return sections;
}

// The model from its sections, each read and checked in turn; a refusal names the section.
ModelFile read_sections(std::map<std::string, std::string> sections, const std::string& source) {
  ModelFile model;
  std::string current_tag;
  try {
    current_tag = kArchTag;
    model.level1 = read_arch(sections[kArchTag]);
    current_tag = kConfigTag;
    read_config(sections[kConfigTag], model);
    current_tag = kMapTag;
    model.map_fingerprint = read_fingerprint(sections[kMapTag]);
    current_tag = kParamsTag;
    read_parameters(sections[kParamsTag], model.level1.params());
    current_tag = kInverseDynamicsTag;
    read_parameters(sections[kInverseDynamicsTag], model.level1.inverse_dynamics.params());
    current_tag = kLevel2ArchTag;
    model.level2 = read_level2_arch(sections[kLevel2ArchTag], model.level1.arch);
    current_tag = kLevel2ParamsTag;
    read_parameters(sections[kLevel2ParamsTag], model.level2.params());
    check_edges(model.level2.euclid_edges, model.level2.arch.euclid_places);
    check_edges(model.level2.experience_edges, model.level2.arch.places);
    model.level2.rebuild_graphs();
    current_tag = kBeliefNoiseTag;
    read_belief_noise(sections[kBeliefNoiseTag], model.level1);
    current_tag = kPolicyArchTag;
    model.policy = read_policy_arch(sections[kPolicyArchTag], model.level1.arch);
    current_tag = kPolicyParamsTag;
    read_parameters(sections[kPolicyParamsTag], model.policy.net.params());
  } catch (const SectionError& e) {
    throw ModelError(source + ": section " + quoted_tag(current_tag) + ": " + e.message);
  }
  return model;
}

}  // namespace

std::vector<ModelSection> model_sections(const ModelFile& model) {
  std::string fingerprint;
  append_pod(fingerprint, model.map_fingerprint);
  return {{kArchTag, arch_payload(model.level1)},
          {kConfigTag, config_payload(model)},
          {kMapTag, fingerprint},
          {kParamsTag, parameter_blob(model.level1.params())},
          {kInverseDynamicsTag, parameter_blob(model.level1.inverse_dynamics.params())},
          {kLevel2ArchTag, level2_arch_payload(model.level2)},
          {kLevel2ParamsTag, parameter_blob(model.level2.params())},
          {kBeliefNoiseTag, belief_noise_payload(model.level1)},
          {kPolicyArchTag, policy_arch_payload(model.policy)},
          {kPolicyParamsTag, parameter_blob(model.policy.net.params())}};
}

std::string pack_model_file(const std::vector<ModelSection>& sections, uint32_t version) {
  size_t total = kHeaderSize + kChecksumSize;
  for (const ModelSection& s : sections) total += kSectionHeaderSize + s.payload.size();
  std::string out;
  out.reserve(total);
  out.append(kMagic, sizeof kMagic);
  append_pod(out, version);
  append_pod(out, static_cast<uint64_t>(total));
  append_pod(out, fnv1a64(out.data(), out.size()));
  for (const ModelSection& s : sections) {
    if (s.tag.size() != 4) throw std::invalid_argument("model section tag '" + s.tag + "' is not 4 bytes");
    out += s.tag;
    append_pod(out, static_cast<uint64_t>(s.payload.size()));
    out += s.payload;
  }
  append_pod(out, fnv1a64(out.data(), out.size()));
  return out;
}

ModelFile unpack_model_file(const std::string& bytes, const std::string& source,
                            std::optional<uint64_t> expected_fingerprint) {
  check_container(bytes, source);
  ModelFile model = read_sections(split_sections(bytes, source), source);
  if (expected_fingerprint && *expected_fingerprint != model.map_fingerprint)
    refuse_file(source,
                "model was trained on map " + hex64(model.map_fingerprint) + ", this map is " + hex64(*expected_fingerprint),
                "a model trained on this map (train one with hjepa train)");
  return model;
}

void save_model(const ModelFile& model, const std::string& path) {
  for (const nn::ConstParamList<float>& params :
       {model.level1.params(), model.level1.inverse_dynamics.params(), model.level2.params()})
    if (const std::string bad = first_non_finite(params); !bad.empty())
      throw ModelError(path + ": cannot save model: " + bad + "; expected finite numbers");
  const std::string error = write_file_atomically(path, pack_model_file(model_sections(model)));
  if (!error.empty()) throw ModelError(path + ": " + error + "; expected a writable location for the model file");
}

ModelFile load_model(const std::string& path, std::optional<uint64_t> expected_fingerprint) {
  std::string bytes;
  if (const std::string error = read_whole_file(path, bytes); !error.empty())
    throw ModelError(path + ": " + error + "; expected " + kExpectedModelFile);
  return unpack_model_file(bytes, path, expected_fingerprint);
}

std::string describe_model(const ModelFile& model) {
  const Level1& l1 = model.level1;
  const Level1Arch& a = l1.arch;
  return "Level1 F=" + std::to_string(a.features) + " D=" + std::to_string(a.latent) + " H=" +
         std::to_string(a.hidden) + " head=" + std::to_string(a.head_hidden) + " probe=" + std::to_string(a.probe_hidden) + " | " +
         std::to_string(l1.num_parameters()) + " parameters (" +
         std::to_string(l1.inverse_dynamics.num_parameters()) + " of them inverse dynamics) | Level2 d=" +
         std::to_string(model.level2.arch.latent) + " K=" + std::to_string(model.level2.arch.horizon) + " places=" +
         std::to_string(model.level2.arch.places) + " P2 edges=" +
         std::to_string(edge_count(model.level2.graph(PlaceGraphKind::P2))) + " | " +
         std::to_string(model.level2.num_parameters()) + " parameters | Mode-1 pi hidden=" +
         std::to_string(model.policy.arch.hidden) + " | " + std::to_string(model.policy.num_parameters()) + " parameters | map " +
         hex64(model.map_fingerprint);
}

}  // namespace hjepa
