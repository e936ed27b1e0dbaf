# hjepa.VecEnv: batched numpy in and out, next-step autoreset as Gymnasium 1.x vector envs, each env the
# same episode as a single Env with its seed, and the same results whatever the thread count.
import math

import numpy as np
import pytest

import hjepa


def run(threads, steps=120):
    v = hjepa.VecEnv(16, map_seed=1, task="red", threads=threads, max_steps=25)
    obs, info = v.reset(seed=100)
    rng = np.random.default_rng(0)
    out = [obs]
    for _ in range(steps):
        obs, reward, terminated, truncated, info = v.step(rng.uniform(-math.pi, math.pi, 16))
        out += [obs, reward, terminated, truncated, info["step"]]
    return out


def test_same_results_whatever_the_thread_count():
    a, b = run(1), run(2)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert hjepa.VecEnv(4, map_seed=1, task="red", threads=2).threads == 2


def test_batches_and_spaces():
    v = hjepa.VecEnv(8, map_seed=2, task="red,green")
    obs, info = v.reset(seed=1)
    assert obs.shape == (8, 18) and obs.dtype == np.float32
    assert v.single_observation_space.shape == (18,)
    assert all(v.single_observation_space.contains(o) for o in obs)
    obs, reward, terminated, truncated, info = v.step(np.zeros((8, 1)))
    assert reward.shape == (8,) and terminated.dtype == bool and info["step"].tolist() == [1] * 8
    with pytest.raises(ValueError, match="8 headings"):
        v.step(np.zeros(7))


def test_each_env_is_the_single_env_with_its_seed_and_autoresets_next_step():
    n, max_steps = 3, 5
    v = hjepa.VecEnv(n, map_seed=1, task="red,green,blue", max_steps=max_steps, threads=2)
    obs, _ = v.reset(seed=10)
    singles = [hjepa.Env(map_seed=1, task="red,green,blue", max_steps=max_steps) for _ in range(n)]
    for i, e in enumerate(singles):
        assert np.array_equal(e.reset(seed=10 + i)[0], obs[i])
    headings = np.linspace(-3, 3, n)
    for t in range(max_steps):
        obs, reward, terminated, truncated, _ = v.step(headings)
        for i, e in enumerate(singles):
            o, r, te, tr, _ = e.step(headings[i])
            assert np.array_equal(o, obs[i]) and r == reward[i] and te == terminated[i] and tr == truncated[i]
    assert truncated.all()
    # The next step ignores the actions and starts episode 1 of each env: seed 10 + i + 1 * n.
    obs, reward, terminated, truncated, info = v.step(headings)
    assert (reward == 0).all() and not terminated.any() and not truncated.any() and (info["step"] == 0).all()
    for i in range(n):
        assert np.array_equal(hjepa.Env(map_seed=1, task="red,green,blue").reset(seed=10 + i + n)[0], obs[i])
