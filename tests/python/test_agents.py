# Agents, training, model files and the oracle from Python; an episode driven from Python takes the same
# steps as `hjepa run` with the same map, task, seeds and model.
import numpy as np
import pytest

import hjepa
from conftest import run_cli_json


def python_episode(agent_name, map_seed, task, seed, model=None, **params):
    env = hjepa.Env(map_seed=map_seed, task=task)
    obs, _ = env.reset(seed=seed)
    agent = hjepa.make_agent(agent_name, model, env=env, seed=seed, **params)
    agent.reset(obs)
    trajectory = [env.true_position]
    terminated = truncated = False
    while not (terminated or truncated):
        obs, reward, terminated, truncated, info = env.step(agent.act(obs))
        trajectory.append(info["true_position"])
    return terminated, np.array(trajectory), agent


def test_oracle_agent_matches_hjepa_run():
    ok, traj, _ = python_episode("oracle", 1, "red,green,blue", 4)
    j = run_cli_json("run", "--map-seed", "1", "--task", "red,green,blue", "--agent", "oracle", "--seed", "4")
    assert ok == j["success"] and len(traj) == j["steps"] + 1
    assert np.array_equal(traj, np.array(j["trajectory"]))


def test_hjepa_agent_matches_hjepa_run_with_the_same_model(tmp_path, small_model):
    path = tmp_path / "model.bin"
    small_model.save(str(path))
    assert hjepa.Model.load(str(path)).map_fingerprint == small_model.map_fingerprint
    ok, traj, agent = python_episode("hjepa", 2, "red,green", 3, small_model, watch_passage_radius=9)
    j = run_cli_json("run", "--map-seed", "2", "--task", "red,green", "--agent", "hjepa", "--seed", "3", "--model", str(path),
                     "--set", "agent.watch.passage_radius=9")
    assert len(traj) == j["steps"] + 1
    assert np.array_equal(traj, np.array(j["trajectory"]))
    t = agent.trace()
    assert {"belief", "route", "plan_headings", "place"} <= set(t)
    # the last step as run --json's trace saw it: the same place and the same stuck-watch window
    assert t["place"] == j["trace"][-1]["place"] and t["watch_window"] == j["trace"][-1]["watch_window"]
    assert t["belief_gain"] == pytest.approx(j["trace"][-1]["belief_gain"]) and 0 < t["belief_gain"] <= 1
    assert small_model.report["parameters"] < 100000 and not small_model.report["from_cache"]
    # the belief diagnostics of hjepa train --json, in position and in the latent
    for key in ("kalman_error", "fixed_error", "kalman_latent_error", "fixed_latent_error", "encoding_latent_error",
                "ideal_filter_error", "kalman_scalar_error"):
        assert np.isfinite(small_model.report[key]) and small_model.report[key] >= 0, key
    # the ideal position filter knows the world: it reads position better than the raw perception
    assert small_model.report["ideal_filter_error"] < small_model.report["perception_error"]


def test_oracle_planner_and_agent_table():
    m = hjepa.generate_map(1)
    env = hjepa.Env(map=m, task="red")
    env.reset(seed=1)
    path = hjepa.oracle(m, env.true_position, "red,green")
    assert path["found"] and path["steps"] == int(np.ceil(path["length"] - 1e-9))
    assert path["points"][0] == env.true_position
    assert hjepa.oracle(1, env.true_position, "red,green") == path  # a map seed works too
    assert {"random", "oracle", "flat", "hjepa"} <= set(hjepa.agent_names)
    assert any(p["name"] == "agent.planner.horizon" for p in hjepa.param_table())
