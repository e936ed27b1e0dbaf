# The README's "From Python" example runs as written and says what it did.
import os
import re
import subprocess
import sys

import pytest


def test_readme_example_runs_as_written(tmp_path):
    root = os.environ.get("HJEPA_SOURCE_DIR")
    if not root:
        pytest.skip("HJEPA_SOURCE_DIR is not set; run these tests through ctest")
    text = open(os.path.join(root, "README.md"), encoding="utf-8").read()
    section = text.split("## From Python", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert len(code.strip().splitlines()) <= 12
    script = tmp_path / "episode.py"
    script.write_text(code)
    import hjepa  # the package under test, wherever this build put it (build/python in the README)
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(os.path.abspath(hjepa.__file__))))
    r = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert re.fullmatch(r"success after \d+ steps\n", r.stdout), r.stdout
