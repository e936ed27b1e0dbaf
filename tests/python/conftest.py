# Shared pieces of the Python package's tests: the hjepa executable (HJEPA_EXE, set by CTest) for
# comparisons with the CLI, and one small trained model per test session.
import json
import os
import subprocess

import pytest

import hjepa

# A small training (seconds): the code paths of the default one (tests/cli_test.cpp's sizes).
SMALL_TRAINING = dict(steps=150, sequences=60, polish_steps=200, head_steps=400, probe_steps=400,
                      distance_steps=300, level2_steps=200, mode1_rounds=1, mode1_episodes=2,
                      mode1_heldout_episodes=1, mode1_episode_steps=8, mode1_steps=20)


def hjepa_exe():
    exe = os.environ.get("HJEPA_EXE")
    if not exe or not os.path.exists(exe):
        pytest.skip("HJEPA_EXE (the hjepa executable) is not set; run these tests through ctest")
    return exe


def run_cli(*args):
    return subprocess.run([hjepa_exe(), *args], capture_output=True, text=True)


def run_cli_json(*args):
    r = run_cli(*args, "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.fixture(scope="session")
def small_model():
    return hjepa.train(map_seed=2, seed=1, **SMALL_TRAINING)
