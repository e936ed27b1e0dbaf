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

    ModelFile model;
    if (agent_needs_model(agent_name)) {
      if (!model_path.empty()) {
        try {
          model = load_model(model_path, world.fingerprint());
        } catch (const ModelError& e) {
          throw UsageError(std::string("--model: ") + e.what());
        }
      } else {
        std::fprintf(stderr, "hjepa run: no --model given: using the cached model for this map, or training one\n");
        ModelCacheResult cache;
        model = cached_model(world, env_params, Level1TrainParams{}, Level2TrainParams{}, 1, "hjepa run", &cache);
        if (cache.from_cache)
          std::fprintf(stderr, "hjepa run: model: from cache %s\n", cache.path.c_str());
        else
          std::fprintf(stderr, "hjepa run: model: trained in %.1f s (probe R^2 %.4f)%s%s\n", cache.train_seconds,
                       cache.report.probe_r2, cache.path.empty() ? ", not cached" : ", cached as ", cache.path.c_str());
      }
    }
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

    std::vector<Vec2> trajectory{start_pos}, observed{obs.position};
    std::vector<int> progress_steps(env.state().progress, 0);
    bool terminated = env.state().progress >= task.size(), truncated = false;
    double total_reward = 0;
    nlohmann::json step_trace = nlohmann::json::array();  // hjepa: what both levels decided at each step
    nlohmann::json corrections = nlohmann::json::array();  // hjepa: each step where the world refuted the model
    const bool hierarchical = agent->trace().hierarchy != nullptr;
    const auto t1 = std::chrono::steady_clock::now();
    while (!terminated && !truncated) {
      const double heading = agent->act(obs);
      const HJepaTrace* hierarchy = agent->trace().hierarchy;  // null for the agents without level 2
      if (hierarchy && !hierarchy->correction.empty()) {
        corrections.push_back({{"step", env.state().step}, {"correction", hierarchy->correction}});
        if (!json) std::fprintf(stderr, "step %d: %s\n", env.state().step, hierarchy->correction.c_str());
      }
      if (hierarchy && json) {
        const HJepaTrace& tr = *hierarchy;
        step_trace.push_back({{"place", tr.place},
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
                              {"policy_heading", std::isnan(tr.low.policy_heading) ? nlohmann::json() : nlohmann::json(tr.low.policy_heading)}});
      }
      const StepResult r = env.step(heading);
      obs = r.obs;
      total_reward += r.reward;
      trajectory.push_back(r.info.true_position);
      observed.push_back(obs.position);
      while (static_cast<int>(progress_steps.size()) < r.info.progress) progress_steps.push_back(r.info.step);
      terminated = r.terminated;
      truncated = r.truncated;
      session.record_step(r);
      record();
    }
    const double video_ms = video ? video->render_ms() + video->encode_ms() : 0;  // not the agent's time
    const double run_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t1).count() - video_ms;
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
    const int steps = env.state().step;
    const int o_steps = oracle_steps(oracle.length, env_params.step_length);

    if (json) {
      auto points = [](const std::vector<Vec2>& v) {
        nlohmann::json a = nlohmann::json::array();
        for (Vec2 p : v) a.push_back({p.x, p.y});
        return a;
      };
      nlohmann::json j = {{"agent", agent->name()},
                          {"task", task_to_string(task)},
                          {"map_fingerprint", world.fingerprint()},
                          {"seed", seed},
                          {"success", terminated},
                          {"truncated", truncated},
                          {"steps", steps},
                          {"max_steps", env.max_steps()},
                          {"reward", total_reward},
                          {"oracle_length", oracle.length},
                          {"oracle_steps", o_steps},
                          {"oracle_path", points(oracle.points)},
                          {"oracle_ms", oracle_ms},
                          {"ms_per_step", steps > 0 ? run_ms / steps : 0.0},
                          {"low_mode", low_mode_name(run_config.planner.mode)},
                          {"progress_steps", progress_steps},
                          {"trajectory", points(trajectory)},
                          {"observations", points(observed)}};
      if (world.gate_count() > 0) j["gates_closed"] = gates_closed(world, env.state());  // only on maps with gates
      if (hierarchical) {
        const AgentTrace t = agent->trace();
        const HighLevelPlan& first = *t.first_high_plan;
        nlohmann::json colours = nlohmann::json::array();
        for (Color c : plan_colour_sequence(first)) colours.push_back(std::string(color_name(c)));
        j["high_level_plan"] = colours;
        j["high_level_plan_places"] = first.places;
        j["high_level_plan_cost"] = first.cost;
        j["high_level_replans"] = t.hierarchy->replans;
        j["corrections"] = corrections;
        j["trace"] = step_trace;
      }
      std::printf("%s\n", j.dump().c_str());
    } else {
      std::printf("agent %s, task %s, start (%.2f, %.2f), seed %llu\n", agent->name().c_str(),
                  task_to_string(task).c_str(), start_pos.x, start_pos.y, static_cast<unsigned long long>(seed));
      if (hierarchical) {
        const AgentTrace t = agent->trace();
        std::printf("high-level plan at the start: %s (%zu places, predicted %.0f steps); %d level-2 plans\n",
                    colour_sequence_text(plan_colour_sequence(*t.first_high_plan)).c_str(), t.first_high_plan->places.size(),
                    t.first_high_plan->cost, t.hierarchy->replans);
      }
      std::printf("%s after %d steps (limit %d); colours achieved at steps:", terminated ? "success" : "truncated",
                  steps, env.max_steps());
      for (size_t k = 0; k < progress_steps.size(); ++k)
        std::printf(" %s@%d", std::string(color_name(task.colors[k])).c_str(), progress_steps[k]);
      std::printf("\noracle: length %.3f, %d steps (planned in %.1f ms); this run: %.2f x oracle steps\n",
                  oracle.length, o_steps, oracle_ms, o_steps > 0 ? static_cast<double>(steps) / o_steps : 1.0);
    }
    return 0;
  });
}

}  // namespace hjepa
