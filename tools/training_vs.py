#!/usr/bin/env python3
"""Default training of two hjepa binaries side by side: wall time and k-step error (issue 17's bar).

    tools/training_vs.py OLD_BINARY NEW_BINARY [--map-seed 2] [--pairs 6] [--seeds 1,2,3,4,5,6]

Time: --pairs alternating runs of `hjepa train --map-seed M` (old, new, old, new, ...), the median of
the pairs' ratios new/old. Error: `hjepa train --map-seed M --seed S --heldout-sequences 1000 --json`
for each seed, the 8-step (and 4-, 16-step) probe error of new against old, paired by seed, as the
mean ratio with its standard error. Both errors are read from each sequence's first frame: a binary
that reports `kstep_probe_error_from_start` is read there, an older one (before the k-step windows
moved to the middle of each held-out sequence, e29523f) from `kstep_probe_error`. Run it on an idle
machine: each run takes both cores.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def train(binary, out, extra):
    start = time.monotonic()
    done = subprocess.run([binary, "train", "--out", out, "--json", *extra], stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True)
    wall = time.monotonic() - start
    if done.returncode != 0:
        sys.exit(f"training_vs: {binary} train {' '.join(extra)} exited with status {done.returncode}")
    return wall, json.loads(done.stdout)


def from_start(report):
    return report.get("kstep_probe_error_from_start") or report["kstep_probe_error"]


def mean_se(values):
    m = statistics.mean(values)
    se = statistics.stdev(values) / len(values) ** 0.5 if len(values) > 1 else float("nan")
    return m, se


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--map-seed", type=int, default=2)
    ap.add_argument("--pairs", type=int, default=6)
    ap.add_argument("--seeds", default="1,2,3,4,5,6")
    a = ap.parse_args()
    for b in (a.old, a.new):
        if not os.access(b, os.X_OK):
            print(f"training_vs: {b} is not an executable file; expected two hjepa binaries", file=sys.stderr)
            return 2
    try:
        seeds = [int(s) for s in a.seeds.split(",")]
    except ValueError:
        print(f"training_vs: --seeds {a.seeds!r}: expected comma-separated integers, e.g. 1,2,3", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "model.bin")
        print(f"time: {a.pairs} alternating pairs of 'hjepa train --map-seed {a.map_seed}'")
        ratios = []
        for p in range(a.pairs):
            t_old, _ = train(a.old, out, ["--map-seed", str(a.map_seed)])
            t_new, _ = train(a.new, out, ["--map-seed", str(a.map_seed)])
            ratios.append(t_new / t_old)
            print(f"  pair {p + 1}: old {t_old:.2f} s, new {t_new:.2f} s, ratio {t_new / t_old:.3f}", flush=True)
        print(f"  median ratio {statistics.median(ratios):.3f} (range {min(ratios):.3f}-{max(ratios):.3f})")
        print(f"error: 'hjepa train --map-seed {a.map_seed} --seed S --heldout-sequences 1000', from each sequence's first frame")
        by_k = {4: [], 8: [], 16: []}
        for s in seeds:
            extra = ["--map-seed", str(a.map_seed), "--seed", str(s), "--heldout-sequences", "1000"]
            e_old = from_start(train(a.old, out, extra)[1])
            e_new = from_start(train(a.new, out, extra)[1])
            for k in by_k:
                by_k[k].append(e_new[k - 1] / e_old[k - 1])
            print(f"  seed {s}: 8-step old {e_old[7]:.4f}, new {e_new[7]:.4f}, ratio {e_new[7] / e_old[7]:.3f}", flush=True)
        for k, r in by_k.items():
            m, se = mean_se(r)
            print(f"  {k}-step error new/old: mean {m:.3f} ± {se:.3f} (s.e. over {len(r)} seeds)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
