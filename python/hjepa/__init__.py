"""hjepa-sim from Python: the coloured-regions world with the Gymnasium API, batched envs stepped in C++,
training, model files, the agents (random, oracle, flat, hjepa and its variants) and the oracle planner.

    import hjepa
    env = hjepa.Env(map_seed=1, task="red,green,blue")
    obs, info = env.reset(seed=1)
    obs, reward, terminated, truncated, info = env.step(0.5)   # a heading in radians

Every bad argument raises ValueError with the message the CLI gives for it. Parameters are the CLI's
(`hjepa bench --help-config`, or hjepa.param_table()): pass them by their dotted names
(**{"env.noise_motion": 0.1}) or short names (noise_motion=0.1; agent.planner.horizon -> planner_horizon).
"""
import math

import numpy as np

from . import _core

__all__ = ["Env", "VecEnv", "Model", "train", "make_agent", "oracle", "generate_map", "load_map", "save_map",
           "check_map", "param_table", "colour_names", "agent_names", "Box", "Discrete", "Dict"]

colour_names = list(_core.colour_names)
agent_names = list(_core.agent_names)
param_table = _core.param_table
Model = _core.Model
State = _core.State

try:  # real gymnasium spaces and the registered id when gymnasium is importable; our own small ones otherwise
    import gymnasium as _gym
    from gymnasium import spaces as _spaces
except ImportError:  # pragma: no cover - depends on the machine
    _gym = None
    _spaces = None


class Box:
    """A box of real vectors (gymnasium.spaces.Box's shape, low, high, dtype, contains, sample)."""

    def __init__(self, low, high, shape, dtype=np.float32, seed=None):
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype)
        self.low = np.broadcast_to(np.asarray(low, dtype=self.dtype), self.shape).copy()
        self.high = np.broadcast_to(np.asarray(high, dtype=self.dtype), self.shape).copy()
        self._rng = np.random.default_rng(seed)

    def seed(self, seed=None):
        self._rng = np.random.default_rng(seed)
        return [seed]

    def contains(self, x):
        x = np.asarray(x)
        return x.shape == self.shape and np.can_cast(x.dtype, self.dtype) and bool(
            np.all(x >= self.low) and np.all(x <= self.high))

    __contains__ = contains

    def sample(self):
        low = np.where(np.isfinite(self.low), self.low, -1.0)
        high = np.where(np.isfinite(self.high), self.high, 1.0)
        return self._rng.uniform(low, high).astype(self.dtype)

    def __repr__(self):
        return f"Box({self.low.min()}, {self.high.max()}, {self.shape}, {self.dtype})"


class Discrete:
    """The integers 0..n-1 (gymnasium.spaces.Discrete's n, contains, sample)."""

    def __init__(self, n, seed=None):
        self.n = int(n)
        self.shape = ()
        self.dtype = np.dtype(np.int64)
        self._rng = np.random.default_rng(seed)

    def seed(self, seed=None):
        self._rng = np.random.default_rng(seed)
        return [seed]

    def contains(self, x):
        return isinstance(x, (int, np.integer)) and 0 <= int(x) < self.n

    __contains__ = contains

    def sample(self):
        return int(self._rng.integers(self.n))

    def __repr__(self):
        return f"Discrete({self.n})"


class Dict:
    """Named sub-spaces (gymnasium.spaces.Dict's spaces, contains, sample)."""

    def __init__(self, spaces, seed=None):
        self.spaces = dict(spaces)
        self.shape = None
        self.dtype = None

    def seed(self, seed=None):
        for i, s in enumerate(self.spaces.values()):
            s.seed(None if seed is None else seed + i)
        return [seed]

    def contains(self, x):
        return isinstance(x, dict) and x.keys() == self.spaces.keys() and all(
            self.spaces[k].contains(v) for k, v in x.items())

    __contains__ = contains

    def sample(self):
        return {k: s.sample() for k, s in self.spaces.items()}

    def __getitem__(self, key):
        return self.spaces[key]

    def __repr__(self):
        return "Dict(" + ", ".join(f"{k}: {s}" for k, s in self.spaces.items()) + ")"


def _box(low, high, shape):
    if _spaces is not None:
        return _spaces.Box(low=np.float32(low) if np.isscalar(low) else np.asarray(low, np.float32),
                           high=np.float32(high) if np.isscalar(high) else np.asarray(high, np.float32),
                           shape=shape, dtype=np.float32)
    return Box(low, high, shape)


def _spaces_of(core, obs_mode):
    n = core.num_rays
    ray_max = core.ray_max
    action = _box(-math.pi, math.pi, (1,))
    if obs_mode == "dict":
        parts = {"position": _box(-np.inf, np.inf, (2,)),
                 "colour": _spaces.Discrete(len(colour_names)) if _spaces else Discrete(len(colour_names)),
                 "ranges": _box(0.0, ray_max, (n,))}
        return (_spaces.Dict(parts) if _spaces else Dict(parts)), action
    low = np.concatenate([[-np.inf, -np.inf], np.zeros(len(colour_names)), np.zeros(n)]).astype(np.float32)
    high = np.concatenate([[np.inf, np.inf], np.ones(len(colour_names)), np.full(n, ray_max)]).astype(np.float32)
    return _box(low, high, (core.features,)), action


_EnvBase = _gym.Env if _gym is not None else object


class Env(_EnvBase):
    """One episode at a time, with Gymnasium's Env API.

    map: a map as a dict (hjepa-map/1) or a map file's path; or map_seed (default 1) with map_params
    (the generator's map.* parameters: style, gates, width, ...). task: "red,green" or a list of colour
    names; None: three colours of the map (the app's default task for it). obs_mode "array" (default): float32 [x, y, colour one-hot (8), ranges (num_rays)]; "dict":
    {"position": float32 (2,), "colour": int, "ranges": float32 (num_rays,)}. The action is a heading in
    radians (a float or an array of shape (1,); any finite value, taken modulo 2 pi); each step moves
    step_length units (less if blocked). Reward -1 per step, +1 per colour achieved. Keyword arguments
    are env.* parameters (noise_motion, noise_perception, noise_range, num_rays, ray_max, step_length,
    max_steps). render_mode "rgb_array": render() draws the app's world view into an (H, W, 3) uint8 array.
    """

    metadata = {"render_modes": ["rgb_array"], "render_fps": 10}

    def __init__(self, map=None, map_seed=None, task=None, map_params=None, obs_mode="array",
                 render_mode=None, render_size=(640, 480), **env_params):
        if render_mode not in (None, "rgb_array"):
            raise ValueError(f'render_mode: "{render_mode}" is not a render mode; expected None or "rgb_array"')
        self._core = _core.Env(map, map_seed, dict(map_params or {}), task, env_params, obs_mode)
        self.obs_mode = obs_mode
        self.render_mode = render_mode
        self.render_size = tuple(render_size)
        self._renderer = None
        self.observation_space, self.action_space = _spaces_of(self._core, obs_mode)

    def reset(self, *, seed=None, options=None):
        """Starts an episode: seed (default: the last seed + 1, 1 at first) draws the start, the gates
        and the noise; options={"start": (x, y)} picks the start. Returns (obs, info)."""
        start = None
        if options:
            unknown = set(options) - {"start"}
            if unknown:
                raise ValueError(f"options: unknown key(s) {sorted(unknown)}; expected only \"start\"")
            start = options.get("start")
        if _gym is not None and seed is not None:
            super().reset(seed=seed)  # gymnasium.Env's own np_random, as its checker expects
        return self._core.reset(seed, start)

    def step(self, action):
        """One step: (obs, reward, terminated, truncated, info). RuntimeError after the episode ended."""
        return self._core.step(action)

    def render(self):
        """The world view as the app draws it (regions, obstacles, gates, trail, rays, agent), (H, W, 3) uint8;
        None when render_mode is None."""
        if self.render_mode is None:
            return None
        if self._renderer is None:
            self._renderer = _core.Renderer(*self.render_size)
        return self._renderer.render(self._core)

    def close(self):
        self._renderer = None

    def get_state(self):
        """A copy of the episode (position, step, progress, noise stream, gates) for set_state()."""
        return self._core.get_state()

    def set_state(self, state):
        self._core.set_state(state)

    def set_gate_open(self, gate, open):
        """Opens or closes the map's gate `gate` in this episode (as the app's toggle)."""
        self._core.set_gate_open(gate, open)

    @property
    def map(self):
        """The map as a dict (hjepa-map/1)."""
        return self._core.map

    @property
    def task(self):
        return self._core.task

    @property
    def true_position(self):
        """Where the agent truly is (for evaluation; agents must not read it)."""
        return self._core.true_position

    @property
    def max_steps(self):
        return self._core.max_steps

    @property
    def unwrapped(self):
        return self


class VecEnv:
    """num_envs envs on one map, stepped in C++ on `threads` worker threads (default: the machine's cores)
    with numpy batches in and out. Autoreset as Gymnasium 1.x vector envs by default (next-step): after an
    env ends, its next step() ignores its action and starts its next episode (reward 0, not terminated).
    Env i's episode e has seed seed + i + e * num_envs, whatever the thread count, so results do not
    depend on it. Observations are the array layout of Env: float32 (num_envs, features)."""

    metadata = {"autoreset_mode": "NextStep"}

    def __init__(self, num_envs, map=None, map_seed=None, task=None, map_params=None, threads=None, **env_params):
        import os
        if threads is None:
            threads = max(1, min(os.cpu_count() or 1, int(num_envs)))
        self._core = _core.VecEnv(int(num_envs), map, map_seed, dict(map_params or {}), task, env_params, int(threads))
        self.num_envs = self._core.num_envs
        self.single_observation_space, self.single_action_space = _spaces_of(self._core, "array")
        n = self.num_envs
        self.observation_space = _box(np.broadcast_to(self.single_observation_space.low, (n, self._core.features)),
                                      np.broadcast_to(self.single_observation_space.high, (n, self._core.features)),
                                      (n, self._core.features))
        self.action_space = _box(-math.pi, math.pi, (n,))

    def reset(self, *, seed=None, options=None):
        if options:
            raise ValueError("options: VecEnv.reset takes no options; expected None")
        return self._core.reset(seed)

    def step(self, actions):
        return self._core.step(actions)

    @property
    def threads(self):
        return self._core.threads

    def close(self):
        pass


def train(map=None, map_seed=None, seed=1, cache=False, map_params=None, **params):
    """Trains both levels on the map (as `hjepa train`): train.* and env.* parameters as keywords
    (steps=..., z_values=..., noise_perception=...). cache=True uses and fills the model cache that
    `hjepa run` and `hjepa bench` use. Returns a Model; model.report holds the training report (probe_r2, kstep_probe_error, seconds...)."""
    model, report = _core.train(map, map_seed, dict(map_params or {}), seed, bool(cache), params)
    model.report = report
    return model


class Agent:
    """An agent of the table on an env: reset(obs) at each episode's start, then act(obs) -> heading.
    trace() is what it believes and planned, as a dict."""

    def __init__(self, core, env):
        self._core = core
        self._env = env

    @property
    def name(self):
        return self._core.name

    def reset(self, obs=None):
        self._core.reset(obs)

    def act(self, obs=None):
        """The heading for obs (default: the env's last observation)."""
        return self._core.act(obs)

    def trace(self):
        return self._core.trace()


def make_agent(name, model=None, *, env, seed=1, **params):
    """Builds agent `name` (hjepa.agent_names) on `env` (after env.reset(): the oracle reads its state) with
    agent.* parameters as keywords (planner_horizon=8, watch_passage_radius=9, planner_type="cem").
    seed is the agent's own randomness (hjepa run uses the episode seed)."""
    if not isinstance(env, Env):
        raise ValueError("env: expected an hjepa.Env")
    return Agent(_core.Agent(name, model, env._core, seed, params), env)


def oracle(map, start, task, map_params=None, step_length=1.0):
    """The shortest path (privileged: every obstacle known) from start through the task's colours in order:
    {found, length, steps, points, stage_point}. map: a dict, a path, or an int (a map seed)."""
    if isinstance(map, int) and not isinstance(map, bool):
        return _core.oracle(None, map, dict(map_params or {}), start, task, step_length)
    return _core.oracle(map, None, dict(map_params or {}), start, task, step_length)


def generate_map(seed, **map_params):
    """The generator's map for seed and map.* parameters (style="maze", gates=4, ...), as a dict."""
    return _core.generate_map(seed, map_params)


def load_map(path):
    """A map file (hjepa-map/1), checked, as a dict."""
    return _core.load_map(str(path))


def save_map(map, path):
    """Checks the map dict and writes it atomically (nothing half-written on failure)."""
    _core.save_map(map, str(path))


def check_map(map):
    """The map dict as the reader normalises it; ValueError naming the field when it is bad."""
    return _core.check_map(map)


if _gym is not None:  # pragma: no cover - depends on the machine
    try:
        _gym.register(id="hjepa/ColourRegions-v0", entry_point="hjepa:Env")
    except Exception:  # already registered (module reloaded)
        pass
