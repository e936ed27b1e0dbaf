# Bad arguments from Python meet the same checks as the CLI's and raise ValueError with the same message
# (never a crash): a bad map, task, parameter and model, each compared with what `hjepa` prints.
import json

import pytest

import hjepa
from conftest import run_cli


def cli_error(*args):
    r = run_cli(*args)
    assert r.returncode == 2, (r.returncode, r.stderr)
    return r.stderr


def test_bad_map_file(tmp_path):
    bad = tmp_path / "bad.json"
    m = hjepa.generate_map(1)
    m["obstacles"][0]["radius"] = -2
    bad.write_text(json.dumps(m))
    with pytest.raises(ValueError) as e:
        hjepa.Env(map=str(bad), task="red")
    assert "radius" in str(e.value)
    assert str(e.value) in cli_error("run", "--map", str(bad), "--task", "red", "--agent", "random")
    with pytest.raises(ValueError) as d:  # the same map as a dict: the same message, "map" for the file name
        hjepa.Env(map=m, task="red")
    assert str(d.value).replace("map: ", "", 1) in str(e.value)
    with pytest.raises(ValueError, match="not both"):
        hjepa.Env(map=m, map_seed=1, task="red")
    with pytest.raises(ValueError, match="p_closed"):
        m = hjepa.generate_map(1)
        m["obstacles"][0] = {"type": "box", "min": [1, 1], "max": [2, 2], "p_closed": 1.5}
        hjepa.check_map(m)


def test_bad_task():
    for task, cli_task in (("red,mauve", "red,mauve"), ("red,red,red,red,red,red,red", "red,red,red,red,red,red,red")):
        with pytest.raises(ValueError) as e:
            hjepa.Env(map_seed=1, task=task)
        message = str(e.value)
        assert message.startswith("task: ")
        assert "--" + message in cli_error("run", "--map-seed", "1", "--task", cli_task, "--agent", "random")
    with pytest.raises(ValueError, match="not a colour name"):
        hjepa.Env(map_seed=1, task=["red", 3])


def test_bad_parameter():
    with pytest.raises(ValueError) as e:
        hjepa.Env(map_seed=1, task="red", noise_motion=-1)
    tail = str(e.value).split("env.noise_motion: ", 1)[1]
    assert "env.noise_motion: " + tail in cli_error("run", "--map-seed", "1", "--task", "red", "--agent", "random",
                                                     "--set", "env.noise_motion=-1")
    with pytest.raises(ValueError, match="is not an integer"):
        hjepa.Env(map_seed=1, task="red", num_rays=2.5)
    with pytest.raises(ValueError, match="unknown parameter \"noise\""):
        hjepa.Env(map_seed=1, task="red", noise=1)
    with pytest.raises(ValueError, match="out of range"):
        hjepa.Env(map_seed=1, task="red", **{"env.ray_max": 1000})
    with pytest.raises(ValueError, match="not finite"):
        env = hjepa.Env(map_seed=1, task="red")
        env.reset(seed=1)
        env.step(float("nan"))
    with pytest.raises(ValueError, match="shape"):
        env.step([0.1, 0.2])
    with pytest.raises(ValueError, match="non-negative"):
        env.reset(seed=-1)
    with pytest.raises(ValueError, match="map.gates"):
        hjepa.Env(map_seed=1, task="red", map_params={"gates": 2})  # gates need the maze style
    with pytest.raises(ValueError, match="out of range"):
        hjepa.train(map_seed=1, steps=-5)


def test_bad_model(tmp_path, small_model):
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(b"not a model at all")
    with pytest.raises(ValueError) as e:
        hjepa.Model.load(str(garbage))
    assert str(e.value) in cli_error("run", "--map-seed", "2", "--task", "red", "--agent", "flat", "--model", str(garbage))
    with pytest.raises(ValueError, match="another map"):
        env = hjepa.Env(map_seed=3, task="red")
        env.reset(seed=1)
        hjepa.make_agent("hjepa", small_model, env=env)
    with pytest.raises(ValueError, match="not an agent"):
        hjepa.make_agent("bogus", env=env)
    with pytest.raises(ValueError, match="needs a model"):
        hjepa.make_agent("flat", env=env)
