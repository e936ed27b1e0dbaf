# When gymnasium is importable, hjepa.Env is a gymnasium.Env, its spaces are gymnasium.spaces objects and
# the id hjepa/ColourRegions-v0 is registered. Debian bookworm does not package gymnasium, so this runs
# against a stand-in module with the parts of gymnasium's API the package uses (Env.reset(seed=),
# spaces.Box/Discrete/Dict, register(id=, entry_point=)), in a fresh interpreter.
import os
import subprocess
import sys
import textwrap

import hjepa

STAND_IN = textwrap.dedent('''
    import sys, types
    import numpy as np
    gym = types.ModuleType("gymnasium")
    spaces = types.ModuleType("gymnasium.spaces")
    registered = {}
    class Env:
        def reset(self, *, seed=None, options=None):
            self.np_random = np.random.default_rng(seed)
    class Box:
        def __init__(self, low, high, shape=None, dtype=np.float32):
            self.low, self.high, self.shape, self.dtype = low, high, shape, np.dtype(dtype)
    class Discrete:
        def __init__(self, n):
            self.n = n
    class Dict:
        def __init__(self, parts):
            self.spaces = dict(parts)
    def register(id, entry_point):
        registered[id] = entry_point
    gym.Env, gym.register, gym.registered, gym.spaces = Env, register, registered, spaces
    spaces.Box, spaces.Discrete, spaces.Dict = Box, Discrete, Dict
    sys.modules["gymnasium"], sys.modules["gymnasium.spaces"] = gym, spaces
''')

CHECKS = textwrap.dedent('''
    import gymnasium, hjepa
    env = hjepa.Env(map_seed=1, task="red,green")
    assert isinstance(env, gymnasium.Env)
    assert isinstance(env.observation_space, gymnasium.spaces.Box) and env.observation_space.shape == (18,)
    assert isinstance(env.action_space, gymnasium.spaces.Box) and env.action_space.shape == (1,)
    d = hjepa.Env(map_seed=1, task="red", obs_mode="dict").observation_space
    assert isinstance(d, gymnasium.spaces.Dict) and isinstance(d.spaces["colour"], gymnasium.spaces.Discrete)
    assert gymnasium.registered["hjepa/ColourRegions-v0"] == "hjepa:Env"
    obs, info = env.reset(seed=3)
    assert env.np_random is not None  # gymnasium.Env.reset(seed=) was called
    print("ok")
''')


def test_with_gymnasium_importable(tmp_path):
    script = tmp_path / "check.py"
    script.write_text(STAND_IN + CHECKS)
    pkg = os.path.dirname(os.path.dirname(os.path.abspath(hjepa.__file__)))
    r = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=pkg),
                       timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "ok\n"
