// Model files: a bit-exact round trip, and a refusal naming the file and the defect for a missing
// file, a wrong magic or version, every truncation, every flipped byte, malformed sections and a
// model trained on another map. Saving must never leave a half-written or clobbered file behind.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "agent/jepa/model_file.hpp"
#include "fuzz/model_checksums.hpp"
#include "fuzz_regressions.hpp"

namespace fs = std::filesystem;
using hjepa::ModelError;
using hjepa::ModelFile;
using hjepa::ModelSection;

namespace {

constexpr uint64_t kFingerprint = 0x0123456789abcdefull;

struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() /
           ("hjepa_model_file_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

ModelFile small_model() {
  ModelFile model;
  model.level1 = hjepa::Level1(hjepa::Level1Arch{18, 4, 8, 4, 4, 3}, 7);
  model.level1.z_prior = {0.5f, 0.125f, 0.375f};
  model.level1.z_noise = 0.0123f;
  model.level1.fitted_gain = 0.35f;
  model.train.z_values = 3;
  model.level1.width = 37.5;
  model.level1.height = 21.000000000000004;
  hjepa::Level1TrainParams& t = model.train;
  t.steps = 123;
  t.batch = 17;
  t.unroll = 3;
  t.lr = 0.1 + 0.2;
  t.encoder_lr_scale = 0.25;
  t.target_ema = 0.97;
  t.var_weight = 1.5;
  t.cov_weight = 1e-300;
  t.pred_weight = 2.0 / 3.0;
  t.idm_weight = 0;
  t.head_steps = 99;
  t.polish_steps = 7;
  t.polish_short_unroll = 2;
  t.polish_from_belief = 0.25;  // a share (format-8 files of training code 6 wrote 0 or 1)
  t.probe_steps = 98;
  t.exploration.sequences = 11;
  t.exploration.sequence_length = 13;
  t.exploration.turn_sigma = 0.123456789012345678;
  t.exploration.switch_prob = 0.01;
  t.exploration.blocked_fraction = 0.75;
  t.heldout_sequences = 5;
  hjepa::Level2Arch a2;
  a2.input = 4, a2.latent = 3, a2.hidden = 5, a2.horizon = 6, a2.places = 5, a2.euclid_places = 5, a2.euclid_edges = 2, a2.experience_edges = 3;
  model.level2 = hjepa::Level2(a2, 9);
  for (hjepa::Places* p : {&model.level2.places, &model.level2.euclid}) {
    p->centres.value.setRandom();
    p->subgoals.value.setRandom();
    p->colours.value.setConstant(0.125f);
  }
  model.level2.experience_edges.value << 0, 1, 4, 1, 2, 0, 3.5f, 8, 2.25f;
  model.level2.euclid_edges.value << 0, 1, 1, 2, 4, 6;
  model.level2.rebuild_graphs();
  hjepa::Level2TrainParams& t2 = model.train2;
  t2.steps = 77;
  t2.distance_steps = 78;
  t2.batch = 9;
  t2.lr = 1.0 / 3.0;
  t2.bound_weight = 0.5;
  t2.spread_weight = 1e-7;
  t2.margin = 7.25;
  t2.bound_steps = 5;
  t2.place_radius = 2.5;
  t2.max_places = 99;
  t2.euclid_places = 5;
  t2.kmeans_iterations = 4;
  t2.query_directions = 12;
  t2.min_transitions = 3;
  model.policy = hjepa::Policy(hjepa::PolicyArch{4, 6}, 11);
  model.level1.belief_q = Eigen::MatrixXf::Random(4, 4);
  model.level1.belief_r = Eigen::MatrixXf::Random(4, 4);
  model.level1.belief_context = {2.5f, 1.5f, 1.f, 0.75f, 0.5f, 0.25f};
  model.train.mode1.rounds = 2;
  model.train.mode1.episodes = 5;
  model.train.mode1.heldout_episodes = 3;
  model.train.mode1.episode_steps = 17;
  model.train.mode1.steps = 19;
  model.train.mode1.batch = 23;
  model.train.mode1.lr = 1.0 / 7.0;
  model.train.mode1.hidden = 6;
  model.map_fingerprint = kFingerprint;
  model.train_seed = 0xfedcba9876543210ull;
  model.created_by = "test_model_file \"quoted\"";
  return model;
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string refusal(const std::string& path, std::optional<uint64_t> expected_fingerprint = std::nullopt) {
  try {
    hjepa::load_model(path, expected_fingerprint);
  } catch (const ModelError& e) {
    return e.what();
  }
  return "";
}

bool mentions_all(const std::string& message, std::initializer_list<const char*> words) {
  for (const char* w : words)
    if (message.find(w) == std::string::npos) return false;
  return true;
}

void check_refusal(const std::string& path, std::initializer_list<const char*> words,
                   std::optional<uint64_t> expected_fingerprint = std::nullopt) {
  const std::string message = refusal(path, expected_fingerprint);
  INFO("message: " << message);
  REQUIRE_FALSE(message.empty());
  CHECK(message.find(path) != std::string::npos);
  CHECK(message.find('\n') == std::string::npos);
  CHECK(mentions_all(message, words));
}

template <typename Params>
void check_same_parameters(const Params& saved, const Params& loaded) {
  REQUIRE(saved.size() == loaded.size());
  for (size_t k = 0; k < saved.size(); ++k) {
    INFO("parameter " << saved[k]->name);
    CHECK(saved[k]->name == loaded[k]->name);
    REQUIRE(saved[k]->value.rows() == loaded[k]->value.rows());
    REQUIRE(saved[k]->value.cols() == loaded[k]->value.cols());
    CHECK(std::memcmp(saved[k]->value.data(), loaded[k]->value.data(),
                      sizeof(float) * static_cast<size_t>(saved[k]->value.size())) == 0);
  }
}

std::vector<ModelSection> without(std::vector<ModelSection> sections, const std::string& tag) {
  std::erase_if(sections, [&](const ModelSection& s) { return s.tag == tag; });
  return sections;
}

ModelSection& section(std::vector<ModelSection>& sections, const std::string& tag) {
  for (ModelSection& s : sections)
    if (s.tag == tag) return s;
  FAIL("no section " << tag);
  return sections.front();
}

// Largest N such that T{f1, ..., fN} compiles: the number of fields of an aggregate.
struct AnyField {
  template <typename U>
  operator U() const;
};
template <typename T, size_t... I>
constexpr bool brace_initialisable(std::index_sequence<I...>) {
  return requires { T{(static_cast<void>(I), AnyField{})...}; };
}
template <typename T, size_t N = 0>
constexpr size_t field_count() {
  if constexpr (!brace_initialisable<T>(std::make_index_sequence<N + 1>())) return N;
  else return field_count<T, N + 1>();
}

}  // namespace

TEST_CASE("the config section covers every training field") {
  // A new field in Level1TrainParams or ExplorationParams must be added to model_file.cpp's field lists
  // (z_from_gates is written on its own, as "z_source", only when true).
  CHECK(field_count<hjepa::Level1TrainParams>() == 20);
  CHECK(field_count<hjepa::PolicyTrainParams>() == 8);
  CHECK(field_count<hjepa::ExplorationParams>() == 6);
  CHECK(field_count<hjepa::Level2TrainParams>() == 15);
}

TEST_CASE("save_model then load_model is bit-exact and leaves no temporary file") {
  TempDir dir;
  const std::string path = dir.file("model.hjm");
  const ModelFile saved = small_model();
  hjepa::save_model(saved, path);
  CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 1);

  const ModelFile loaded = hjepa::load_model(path, kFingerprint);
  CHECK(loaded.level1.arch.features == 18);
  CHECK(loaded.level1.arch.latent == 4);
  CHECK(loaded.level1.arch.hidden == 8);
  CHECK(loaded.level1.arch.head_hidden == 4);
  CHECK(loaded.level1.arch.z_values == 3);
  CHECK(loaded.level1.z_prior == saved.level1.z_prior);
  CHECK(loaded.level1.z_noise == saved.level1.z_noise);
  CHECK(loaded.train.z_values == 3);
  CHECK_FALSE(loaded.train.z_from_gates);  // written only when true (then read back: the CONF test below)
  CHECK(loaded.level1.width == saved.level1.width);
  CHECK(loaded.level1.height == saved.level1.height);
  check_same_parameters(saved.level1.params(), loaded.level1.params());
  check_same_parameters(saved.level1.inverse_dynamics.params(), loaded.level1.inverse_dynamics.params());
  check_same_parameters(saved.level2.params(), loaded.level2.params());
  check_same_parameters(saved.policy.net.params(), loaded.policy.net.params());
  CHECK(loaded.policy.arch.latent == 4);
  CHECK(loaded.policy.arch.hidden == 6);
  CHECK(loaded.level1.belief_q == saved.level1.belief_q);
  CHECK(loaded.level1.belief_r == saved.level1.belief_r);
  CHECK(loaded.level1.fitted_gain == 0.35f);
  CHECK(loaded.level1.belief_context == saved.level1.belief_context);
  CHECK(loaded.train.polish_from_belief == 0.25);
  CHECK(loaded.train.exploration.motion_ref == saved.train.exploration.motion_ref);  // written where not 0 (trained models: 0)
  CHECK(loaded.level2.arch.latent == 3);
  CHECK(loaded.level2.arch.horizon == 6);
  CHECK(loaded.level2.arch.places == 5);
  const hjepa::PlaceGraph& experienced = loaded.level2.graph(hjepa::PlaceGraphKind::Experience);
  REQUIRE(experienced.size() == 5);
  REQUIRE(experienced[0].size() == 1);
  CHECK(experienced[0][0].to == 1);
  CHECK(experienced[0][0].cost == 3.5f);
  CHECK(experienced[4][0].to == 0);
  CHECK(loaded.level2.graph(hjepa::PlaceGraphKind::Euclid)[1][0].cost == 6);
  const hjepa::Level2TrainParams &a2 = saved.train2, &b2 = loaded.train2;
  CHECK(b2.steps == a2.steps);
  CHECK(b2.distance_steps == a2.distance_steps);
  CHECK(b2.batch == a2.batch);
  CHECK(b2.lr == a2.lr);
  CHECK(b2.bound_weight == a2.bound_weight);
  CHECK(b2.spread_weight == a2.spread_weight);
  CHECK(b2.margin == a2.margin);
  CHECK(b2.place_radius == a2.place_radius);
  CHECK(b2.euclid_places == a2.euclid_places);
  CHECK(b2.kmeans_iterations == a2.kmeans_iterations);
  CHECK(b2.query_directions == a2.query_directions);
  CHECK(b2.min_transitions == a2.min_transitions);

  const hjepa::Level1TrainParams &a = saved.train, &b = loaded.train;
  CHECK(b.steps == a.steps);
  CHECK(b.batch == a.batch);
  CHECK(b.unroll == a.unroll);
  CHECK(b.lr == a.lr);
  CHECK(b.encoder_lr_scale == a.encoder_lr_scale);
  CHECK(b.target_ema == a.target_ema);
  CHECK(b.var_weight == a.var_weight);
  CHECK(b.cov_weight == a.cov_weight);
  CHECK(b.pred_weight == a.pred_weight);
  CHECK(b.idm_weight == a.idm_weight);
  CHECK(b.head_steps == a.head_steps);
  CHECK(b.polish_steps == a.polish_steps);
  CHECK(b.polish_short_unroll == a.polish_short_unroll);
  CHECK(b.polish_from_belief == a.polish_from_belief);
  CHECK(b.probe_steps == a.probe_steps);
  CHECK(b.exploration.sequences == a.exploration.sequences);
  CHECK(b.exploration.sequence_length == a.exploration.sequence_length);
  CHECK(b.exploration.turn_sigma == a.exploration.turn_sigma);
  CHECK(b.exploration.switch_prob == a.exploration.switch_prob);
  CHECK(b.exploration.blocked_fraction == a.exploration.blocked_fraction);
  CHECK(b.heldout_sequences == a.heldout_sequences);
  CHECK(b.mode1.rounds == a.mode1.rounds);
  CHECK(b.mode1.episodes == a.mode1.episodes);
  CHECK(b.mode1.heldout_episodes == a.mode1.heldout_episodes);
  CHECK(b.mode1.episode_steps == a.mode1.episode_steps);
  CHECK(b.mode1.steps == a.mode1.steps);
  CHECK(b.mode1.batch == a.mode1.batch);
  CHECK(b.mode1.lr == a.mode1.lr);
  CHECK(b.mode1.hidden == a.mode1.hidden);
  CHECK(loaded.map_fingerprint == kFingerprint);
  CHECK(loaded.train_seed == saved.train_seed);
  CHECK(loaded.created_by == saved.created_by);

  CHECK(read_bytes(path) == hjepa::pack_model_file(hjepa::model_sections(loaded)));
  const std::string description = hjepa::describe_model(loaded);
  CHECK(description.find('\n') == std::string::npos);
  CHECK(mentions_all(description, {"F=18", "D=4", "H=8", "head=4", "0x0123456789abcdef",
                                   std::to_string(loaded.level1.num_parameters()).c_str()}));

  SUBCASE("saving again replaces the file") {
    ModelFile other = small_model();
    other.map_fingerprint = 42;
    hjepa::save_model(other, path);
    CHECK(hjepa::load_model(path).map_fingerprint == 42);
  }
}

TEST_CASE("a missing file, a wrong magic and a wrong version are refused") {
  TempDir dir;
  const std::string path = dir.file("model.hjm");
  check_refusal(path, {"cannot open file", "No such file", "expected a hjepa model file"});

  write_bytes(path, R"({"format": "hjepa-map/1", "size": [40, 30], "regions": [], "obstacles": []})");
  check_refusal(path, {"not a model file", "HJEPAMDL"});
  write_bytes(path, "HJ");
  check_refusal(path, {"truncated", "header"});
  write_bytes(path, "HX");
  check_refusal(path, {"not a model file"});

  hjepa::save_model(small_model(), path);
  std::string bytes = read_bytes(path);
  // 1: a level-1-only file from before level 2; 2: P1 without the heading products and no polish
  // or probe step counts; 3: P1 with two hidden layers and no Fourier inputs; 4: level 2 with
  // k-means places in s and no temporal distance; 5: P1 without the latent z; 6: no Mode-1 policy;
  // 7: no fitted belief gain; 8: no context ratios for the Kalman belief; 10: a later hjepa.
  for (const uint32_t version : {1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u, 10u}) {
    std::memcpy(&bytes[8], &version, sizeof version);
    write_bytes(path, bytes);
    check_refusal(path, {"unsupported model format version", ("found " + std::to_string(version)).c_str(), "expected 9",
                         "retrain"});
  }
}

TEST_CASE("every truncation of a model file is refused as truncated") {
  TempDir dir;
  const std::string path = dir.file("model.hjm");
  const std::string full = hjepa::pack_model_file(hjepa::model_sections(small_model()));
  const size_t parameters_at = full.find("PARM");
  REQUIRE(parameters_at != std::string::npos);
  for (size_t length = 0; length < full.size(); ++length) {
    CAPTURE(length);
    write_bytes(path, full.substr(0, length));
    const std::string message = refusal(path);
    INFO("message: " << message);
    REQUIRE(message.find(path) != std::string::npos);
    REQUIRE(message.find("truncated") != std::string::npos);
    if (length >= 28) REQUIRE(message.find("of " + std::to_string(full.size()) + " bytes") != std::string::npos);
  }
  write_bytes(path, full.substr(0, full.size() - 8));
  check_refusal(path, {"truncated", "before the checksum"});
  write_bytes(path, full.substr(0, full.size() - 3));
  check_refusal(path, {"truncated", "inside the checksum"});
  write_bytes(path, full.substr(0, parameters_at + 20));
  check_refusal(path, {"truncated", "inside section \"PARM\""});
  write_bytes(path, full.substr(0, parameters_at + 5));
  check_refusal(path, {"truncated", "inside the header of the section after \"MAP \""});
  write_bytes(path, full.substr(0, 28));
  check_refusal(path, {"truncated", "before the first section"});
}

TEST_CASE("a flipped byte anywhere is refused") {
  TempDir dir;
  const std::string path = dir.file("model.hjm");
  const std::string full = hjepa::pack_model_file(hjepa::model_sections(small_model()));
  for (size_t at = 0; at < full.size(); ++at) {
    for (unsigned char mask : {0x01, 0x80}) {
      CAPTURE(at);
      std::string bytes = full;
      bytes[at] = static_cast<char>(bytes[at] ^ mask);
      write_bytes(path, bytes);
      const std::string message = refusal(path);
      INFO("message: " << message);
      REQUIRE(message.find(path) != std::string::npos);
      if (at < 8) REQUIRE(message.find("not a model file") != std::string::npos);
      else if (at < 12) REQUIRE(message.find("unsupported model format version") != std::string::npos);
      else REQUIRE(mentions_all(message, {"checksum mismatch", "corrupted: expected 0x", "found 0x"}));
    }
  }
  write_bytes(path, full + "x");
  check_refusal(path, {"1 unexpected bytes after the checksum", "corrupted"});
}

TEST_CASE("a model trained on another map is refused when the map is given") {
  TempDir dir;
  const std::string path = dir.file("model.hjm");
  hjepa::save_model(small_model(), path);
  check_refusal(path,
                {"model was trained on map 0x0123456789abcdef, this map is 0x00000000000000ff",
                 "expected a model trained on this map (train one with hjepa train)"},
                0xffull);
  CHECK_NOTHROW(hjepa::load_model(path));
}

TEST_CASE("malformed sections are refused naming the section") {
  TempDir dir;
  const std::string path = dir.file("model.hjm");
  const std::vector<ModelSection> good = hjepa::model_sections(small_model());
  auto write_sections = [&](const std::vector<ModelSection>& sections) {
    write_bytes(path, hjepa::pack_model_file(sections));
  };

  SUBCASE("a missing section") {
    for (const char* tag : {"ARCH", "CONF", "MAP ", "PARM", "IDYN", "L2AR", "L2PM", "PIAR", "PIPM", "KALM"}) {
      CAPTURE(tag);
      write_sections(without(good, tag));
      check_refusal(path, {"missing section", tag, "expected sections"});
    }
  }
  SUBCASE("unknown sections are skipped, duplicates refused") {
    auto sections = good;
    sections.insert(sections.begin() + 2, ModelSection{"LVL3", "future payload"});
    write_sections(sections);
    CHECK(hjepa::load_model(path).map_fingerprint == kFingerprint);
    sections.push_back(good.front());
    write_sections(sections);
    check_refusal(path, {"section \"ARCH\" appears twice"});
  }
  SUBCASE("architecture values out of range") {
    for (int32_t latent : {0, -3, 1025}) {
      auto sections = good;
      std::memcpy(&section(sections, "ARCH").payload[4], &latent, sizeof latent);
      write_sections(sections);
      check_refusal(path, {"section \"ARCH\"", ("latent = " + std::to_string(latent)).c_str(), "1 <= latent <= 1024"});
    }
    auto sections = good;
    const double width = -1;
    std::memcpy(&section(sections, "ARCH").payload[24], &width, sizeof width);
    write_sections(sections);
    check_refusal(path, {"section \"ARCH\"", "width", "finite number > 0"});
    sections = good;
    section(sections, "ARCH").payload.pop_back();
    write_sections(sections);
    check_refusal(path, {"section \"ARCH\"", "55 bytes; expected 56 for z_values = 3"});
    for (int32_t z_values : {0, 17}) {
      sections = good;
      std::memcpy(&section(sections, "ARCH").payload[20], &z_values, sizeof z_values);
      write_sections(sections);
      check_refusal(path, {"section \"ARCH\"", ("z_values = " + std::to_string(z_values)).c_str(), "1 <= z_values <= 16"});
    }
    sections = good;
    const float nan = std::numeric_limits<float>::quiet_NaN(), heavy = 0.9f;
    std::memcpy(&section(sections, "ARCH").payload[40], &nan, sizeof nan);
    write_sections(sections);
    check_refusal(path, {"section \"ARCH\"", "z_noise", "finite number > 0"});
    sections = good;
    std::memcpy(&section(sections, "ARCH").payload[44], &heavy, sizeof heavy);
    write_sections(sections);
    check_refusal(path, {"section \"ARCH\"", "z_prior sums to 1.4", "summing to 1"});
  }
  SUBCASE("parameters that do not match the architecture") {
    auto sections = good;
    const int32_t latent = 5;
    std::memcpy(&section(sections, "ARCH").payload[4], &latent, sizeof latent);
    write_sections(sections);
    check_refusal(path, {"section \"PARM\"", "parameter load", "expected shape", "ARCH"});

    sections = good;
    section(sections, "IDYN") = ModelSection{"IDYN", section(sections, "PARM").payload};
    write_sections(sections);
    check_refusal(path, {"section \"IDYN\"", "parameter load", "parameter count"});

    sections = good;
    section(sections, "PARM").payload += "xx";
    write_sections(sections);
    check_refusal(path, {"section \"PARM\"", "2 bytes left after the last parameter"});
  }
  SUBCASE("an unreadable or incomplete config") {
    auto sections = good;
    section(sections, "CONF").payload = "{\"level1\": ";
    write_sections(sections);
    check_refusal(path, {"section \"CONF\"", "$: not valid JSON (parse error at byte "});

    auto edit_config = [&](auto&& edit) {
      auto edited = good;
      auto conf = nlohmann::json::parse(section(edited, "CONF").payload);
      edit(conf);
      section(edited, "CONF").payload = conf.dump();
      write_sections(edited);
    };
    edit_config([](nlohmann::json& c) { c["level1"]["exploration"].erase("turn_sigma"); });
    check_refusal(path, {"section \"CONF\"", "$.level1.exploration.turn_sigma: missing", "expected a number"});
    edit_config([](nlohmann::json& c) { c["level1"]["steps"] = 2.5; });
    check_refusal(path, {"section \"CONF\"", "$.level1.steps: 2.5 is not an integer"});
    edit_config([](nlohmann::json& c) { c["level1"]["batch"] = 1ll << 40; });
    check_refusal(path, {"section \"CONF\"", "$.level1.batch", "is out of range; expected a 32-bit integer"});
    edit_config([](nlohmann::json& c) { c["train_seed"] = -1; });
    check_refusal(path, {"section \"CONF\"", "$.train_seed: -1 is negative; expected an unsigned 64-bit integer"});
    edit_config([](nlohmann::json& c) { c["level1"]["learning_rate"] = 1; });
    check_refusal(path, {"section \"CONF\"", "$.level1.learning_rate: unknown key"});
    edit_config([](nlohmann::json& c) { c.erase("level1"); });
    check_refusal(path, {"section \"CONF\"", "$.level1: missing"});
    // z_source: absent = learned (every model before it); "gates" read back; anything else refused.
    edit_config([](nlohmann::json& c) { c["level1"]["z_source"] = "gates"; });
    CHECK(hjepa::load_model(path).train.z_from_gates);
    edit_config([](nlohmann::json& c) { c["level1"]["z_source"] = "learned"; });
    check_refusal(path, {"section \"CONF\"", "$.level1.z_source: \"learned\"", "expected \"gates\" (or no z_source: learned)"});
    // A file from before the polish's short unroll: read as 0 (train.unroll throughout).
    edit_config([](nlohmann::json& c) { c["level1"].erase("polish_short_unroll"); });
    CHECK(hjepa::load_model(path).train.polish_short_unroll == 0);
    edit_config([](nlohmann::json& c) { c["level1"]["polish_short_unroll"] = "two"; });
    check_refusal(path, {"section \"CONF\"", "$.level1.polish_short_unroll"});
    // A file from before the polish learned from the belief: read as 0 (the raw encodings); training
    // code 6 wrote the share as the integer 1.
    edit_config([](nlohmann::json& c) { c["level1"]["polish_from_belief"] = 1; });
    CHECK(hjepa::load_model(path).train.polish_from_belief == 1);
    edit_config([](nlohmann::json& c) { c["level1"].erase("polish_from_belief"); });
    CHECK(hjepa::load_model(path).train.polish_from_belief == 0);
    // A file from before level 2's belief gain: read as trained on the raw encodings (gain 1).
    edit_config([](nlohmann::json& c) { c["level2"].erase("belief_gain"); });
    CHECK(hjepa::load_model(path).train2.belief_gain == 1);
    edit_config([](nlohmann::json& c) { c["level2"]["belief_gain"] = "half"; });
    check_refusal(path, {"section \"CONF\"", "$.level2.belief_gain"});
  }
  SUBCASE("level-2 sections that do not fit") {
    auto sections = good;
    const int32_t input = 7;  // level 1's latent is 4
    std::memcpy(&section(sections, "L2AR").payload[0], &input, sizeof input);
    write_sections(sections);
    check_refusal(path, {"section \"L2AR\"", "input = 7", "level 1's latent dimension", "expected 4"});

    sections = good;
    const int32_t places = 0;
    std::memcpy(&section(sections, "L2AR").payload[16], &places, sizeof places);
    write_sections(sections);
    check_refusal(path, {"section \"L2AR\"", "places = 0", "1 <= places <= 4096"});

    sections = good;
    const int32_t edges = 2;  // the table holds 3
    std::memcpy(&section(sections, "L2AR").payload[28], &edges, sizeof edges);
    write_sections(sections);
    check_refusal(path, {"section \"L2PM\"", "expected shape"});

    ModelFile bad = small_model();
    bad.level2.experience_edges.value(1, 2) = 5;  // no place 5
    write_sections(hjepa::model_sections(bad));
    check_refusal(path, {"section \"L2PM\"", "'places.experience_edges' edge 2", "malformed", "place indices in [0, 5)"});
    bad = small_model();
    bad.level2.experience_edges.value(2, 0) = -1;
    write_sections(hjepa::model_sections(bad));
    check_refusal(path, {"section \"L2PM\"", "edge 0", "finite cost >= 0"});

    auto edited = good;
    auto conf = nlohmann::json::parse(section(edited, "CONF").payload);
    conf["level2"].erase("min_transitions");
    section(edited, "CONF").payload = conf.dump();
    write_sections(edited);
    check_refusal(path, {"section \"CONF\"", "$.level2.min_transitions: missing"});
  }
  SUBCASE("Mode-1 policy sections that do not fit") {
    auto sections = good;
    const int32_t latent = 5;  // level 1's latent is 4
    std::memcpy(&section(sections, "PIAR").payload[0], &latent, sizeof latent);
    write_sections(sections);
    check_refusal(path, {"section \"PIAR\"", "latent = 5", "level 1's latent dimension", "expected 4"});
    sections = good;
    const int32_t hidden = 7;  // the stored layers are 6 wide
    std::memcpy(&section(sections, "PIAR").payload[4], &hidden, sizeof hidden);
    write_sections(sections);
    check_refusal(path, {"section \"PIPM\"", "expected shape"});
    sections = good;
    section(sections, "PIAR").payload += '\0';
    write_sections(sections);
    check_refusal(path, {"section \"PIAR\"", "9 bytes; expected 8"});
    auto edited = good;
    auto conf = nlohmann::json::parse(section(edited, "CONF").payload);
    conf["level1"]["mode1"].erase("rounds");
    section(edited, "CONF").payload = conf.dump();
    write_sections(edited);
    check_refusal(path, {"section \"CONF\"", "$.level1.mode1.rounds: missing"});
  }
  SUBCASE("Kalman noise sections that do not fit") {
    auto sections = good;
    const int32_t D = 3;  // level 1's latent is 4
    std::memcpy(&section(sections, "KALM").payload[0], &D, sizeof D);
    write_sections(sections);
    check_refusal(path, {"section \"KALM\"", "D = 3", "level 1's latent dimension", "expected 4"});
    sections = good;
    section(sections, "KALM").payload.pop_back();
    write_sections(sections);
    check_refusal(path, {"section \"KALM\"", "163 bytes; expected 164", "context ratios"});
    sections = good;
    const int32_t bins = 5;  // not kClearanceBins
    std::memcpy(&section(sections, "KALM").payload[136], &bins, sizeof bins);
    write_sections(sections);
    check_refusal(path, {"section \"KALM\"", "context ratio count 5", "expected 0 or 6"});
    sections = good;
    const float ratio = -1.f;
    std::memcpy(&section(sections, "KALM").payload[140 + 4 * 2], &ratio, sizeof ratio);
    write_sections(sections);
    check_refusal(path, {"section \"KALM\"", "context ratio 2 = -1", "expected a number in [0, 1e6]"});
    sections = good;
    const float gain = 1.5f;
    std::memcpy(&section(sections, "KALM").payload[132], &gain, sizeof gain);
    write_sections(sections);
    check_refusal(path, {"section \"KALM\"", "fitted gain = 1.5", "expected a number in [0, 1]"});
    ModelFile bad = small_model();
    bad.level1.belief_r(5) = std::numeric_limits<float>::infinity();
    write_sections(hjepa::model_sections(bad));
    check_refusal(path, {"section \"KALM\"", "non-finite", "index 5"});
  }
  SUBCASE("a non-finite parameter value") {
    ModelFile bad = small_model();
    bad.level1.predictor.layers[1].W.value(2) = std::numeric_limits<float>::quiet_NaN();
    write_sections(hjepa::model_sections(bad));
    check_refusal(path, {"section \"PARM\"", "parameter 'P1.1.W' holds nan at index 2", "expected finite numbers"});
    bad = small_model();
    bad.level2.places.centres.value(0) = -std::numeric_limits<float>::infinity();
    write_sections(hjepa::model_sections(bad));
    check_refusal(path, {"section \"L2PM\"", "parameter 'places.centres' holds -inf at index 0"});
  }
  SUBCASE("a map section of the wrong size") {
    auto sections = good;
    section(sections, "MAP ").payload += '\0';
    write_sections(sections);
    check_refusal(path, {"section \"MAP \"", "9 bytes; expected 8"});
  }
}

TEST_CASE("a failed save leaves no file and an existing file untouched") {
  TempDir dir;
  const ModelFile model = small_model();

  SUBCASE("the directory does not exist") {
    const std::string path = dir.file("missing/model.hjm");
    try {
      hjepa::save_model(model, path);
      FAIL("save_model did not throw");
    } catch (const ModelError& e) {
      const std::string message = e.what();
      CHECK(message.find(path) != std::string::npos);
      CHECK(message.find("cannot create file") != std::string::npos);
    }
    CHECK_FALSE(fs::exists(dir.path / "missing"));
  }
  SUBCASE("the temporary file cannot be created") {
    const std::string path = dir.file("model.hjm");
    write_bytes(path, "previous contents");
    fs::create_directory(path + ".tmp." + std::to_string(::getpid()));
    CHECK_THROWS_AS(hjepa::save_model(model, path), ModelError);
    CHECK(read_bytes(path) == "previous contents");
  }
  SUBCASE("a model with a non-finite parameter is not saved") {
    const std::string path = dir.file("model.hjm");
    ModelFile bad = model;
    bad.level1.encoder.layers[0].b.value(1) = std::numeric_limits<float>::infinity();
    try {
      hjepa::save_model(bad, path);
      FAIL("save_model did not throw");
    } catch (const ModelError& e) {
      CHECK(std::string(e.what()) == path + ": cannot save model: parameter 'E1.0.b' holds inf at index 1; expected finite numbers");
    }
    CHECK_FALSE(fs::exists(path));
  }
  SUBCASE("the target cannot be replaced") {
    const std::string path = dir.file("model.hjm");
    fs::create_directory(path);
    fs::create_directory(fs::path(path) / "keep");
    try {
      hjepa::save_model(model, path);
      FAIL("save_model did not throw");
    } catch (const ModelError& e) {
      CHECK(std::string(e.what()).find(path + ": cannot replace file") != std::string::npos);
    }
    CHECK(fs::is_directory(fs::path(path) / "keep"));
    CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 1);
  }
}

TEST_CASE("inputs found by fuzzing (tests/data/fuzz/model) load or are refused with ModelError") {
  // As in tests/fuzz/fuzz_model_file.cpp: each input as is and with its checksums recomputed.
  for (const auto& [name, bytes] : hjepa::test::fuzz_regressions("model"))
    for (const std::string& b : {bytes, hjepa::test::with_valid_checksums(bytes)}) {
      CAPTURE(name);
      try {
        const ModelFile m = hjepa::unpack_model_file(b, name);
        const std::string packed = hjepa::pack_model_file(hjepa::model_sections(m));
        CHECK(hjepa::pack_model_file(hjepa::model_sections(hjepa::unpack_model_file(packed, "round trip"))) == packed);
      } catch (const ModelError& e) {
        CHECK(std::string(e.what()).rfind(name + ": ", 0) == 0);
      }
    }
}
