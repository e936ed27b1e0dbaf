// `hjepa run`: one episode with a chosen agent; a readable summary, or one JSON object (--json); with
// --video, the episode as the app's world view in a video file. The episode's world, env and agent
// live in a Session, which the video draws; the loop here drives them.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "agent/config.hpp"
#include "agent/jepa/hjepa_agent.hpp"
#include "app/agent_factory.hpp"
#include "app/cli_common.hpp"
#include "app/cli_video.hpp"
#include "app/gui/session.hpp"
#include "app/model_cache.hpp"
#include "sim/oracle.hpp"

namespace hjepa {

namespace {

// This episode's gates, closed or not, in file order (the oracle's route used them).
nlohmann::json gates_closed(const World& world, const EnvState& state) {
  nlohmann::json closed = nlohmann::json::array();
  for (int g = 0; g < world.gate_count(); ++g) closed.push_back(((state.open_gates >> g) & 1u) == 0);
  return closed;
}

// The learned agents' model: --model's file, else the cached model for this map (trained first if none).
ModelFile run_model(const std::string& model_path, const World& world, const EnvParams& env_params) {
  if (!model_path.empty()) {
    try {
      return load_model(model_path, world.fingerprint());
    } catch (const ModelError& e) {
      throw UsageError(std::string("--model: ") + e.what());
    }
  }
  std::fprintf(stderr, "hjepa run: no --model given: using the cached model for this map, or training one\n");
  ModelCacheResult cache;
  ModelFile model = cached_model(world, env_params, Level1TrainParams{}, Level2TrainParams{}, 1, "hjepa run", &cache);
  if (cache.from_cache)
    std::fprintf(stderr, "hjepa run: model: from cache %s\n", cache.path.c_str());
  else
    std::fprintf(stderr, "hjepa run: model: trained in %.1f s (probe R^2 %.4f)%s%s\n", cache.train_seconds,
                 cache.report.probe_r2, cache.path.empty() ? ", not cached" : ", cached as ", cache.path.c_str());
  return model;
}

// run --json's record of one step of an agent with level 2: what both levels decided.
nlohmann::json step_json(const HJepaTrace& tr, double heading) {
  return {{"place", tr.place},
          {"subgoal_place", tr.subgoal_place},
          {"target_colour", tr.target_colour >= 0 ? std::string(color_name(static_cast<Color>(tr.target_colour))) : ""},
          {"replan", tr.replan_reason},
          {"correction", tr.correction},
          {"watch_window", tr.watch_window},
          // the gain of the belief update before this step's plan (null at the first step)
          {"belief_gain", tr.belief.gain < 0 ? nlohmann::json() : nlohmann::json(tr.belief.gain)},
          {"plan_places", tr.high.places},
          {"plan_cost", tr.high.cost},
          {"low_cost", tr.low.cost},
          {"heading", heading},
          // the Mode-1 policy's heading at this belief (null without a policy)
          {"policy_heading", std::isnan(tr.low.policy_heading) ? nlohmann::json() : nlohmann::json(tr.low.policy_heading)}};
}

// One episode as hjepa run reports it (the loop in cmd_run fills it).
struct EpisodeLog {
  std::vector<Vec2> trajectory, observed;  // true and perceived positions, the start first
  std::vector<int> progress_steps;          // the step at which each colour was achieved
  bool terminated = false, truncated = false;
  double total_reward = 0, run_ms = 0;      // run_ms: the agent's and the env's time, not the video's
  nlohmann::json step_trace = nlohmann::json::array();   // --json with level 2: what both levels decided at each step
  nlohmann::json corrections = nlohmann::json::array();  // with level 2: each step where the world refuted the model
};

// What else the report reads: the agent, the episode's setting and its oracle.
struct RunOutcome {
  const Agent& agent;
  const Task& task;
  const World& world;
  const Env& env;
  uint64_t seed;
  const OraclePath& oracle;
  double oracle_ms;
  int oracle_steps;
};

// run --json's object.
nlohmann::json run_json(const RunOutcome& o, const EpisodeLog& log, const RunConfig& run_config) {
  auto points = [](const std::vector<Vec2>& v) {
    nlohmann::json a = nlohmann::json::array();
    for (Vec2 p : v) a.push_back({p.x, p.y});
    return a;
  };
  const int steps = o.env.state().step;
  nlohmann::json j = {{"agent", o.agent.name()},
                      {"task", task_to_string(o.task)},
                      {"map_fingerprint", o.world.fingerprint()},
                      {"seed", o.seed},
                      {"success", log.terminated},
                      {"truncated", log.truncated},
                      {"steps", steps},
                      {"max_steps", o.env.max_steps()},
                      {"reward", log.total_reward},
                      {"oracle_length", o.oracle.length},
                      {"oracle_steps", o.oracle_steps},
                      {"oracle_path", points(o.oracle.points)},
                      {"oracle_ms", o.oracle_ms},
                      {"ms_per_step", steps > 0 ? log.run_ms / steps : 0.0},
                      {"low_mode", low_mode_name(run_config.planner.mode)},
                      {"progress_steps", log.progress_steps},
                      {"trajectory", points(log.trajectory)},
                      {"observations", points(log.observed)}};
  if (o.world.gate_count() > 0) j["gates_closed"] = gates_closed(o.world, o.env.state());  // only on maps with gates
  const AgentTrace t = o.agent.trace();
  if (t.hierarchy) {
    const HighLevelPlan& first = *t.first_high_plan;
    nlohmann::json colours = nlohmann::json::array();
    for (Color c : plan_colour_sequence(first)) colours.push_back(std::string(color_name(c)));
    j["high_level_plan"] = colours;
    j["high_level_plan_places"] = first.places;
    j["high_level_plan_cost"] = first.cost;
    j["high_level_replans"] = t.hierarchy->replans;
    j["corrections"] = log.corrections;
    j["trace"] = log.step_trace;
  }
  return j;
}

// run's readable summary.
void print_run_summary(const RunOutcome& o, const EpisodeLog& log, Vec2 start_pos) {
  const int steps = o.env.state().step;
  std::printf("agent %s, task %s, start (%.2f, %.2f), seed %llu\n", o.agent.name().c_str(), task_to_string(o.task).c_str(),
              start_pos.x, start_pos.y, static_cast<unsigned long long>(o.seed));
  if (const AgentTrace t = o.agent.trace(); t.hierarchy)
    std::printf("high-level plan at the start: %s (%zu places, predicted %.0f steps); %d level-2 plans\n",
                colour_sequence_text(plan_colour_sequence(*t.first_high_plan)).c_str(), t.first_high_plan->places.size(),
                t.first_high_plan->cost, t.hierarchy->replans);
  std::printf("%s after %d steps (limit %d); colours achieved at steps:", log.terminated ? "success" : "truncated", steps,
              o.env.max_steps());
  for (size_t k = 0; k < log.progress_steps.size(); ++k)
    std::printf(" %s@%d", std::string(color_name(o.task.colors[k])).c_str(), log.progress_steps[k]);
  std::printf("\noracle: length %.3f, %d steps (planned in %.1f ms); this run: %.2f x oracle steps\n", o.oracle.length,
              o.oracle_steps, o.oracle_ms, o.oracle_steps > 0 ? static_cast<double>(steps) / o.oracle_steps : 1.0);
}

}  // namespace

int cmd_run(int argc, char** argv) {
  CLI::App app{"Run one episode headless and print a summary (or one JSON object with --json).", "hjepa run"};
  MapChoice map;
  std::string task_text, start_text, agent_name;
  uint64_t seed = 1;
  EnvParams env_params;
  bool json = false;
  add_map_options(app, map, true);
  app.add_option("--task", task_text, "Colours to stand in, in order, e.g. red,green (1-6 of: " + palette_list() + ")")
      ->required();
  app.add_option("--start", start_text, "Start position X,Y (default: drawn from --seed)");
  std::string model_path, planner_name = "gradient";
  app.add_option("--agent", agent_name, "Agent: " + agent_name_list() + " (flat = level 1 alone, hjepa = both levels)")->required()
      ->check(CLI::IsMember(agent_names()));
  app.add_option("--model", model_path,
                 "Model file from hjepa train (flat, hjepa and the hjepa-* variants; without it, uses the model cache or trains one first)");
  app.add_option("--planner", planner_name, param_flag_help("agent.planner.type"))
      ->check(CLI::IsMember(declared("agent.planner.type").choices));
  app.add_option("--seed", seed, "Episode seed (start point, noise, agent randomness); default 1")->check(seed_check());
  add_env_options(app, env_params);
  std::vector<std::string> settings;
  app.add_option("--set", settings,
                 "Override one parameter of the episode or the agent, e.g. --set agent.watch.passage_radius=9 (repeatable; "
                 "the names, ranges and defaults of hjepa bench --help-config; train.* belongs to hjepa train)");
  app.add_flag("--json", json, "Print exactly one JSON object on stdout");
  VideoOptions video_options;
  add_video_options(app, video_options, "--video",
                    "Write the episode as H.264 video through ffmpeg (.mp4, .mkv or .mov), drawn as the app's world view: "
                    "the first frame at the reset, then one per step");

  return run_command(app, argc, argv, [&] {
    RunConfig run_config;  // the flags above, then --set in order
    run_config.env = env_params;
    run_config.planner_type = planner_name;
    apply_set_options(settings, [](const std::string& s) { return !is_train_setting(s); }, run_config, nullptr, nullptr,
                      "training parameters are not set here (expected env.* or agent.*); train a model with hjepa train "
                      "and pass it with --model");
    env_params = run_config.env;
    Session session;  // the episode's world, env and agent, drawn by --video
    session.set_world(make_world(map), map.file.empty() ? "seed " + std::to_string(*map.seed) : map.file);
    const World& world = *session.world;
    const Task task = make_task(task_text, world);
    std::optional<Vec2> start;
    if (!start_text.empty()) start = parse_point(start_text, "--start");
    session.set_run_config(run_config);
    session.agent_name = agent_name;
    session.task = task;
    session.episode_seed = seed;
    session.start = start;
    session.env = std::make_unique<Env>(world, task, env_params);
    Env& env = *session.env;
    Observation obs;
    try {
      obs = env.reset(seed, start);
    } catch (const std::invalid_argument& e) {  // the env's own check names the point and the map
      throw UsageError(std::string("--start: ") + e.what());
    }
    const Vec2 start_pos = env.state().position;

    const auto t0 = std::chrono::steady_clock::now();
    const OraclePath oracle = plan_oracle(world.with_gates(env.state().open_gates), start_pos, task, 0);  // privileged: this episode's gates
    const double oracle_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (!oracle.found) throw UsageError("--task: " + task_to_string(task) + " cannot be completed from this start (a colour is unreachable)");
    // Before the episode (and any training): ffmpeg found and started, the file writable.
    std::unique_ptr<EpisodeRecorder> video = start_recorder(video_options, "--video");
    std::string video_error;
    auto record = [&] {  // the frame of the step just taken (or of the reset)
      if (!video || !video_error.empty()) return;
      try {
        video->update(session);
      } catch (const VideoError& e) {
        video_error = e.what();
      }
    };

    ModelFile model = agent_needs_model(agent_name) ? run_model(model_path, world, env_params) : ModelFile{};
    session.model = std::make_shared<const ModelFile>(std::move(model));
    AgentSetup setup(env, task, env_params, seed, session.model.get());
    setup.take(run_config);
    std::unique_ptr<Agent>& agent = session.agent;
    try {
      agent = make_agent(agent_name, setup);
    } catch (const UsageError& e) {
      throw UsageError(std::string(model_path.empty() ? "" : "--model: ") + e.what());
    }
    agent->reset(obs);
    session.adopt_episode(obs, oracle);
    record();

    EpisodeLog log;
    log.trajectory = {start_pos}, log.observed = {obs.position};
    log.progress_steps.assign(env.state().progress, 0);
    log.terminated = env.state().progress >= task.size();
    const auto t1 = std::chrono::steady_clock::now();
    while (!log.terminated && !log.truncated) {
      const double heading = agent->act(obs);
      const HJepaTrace* hierarchy = agent->trace().hierarchy;  // null for the agents without level 2
      if (hierarchy && !hierarchy->correction.empty()) {
        log.corrections.push_back({{"step", env.state().step}, {"correction", hierarchy->correction}});
        if (!json) std::fprintf(stderr, "step %d: %s\n", env.state().step, hierarchy->correction.c_str());
      }
      if (hierarchy && json) log.step_trace.push_back(step_json(*hierarchy, heading));
      const StepResult r = env.step(heading);
      obs = r.obs;
      log.total_reward += r.reward;
      log.trajectory.push_back(r.info.true_position);
      log.observed.push_back(obs.position);
      while (static_cast<int>(log.progress_steps.size()) < r.info.progress) log.progress_steps.push_back(r.info.step);
      log.terminated = r.terminated;
      log.truncated = r.truncated;
      session.record_step(r);
      record();
    }
    const double video_ms = video ? video->render_ms() + video->encode_ms() : 0;  // not the agent's time
    log.run_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t1).count() - video_ms;
    if (video && video_error.empty()) {
      try {
        video->finish();
      } catch (const VideoError& e) {
        video_error = e.what();
      }
    }
    if (!video_error.empty()) {  // a failure of the run, not of its flags: nothing on stdout, status 1
      std::fprintf(stderr, "hjepa run: --video: %s\n", video_error.c_str());
      return 1;
    }
    if (video)
      std::fprintf(stderr, "hjepa run: video: %d frames at %d fps written to %s (drawing a frame: median %.2f ms)\n",
                   video->frames(), video_options.fps, video->path().c_str(), video->median_frame_ms());
    const RunOutcome outcome{*agent, task, world, env, seed, oracle, oracle_ms, oracle_steps(oracle.length, env_params.step_length)};
    if (json) std::printf("%s\n", run_json(outcome, log, run_config).dump().c_str());
    else print_run_summary(outcome, log, start_pos);
    return 0;
  });
}

}  // namespace hjepa
