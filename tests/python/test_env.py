# hjepa.Env against what Gymnasium's env checker asks of an env: seeded resets reproduce, the spaces
# contain what reset/step return, terminated vs truncated, what step after the end does, render's
# shape and dtype; and the package's own promises (dict observations, get_state/set_state rollouts).
import math

import numpy as np
import pytest

import hjepa


def rollout(env, seed, headings):
    obs, _ = env.reset(seed=seed)
    out = [obs]
    for h in headings:
        obs, reward, terminated, truncated, info = env.step(h)
        out.append(obs)
        if terminated or truncated:
            break
    return np.array(out)


def test_seeded_reset_reproduces_the_episode():
    env = hjepa.Env(map_seed=1, task="red,green")
    headings = np.random.default_rng(0).uniform(-math.pi, math.pi, 60)
    a = rollout(env, 7, headings)
    b = rollout(hjepa.Env(map_seed=1, task="red,green"), 7, headings)
    assert np.array_equal(a, b)
    c = rollout(env, 8, headings)
    assert not np.array_equal(a[:1], c[:1])  # another seed, another start


def test_unseeded_reset_continues_from_the_last_seed():
    env = hjepa.Env(map_seed=1, task="red")
    env.reset(seed=5)
    _, info = env.reset()
    assert info["episode_seed"] == 6


def test_spaces_contain_what_reset_and_step_return():
    env = hjepa.Env(map_seed=3, task=["blue", "red"], num_rays=12, ray_max=4.0)
    assert env.observation_space.shape == (2 + 8 + 12,)
    assert env.observation_space.dtype == np.float32
    assert env.action_space.shape == (1,)
    obs, info = env.reset(seed=1)
    assert obs.dtype == np.float32 and env.observation_space.contains(obs)
    for _ in range(30):
        action = env.action_space.sample()
        assert env.action_space.contains(action)
        obs, reward, terminated, truncated, info = env.step(action)
        assert env.observation_space.contains(obs)
        assert isinstance(reward, float) and isinstance(terminated, bool) and isinstance(truncated, bool)
        assert set(info) >= {"step", "progress", "true_position"}
        if terminated or truncated:
            break
    assert obs[2:10].sum() == 1.0  # one colour


def test_dict_observations():
    env = hjepa.Env(map_seed=1, task="red", obs_mode="dict")
    obs, _ = env.reset(seed=2)
    assert set(obs) == {"position", "colour", "ranges"}
    assert obs["position"].dtype == np.float32 and obs["ranges"].shape == (8,)
    assert env.observation_space.contains(obs)
    flat = hjepa.Env(map_seed=1, task="red").reset(seed=2)[0]
    assert np.array_equal(obs["position"], flat[:2]) and flat[2 + obs["colour"]] == 1


def test_terminated_when_the_task_is_done_truncated_at_max_steps():
    env = hjepa.Env(map_seed=1, task="red,green")
    obs, _ = env.reset(seed=1)
    path = hjepa.oracle(env.map, env.true_position, "red,green")
    assert path["found"]
    # Follow the oracle's polyline (noise on: aim at the next point from the true position).
    points = [np.array(p) for p in path["points"][1:]]
    terminated = truncated = False
    while not (terminated or truncated):
        here = np.array(env.true_position)
        while len(points) > 1 and np.linalg.norm(points[0] - here) < 0.5:
            points.pop(0)
        d = points[0] - here
        obs, reward, terminated, truncated, info = env.step(math.atan2(d[1], d[0]))
    assert terminated and not truncated and info["progress"] == 2

    short = hjepa.Env(map_seed=1, task="red,green", max_steps=3)
    short.reset(seed=1)
    results = [short.step(0.0) for _ in range(3)]
    assert [r[3] for r in results] == [False, False, True]
    assert not results[-1][2]


def test_step_after_the_end_and_before_reset_raise():
    env = hjepa.Env(map_seed=1, task="red,green", max_steps=1)
    with pytest.raises(RuntimeError, match="reset"):
        env.step(0.0)
    env.reset(seed=1)
    env.step(0.0)
    with pytest.raises(RuntimeError, match="ended"):
        env.step(0.0)
    env.reset()
    env.step(np.array([0.0]))  # an array of shape (1,) is a heading too


def test_get_state_set_state_replays_a_rollout():
    env = hjepa.Env(map_seed=4, task="red,green,blue")
    env.reset(seed=3)
    for h in (0.1, 1.0, 2.0):
        env.step(h)
    saved = env.get_state()
    first = [env.step(h)[0] for h in (0.5, -1.0, 3.0, 0.2)]
    env.set_state(saved)
    again = [env.step(h)[0] for h in (0.5, -1.0, 3.0, 0.2)]
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    assert saved.step == 3
    other = hjepa.Env(map_seed=5, task="red")
    with pytest.raises(ValueError, match="another map"):
        other.set_state(saved)


def test_start_option_and_maps_as_dicts(tmp_path):
    m = hjepa.generate_map(11, style="maze", gates=2)
    assert m["format"] == "hjepa-map/1"
    path = tmp_path / "m.json"
    hjepa.save_map(m, path)
    assert hjepa.load_map(path) == m
    env = hjepa.Env(map=str(path), task="red")
    obs, _ = env.reset(seed=1)
    start = env.true_position
    env2 = hjepa.Env(map=m, task="red")
    env2.reset(seed=9, options={"start": start})
    assert env2.true_position == start


def test_render_is_an_rgb_array():
    env = hjepa.Env(map_seed=1, task="red,green", render_mode="rgb_array", render_size=(320, 240))
    env.reset(seed=1)
    env.step(0.0)
    frame = env.render()
    assert frame.shape == (240, 320, 3) and frame.dtype == np.uint8
    assert len(np.unique(frame.reshape(-1, 3), axis=0)) > 8  # regions, obstacles, the agent
    assert hjepa.Env(map_seed=1, task="red").render() is None  # no render_mode


def test_a_start_that_completes_the_task_ends_at_the_first_step():
    env = hjepa.Env(map_seed=1, task="red")
    for seed in range(1, 200):
        obs, info = env.reset(seed=seed)
        if info["progress"] == 1:
            break
    else:
        pytest.skip("no start in red among 200 seeds")
    obs2, reward, terminated, truncated, info = env.step(0.0)
    assert terminated and not truncated and reward == 0.0 and info["step"] == 0
    with pytest.raises(RuntimeError, match="ended"):
        env.step(0.0)


def test_default_task_is_three_colours_of_the_map():
    env = hjepa.Env(map_seed=6)
    assert len(env.task) == 3 and len(set(env.task)) == 3
    region_colours = {r["color"] for r in env.map["regions"]}
    assert set(env.task) <= region_colours
    assert hjepa.Env(map_seed=6).task == env.task
